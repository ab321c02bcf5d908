"""The check that a document's data has every required field, before anything is rendered.

A path is walked through dicts and lists (see `FieldSpec`); a missing value is reported at the
concrete path where it is missing ("parties[1].name", or "parties[0].name" for an empty list),
so the caller can point at the exact input. A present value outside a spec's `choices` (a party
kind, a 送达方式, a 审核结论) is refused too, since the wording of the document depends on it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from caseflow.documents.requirements import FieldSpec
from caseflow.documents.types import DocType
from caseflow.errors import InvalidInput

__all__ = ["invalid_fields", "is_missing", "missing_fields", "require_fields"]

_TOKEN = re.compile(r"([^.\[\]]+)|\[(\*|\d+)\]")
_STAR = "*"


def is_missing(value: Any) -> bool:
    """None, a blank string and an empty collection are missing; 0 and False are values."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (Mapping, Sequence, set, frozenset)):
        return len(value) == 0
    return False


def _tokens(path: str) -> list[str | int]:
    out: list[str | int] = []
    for name, index in _TOKEN.findall(path):
        out.append(name if name else (index if index == _STAR else int(index)))
    return out


def _join(prefix: str, token: str | int) -> str:
    if isinstance(token, int) or token == _STAR:
        return f"{prefix}[{token}]"
    return f"{prefix}.{token}" if prefix else token


def _rest_path(prefix: str, tokens: list[str | int]) -> str:
    for token in tokens:
        prefix = _join(prefix, 0 if token == _STAR else token)
    return prefix


def _walk(value: Any, tokens: list[str | int], prefix: str, min_items: int
          ) -> list[tuple[str, Any]]:
    """(concrete path, value) for every place the spec's path reaches; None where it finds nothing
    (a missing key, or the first absent element of a list shorter than `min_items`)."""
    if not tokens:
        return [(prefix, value)]
    token, rest = tokens[0], tokens[1:]
    if token == _STAR:
        items = list(value) if isinstance(value, Sequence) and not isinstance(value, str) else []
        found: list[tuple[str, Any]] = []
        for i, item in enumerate(items):
            found += _walk(item, rest, f"{prefix}[{i}]", min_items)
        if len(items) < min_items:
            found.append((_rest_path(f"{prefix}[{len(items)}]", rest), None))
        return found
    if isinstance(token, int):
        ok = isinstance(value, Sequence) and not isinstance(value, str) and token < len(value)
        child = value[token] if ok else None
    else:
        child = value.get(token) if isinstance(value, Mapping) else None
    if child is None:
        return [(_rest_path(_join(prefix, token), rest), None)]
    return _walk(child, rest, _join(prefix, token), min_items)


def _checked(doc_type: DocType, data: Mapping[str, Any], *, missing: bool
             ) -> list[tuple[str, FieldSpec]]:
    out: list[tuple[str, FieldSpec]] = []
    seen: set[str] = set()
    spec: FieldSpec
    for spec in doc_type.required:
        if not spec.applies(data):
            continue
        for path, value in _walk(data, _tokens(spec.path), "", spec.min_items):
            if missing:
                bad = is_missing(value)
            else:
                bad = (spec.choices is not None and not is_missing(value)
                       and value not in spec.choices)
            if bad and path not in seen:
                seen.add(path)
                out.append((path, spec))
    return out


def missing_fields(doc_type: DocType, data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(path, label) of every required value that is missing, in the order of the specs."""
    return [(path, spec.label) for path, spec in _checked(doc_type, data, missing=True)]


def invalid_fields(doc_type: DocType, data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(path, label) of every present value outside its spec's `choices`."""
    return [(path, spec.label) for path, spec in _checked(doc_type, data, missing=False)]


def require_fields(doc_type: DocType, data: Mapping[str, Any]) -> None:
    """Raise InvalidInput naming, in Chinese, every missing label (DOCUMENT_FIELDS_MISSING), or
    else every value outside its allowed choices (DOCUMENT_FIELDS_INVALID)."""
    if not isinstance(data, Mapping):
        raise InvalidInput(f"《{doc_type.title}》的数据应为字典", code="DOCUMENT_FIELDS_MISSING",
                           details={"": "数据格式不正确"})
    missing = missing_fields(doc_type, data)
    if missing:
        labels = list(dict.fromkeys(label for _, label in missing))
        raise InvalidInput(
            f"《{doc_type.title}》缺少必填内容：{'、'.join(labels)}，不能生成文书",
            code="DOCUMENT_FIELDS_MISSING",
            details={path: f"缺少：{label}" for path, label in missing},
        )
    invalid = _checked(doc_type, data, missing=False)
    if invalid:
        details = {path: f"{spec.label}应为：{'、'.join(spec.choices or ())}"
                   for path, spec in invalid}
        raise InvalidInput(
            f"《{doc_type.title}》内容不正确：{'；'.join(details.values())}",
            code="DOCUMENT_FIELDS_INVALID",
            details=details,
        )
