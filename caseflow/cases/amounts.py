"""The amounts a case records (涉案金额, 骗取金额, 造成损失金额): parsing what an officer types, and
which step may change them.

A fine measured as a multiple (《医疗保障基金使用监督管理条例》第三十七条、第三十八条、第四十条,
《社会保险法》第八十七条、第八十八条) is counted from the amount the case records, and 责令退回 is
bounded by it. So the amounts are facts of the case, set where they are found — 提请立案 (the clue)
and 调查终结 (the investigation's finding) — and changed afterwards only by the step 变更认定金额,
with its reason, by the investigating post, which sends a reviewed proposal back to 法制审核.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from caseflow.db.types import CENT
from caseflow.errors import InvalidInput

AMOUNT_FIELDS = {
    "amount_involved": "涉案金额",
    "amount_defrauded": "骗取金额",
    "amount_loss": "造成损失金额",
}
MAX_AMOUNT = Decimal("1e12")  # the Money column (Numeric(14, 2)) holds less than 10¹² 元


def parse_amount(raw: Any, key: str) -> Decimal | None:
    """An amount in 元 exact to the 分 ("12,680.50" accepted); None when left empty."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    label = AMOUNT_FIELDS.get(key, "金额")
    if isinstance(raw, bool) or not isinstance(raw, (str, int, Decimal, float)):
        raise InvalidInput(f"{label}须为数字（单位：元）。", details={key: "金额须为数字"})
    try:
        value = Decimal(str(raw).replace(",", "").replace("，", "").strip())
    except InvalidOperation:
        raise InvalidInput(f"{label}须为数字（单位：元）。", details={key: "金额须为数字"}) from None
    if not value.is_finite() or value >= MAX_AMOUNT:
        raise InvalidInput(f"{label}须为小于一万亿元的数字。", details={key: "金额超出范围"})
    if value < 0 or value != value.quantize(CENT):
        raise InvalidInput(f"{label}不能为负且须精确到分。", details={key: "金额不能为负且须精确到分"})
    return value


def amounts_in(payload: Mapping[str, Any]) -> dict[str, Decimal | None]:
    """The amounts a payload gives (keys present only), parsed."""
    return {k: parse_amount(payload[k], k) for k in AMOUNT_FIELDS if k in payload}


def recorded_amounts(case: Any) -> dict[str, Decimal | None]:
    return {k: getattr(case, k) for k in AMOUNT_FIELDS}


def changed_amounts(case: Any, payload: Mapping[str, Any]) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    """{field: (recorded, given)} for every amount the payload would change."""
    return {k: (getattr(case, k), v) for k, v in amounts_in(payload).items() if v != getattr(case, k)}


def describe_change(changes: Mapping[str, tuple[Decimal | None, Decimal | None]]) -> list[str]:
    """"骗取金额：30,000.00元 → 10,000.00元" per changed amount, for the audit trail."""
    def yuan(v: Decimal | None) -> str:
        return f"{v:,.2f}元" if v is not None else "未认定"
    return [f"{AMOUNT_FIELDS[k]}：{yuan(old)} → {yuan(new)}" for k, (old, new) in changes.items()]
