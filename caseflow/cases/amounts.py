"""The amounts a case records (涉案金额, 骗取金额, 造成损失金额) and which step may change them.
What an officer types is typed by the step's declared inputs (`money`: 元 exact to the 分).

A fine measured as a multiple (《医疗保障基金使用监督管理条例》第三十七条、第三十八条、第四十条,
《社会保险法》第八十七条、第八十八条) is counted from the amount the case records, and 责令退回 is
bounded by it. So the amounts are facts of the case, set where they are found — 提请立案 (the clue)
and 调查终结 (the investigation's finding) — and changed afterwards only by the step 变更认定金额,
with its reason, by the investigating post, which sends a reviewed proposal back to 法制审核.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

AMOUNT_FIELDS = {
    "amount_involved": "涉案金额",
    "amount_defrauded": "骗取金额",
    "amount_loss": "造成损失金额",
}


def amounts_in(payload: Mapping[str, Any]) -> dict[str, Decimal | None]:
    """The amounts a payload gives (keys present only), as the step's declared inputs typed them."""
    return {k: payload[k] for k in AMOUNT_FIELDS if k in payload}


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
