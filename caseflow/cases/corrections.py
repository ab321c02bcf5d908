"""What a 更正 of an issued document may change: the wording of what the document found and said
(违法事实, 证据, 理由, 陈述申辩情况, 办理经过, 履行方式, a measure's wording, a party's address or
phone) — never what identifies the document, the case, the agency or the party, the dates of acts, nor
a measure itself (its kind, amount, term or basis: changing those is a new decision, not a 笔误).

Corrections have the shape of the document's data, e.g. {"facts": "…"} or {"parties": [{…}]}; a list
is given whole, and only the wording of each entry may differ from the issued one.
"""

from __future__ import annotations

from typing import Any

from caseflow.cases.rules import refuse
from caseflow.errors import InvalidInput
from caseflow.workflow.input_values import Bad, text

TEXTS = {"facts": "违法事实", "reasons": "理由", "statement_summary": "陈述、申辩情况",
         "procedure": "办理经过", "performance": "履行方式"}
LISTS_OF_TEXT = {"evidence": "证据"}
# Lists whose entries may change only in these keys (the rest identifies the party or the measure).
ROWS = {"parties": ("当事人", frozenset({"address", "phone"})),
        "penalties": ("处罚内容", frozenset({"description"}))}
TEXT_LIMIT = 20000


def corrected(data: dict[str, Any], corrections: Any) -> dict[str, Any]:
    """The document's data with `corrections` applied, or the refusal naming what may not change."""
    if not isinstance(corrections, dict):
        raise InvalidInput("更正内容须为对象，如 {\"facts\": \"…\"}。", details={"corrections": "须为对象"})
    out = dict(data)
    refused: list[str] = []
    for key, value in corrections.items():
        if key in TEXTS:
            out[key] = _text(value, key, TEXTS[key])
        elif key in LISTS_OF_TEXT:
            if not isinstance(value, list):
                raise InvalidInput(f"「{LISTS_OF_TEXT[key]}」须为列表。", details={key: "须为列表"})
            out[key] = [_text(v, key, LISTS_OF_TEXT[key]) for v in value]
        elif key in ROWS and _same_but(data.get(key), value, ROWS[key][1]):
            out[key] = value
        else:
            refused.append(ROWS[key][0] if key in ROWS else str(key)[:40])
    if refused:
        raise refuse("correction_only_wording", fields="、".join(refused),
                     details={"corrections": "不可更正：" + "、".join(refused)})
    return out


def _text(value: Any, key: str, label: str) -> str:
    try:
        cleaned = text(value, limit=TEXT_LIMIT, multiline=True)
    except Bad as exc:
        raise InvalidInput(f"「{label}」{exc}。", details={key: str(exc)}) from None
    if not cleaned:
        raise InvalidInput(f"「{label}」不能为空。", details={key: "不能为空"})
    return cleaned


def _same_but(old: Any, new: Any, wording: frozenset[str]) -> bool:
    """`new` is `old` entry by entry, except for the wording keys (each a text)."""
    if not (isinstance(old, list) and isinstance(new, list) and len(old) == len(new)):
        return False
    for before, after in zip(old, new):
        if not (isinstance(before, dict) and isinstance(after, dict)):
            return False
        if {k: v for k, v in before.items() if k not in wording} != {k: v for k, v in after.items() if k not in wording}:
            return False
        for k in wording & after.keys():
            if after[k] is not None:
                after[k] = _text(after[k], k, k)
    return True
