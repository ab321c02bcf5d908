"""`CatalogItem` ⇄ plain dict (JSON/YAML-friendly): lists for tuples, Decimal as strings.

`from_dict(to_dict(item)) == item` for every item; `to_dict` output survives `json.dumps`/`loads`
and `yaml.safe_dump`/`safe_load` unchanged.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from caseflow.catalog.model import (
    LIMITATION_YEARS,
    CatalogItem,
    LegalBasis,
    PenaltyOption,
    PostAssignment,
)

_DECIMAL_FIELDS = ("multiple_min", "multiple_max", "amount_min", "amount_max")
_OPTION_FIELDS = (
    "kind",
    "target",
    "base",
    *_DECIMAL_FIELDS,
    "months_min",
    "months_max",
    "condition",
    "by_other_authority",
    "text",
)


def _option_to_dict(option: PenaltyOption) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in _OPTION_FIELDS:
        value = getattr(option, name)
        out[name] = str(value) if isinstance(value, Decimal) else value
    return out


def _option_from_dict(d: dict[str, Any]) -> PenaltyOption:
    values = {name: d.get(name) for name in _OPTION_FIELDS if name in d}
    for name in _DECIMAL_FIELDS:
        if values.get(name) is not None:
            values[name] = Decimal(str(values[name]))
    return PenaltyOption(**values)


def _basis_to_dict(basis: LegalBasis) -> dict[str, Any]:
    return {
        "law": basis.law,
        "article": basis.article,
        "text": basis.text,
        "options": [_option_to_dict(o) for o in basis.options],
    }


def _basis_from_dict(d: dict[str, Any]) -> LegalBasis:
    return LegalBasis(
        law=d["law"],
        article=d["article"],
        text=d["text"],
        options=tuple(_option_from_dict(o) for o in d.get("options", ())),
    )


def to_dict(item: CatalogItem) -> dict[str, Any]:
    return {
        "key": item.key,
        "source_file": item.source_file,
        "agency": item.agency,
        "seq": item.seq,
        "name": item.name,
        "power_type": item.power_type,
        "published_type": item.published_type,
        "procedure": item.procedure,
        "local_code": item.local_code,
        "department": item.department,
        "bases": [_basis_to_dict(b) for b in item.bases],
        "responsibilities": [{"step": step, "text": text} for step, text in item.responsibilities],
        "accountability": item.accountability,
        "post_map": [{"step": p.step, "post": p.post, "section": p.section} for p in item.post_map],
        "notes": list(item.notes),
        "limitation_years": item.limitation_years,
        "limitation_reason": item.limitation_reason,
    }


def from_dict(d: dict[str, Any]) -> CatalogItem:
    return CatalogItem(
        key=d["key"],
        source_file=d["source_file"],
        agency=d["agency"],
        seq=d["seq"],
        name=d["name"],
        power_type=d["power_type"],
        published_type=d["published_type"],
        procedure=d["procedure"],
        local_code=d.get("local_code"),
        department=d.get("department"),
        bases=tuple(_basis_from_dict(b) for b in d.get("bases", ())),
        responsibilities=tuple((r["step"], r["text"]) for r in d.get("responsibilities", ())),
        accountability=d.get("accountability", ""),
        post_map=tuple(
            PostAssignment(step=p["step"], post=p["post"], section=p.get("section"))
            for p in d.get("post_map", ())
        ),
        notes=tuple(d.get("notes", ())),
        # an entry kept by a case before the field existed ran under the 二年 of 第三十六条
        limitation_years=d.get("limitation_years", LIMITATION_YEARS),
        limitation_reason=d.get("limitation_reason"),
    )
