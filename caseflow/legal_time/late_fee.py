"""加处罚款: 3% of the fine for each day the fine is paid late, never more than the fine.

《行政处罚法》第七十二条第一款第（一）项: 到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处
罚款的数额不得超出罚款的数额. 第七十三条第三款: 当事人申请行政复议或者提起行政诉讼的，加处罚款的数额
在行政复议或者行政诉讼期间不予计算. Days are calendar days (第八十五条 makes only 二、三、五、七日
working days); the first late day is the day after the last day of the 15-day period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

RATE = Decimal("0.03")
CENT = Decimal("0.01")
BASIS = "《行政处罚法》第七十二条第一款第（一）项、第七十三条第三款"


@dataclass(frozen=True)
class LateFee:
    days: int  # late days counted
    paused_days: int  # late days not counted (复议/诉讼 pending)
    amount: Decimal  # 加处罚款, in 元 to the 分
    capped: bool  # reached the amount of the fine
    reasoning: tuple[str, ...]


def late_payment_fee(fine: Decimal, last_day: date, as_of: date,
                     paused: Iterable[tuple[date, date]] = ()) -> LateFee:
    """The late fee owed on `as_of` for a fine whose payment period ended on `last_day`.
    `paused`: inclusive (first, last) day ranges while a 复议 or 诉讼 was pending."""
    if fine <= 0:
        raise ValueError("罚款数额须大于零")
    first_late = last_day + timedelta(days=1)
    span = max(0, (as_of - first_late).days + 1)
    stopped = {
        first_late + timedelta(days=i) for i in range(span)
        if any(a <= first_late + timedelta(days=i) <= b for a, b in paused)
    }
    days = span - len(stopped)
    raw = (fine * RATE * days).quantize(CENT, rounding=ROUND_HALF_UP)
    amount = min(raw, fine)
    lines = [
        f"缴纳期限最后一日为{last_day.isoformat()}，自{first_late.isoformat()}起每日按罚款数额的3%加处罚款（{BASIS}）",
        f"截至{as_of.isoformat()}逾期{span}日" + (f"，其中复议、诉讼期间{len(stopped)}日不予计算" if stopped else ""),
        f"{fine:,.2f}元 × 3% × {days}日 = {raw:,.2f}元",
    ]
    if raw > fine:
        lines.append(f"加处罚款不得超出罚款数额，按{fine:,.2f}元计")
    return LateFee(days, len(stopped), amount, raw >= fine, tuple(lines))
