"""Building catalog entries from a published list: import, read the penalty options of each basis,
apply the reviewed hand edits (overlay). The committed files in workflows/catalog/ are exactly what
this produces from the seed lists — a test regenerates and compares them.

The options of a basis are read from the statute where the legal folder holds the cited article
(known_laws.yaml `text`), not from the list's quotation: a list quoting 社会保险法第八十七条
without "属于社会保险服务机构的，解除服务协议；…依法吊销其执业资格" still offers those measures,
and the lint reports the shortened quotation. Without the statute text, the quotation is read.

An overlay edit of `limitation_years` (行政处罚法第三十六条) also records its `why` as the item's
`limitation_reason`; `limitation_reason` is not edited by itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from caseflow.catalog import importer
from caseflow.catalog.importer.serialise import from_dict, to_dict
from caseflow.catalog.lint.laws import KnownLaws, default_known_laws
from caseflow.catalog.model import CatalogItem
from caseflow.catalog.penalty_text import extract_options
from caseflow.errors import DefinitionError

_LIMITATION = "limitation_years"
_LIMITATION_REASON = "limitation_reason"


@dataclass(frozen=True)
class Edit:
    key: str
    field: str
    value: Any
    why: str


def load_overlay(path: Path) -> list[Edit]:
    if not path.exists():
        return []
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    edits = []
    for i, e in enumerate(raw.get("edits") or []):
        if not e.get("why"):
            raise DefinitionError(f"{path.name} 第{i + 1}条人工更正没有写明理由（why）。")
        edits.append(Edit(key=str(e["key"]), field=str(e["field"]), value=e.get("value"), why=e["why"]))
    return edits


def apply_overlay(items: list[CatalogItem], edits: list[Edit]) -> list[CatalogItem]:
    by_key = {i.key: i for i in items}
    for e in edits:
        if e.key not in by_key:
            continue  # an edit of another list
        d = to_dict(by_key[e.key])
        if e.field not in d:
            raise DefinitionError(f"人工更正引用了不存在的字段「{e.field}」（{e.key}）。")
        if e.field == _LIMITATION_REASON:
            raise DefinitionError(f"追责时效的理由不能单独更正（{e.key}）：请更正 {_LIMITATION}，"
                                  "其理由（why）即记为 limitation_reason。")
        d[e.field] = e.value
        if e.field == _LIMITATION:
            d[_LIMITATION_REASON] = e.why
        by_key[e.key] = from_dict(d)
    return [by_key[i.key] for i in items]


def with_options(item: CatalogItem, laws: KnownLaws | None = None) -> CatalogItem:
    """Read the penalty options of each basis of a 行政处罚 item (a 强制 item's bases set powers):
    from the statute's words where `laws` hold them, else from the quotation."""
    if item.power_type != "行政处罚":
        return item
    laws = laws or default_known_laws()
    bases = tuple(replace(b, options=extract_options(laws.statute_text(b.law, b.article) or b.text))
                  for b in item.bases)
    return replace(item, bases=bases)


def build_list(seed: Path, *, agency: str | None = None, overlay: Sequence[Edit] = (),
               laws: KnownLaws | None = None) -> list[CatalogItem]:
    laws = laws or default_known_laws()
    items = [with_options(i, laws) for i in importer.read_list(seed, agency=agency)]
    return apply_overlay(items, list(overlay))
