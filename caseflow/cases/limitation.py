"""追责时效: how long a violation may still be punished (《行政处罚法》第三十六条).

违法行为在二年内未被发现的，不再给予行政处罚；涉及公民生命健康安全、金融安全且有危害后果的，上述期限
延长至五年 (the item's `limitation_years` in the case's catalog snapshot, set with a reason in the
catalog overlay). 前款规定的期限，从违法行为发生之日起计算；违法行为有连续或者继续状态的，从行为终了之日起
计算 — so from `violation_until` where the case records an end, else from `violation_from`.

The violation counts as 发现 when the case is filed (立案): 立案 is refused after the period ends,
unless the head files it only for what the law still allows — 责令退回/追回 of the fund and 不予行政处罚
— and then no punitive measure can be decided. The case page warns in the last 90 日.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from caseflow.documents.types import CORRECTIVE_KINDS
from caseflow.errors import InvalidInput
from caseflow.legal_time import SHANGHAI, Period, PeriodUnit, WorkCalendar, compute_due

WARN_DAYS = 90
BASIS = "《行政处罚法》第三十六条"
# Not 行政处罚 (第九条): restoring the fund and correcting the conduct remain after the period.
NOT_PUNITIVE = frozenset(CORRECTIVE_KINDS)


@dataclass(frozen=True)
class Limitation:
    years: int
    counted_from: date
    last_day: date
    ends_at: datetime  # exclusive: 00:00 (Beijing) after the last day
    provisional: bool

    def expired_at(self, when: datetime) -> bool:
        return when >= self.ends_at

    def days_left(self, when: datetime) -> int:
        return (self.last_day - when.astimezone(SHANGHAI).date()).days

    def text(self) -> str:
        return (f"追责时效{self.years}年，自{self.counted_from:%Y年%m月%d日}起算，"
                f"至{self.last_day:%Y年%m月%d日}届满（{BASIS}）")


def limitation_years(catalog_entry: dict[str, Any] | None) -> int:
    return int((catalog_entry or {}).get("limitation_years") or 2)


def limitation_of(case: Any, calendar: WorkCalendar) -> Limitation | None:
    """The case's 追责时效, or None while the violation's date is not recorded."""
    return limitation_for(case.violation_from, case.violation_until, case.catalog_entry, calendar)


def limitation_for(violation_from: date | None, violation_until: date | None,
                   catalog_entry: dict[str, Any] | None, calendar: WorkCalendar) -> Limitation | None:
    start = violation_until or violation_from
    if start is None:
        return None
    years = limitation_years(catalog_entry)
    due = compute_due(datetime.combine(start, time(), tzinfo=SHANGHAI), Period(years, PeriodUnit.YEAR),
                      calendar=calendar)
    assert due.due_date is not None
    return Limitation(years, start, due.due_date, due.due_at, due.provisional)


def violation_period(payload: dict[str, Any], case: Any, now: datetime) -> tuple[date | None, date | None]:
    """(from, until) as the payload gives them (dates, typed by the step's inputs) over what the case
    records; checked for order."""
    start = payload["violation_from"] if "violation_from" in payload else case.violation_from
    end = payload["violation_until"] if "violation_until" in payload else case.violation_until
    today = now.astimezone(SHANGHAI).date()
    if start is not None and start > today:
        raise InvalidInput("违法行为发生日期不能晚于今天。", details={"violation_from": "晚于今天"})
    if end is not None and end > today:
        raise InvalidInput("违法行为终了日期不能晚于今天。", details={"violation_until": "晚于今天"})
    if start is not None and end is not None and end < start:
        raise InvalidInput("违法行为终了日期不能早于发生日期。", details={"violation_until": "早于发生日期"})
    if end is not None and start is None:
        raise InvalidInput("请填写违法行为发生日期。", details={"violation_from": "不能为空"})
    return start, end
