"""When to remind the people responsible before a limit ends.

Periods in hours (24小时补办批准): `hours_before` the end. Periods in days, months or years: at the
start (00:00 北京时间) of the `working_days_before`-th working day before the last day — "one
working day before" means the officer has a whole working day left to act. Never earlier than the
start.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from caseflow.legal_time.calendar import WorkCalendar
from caseflow.legal_time.periods import SHANGHAI, DueResult, PeriodUnit


def reminder_at(result: DueResult, start: datetime, calendar: WorkCalendar, *,
                working_days_before: int = 1, hours_before: int = 2) -> datetime:
    unit = result.period.unit if result.period is not None else None
    if unit is PeriodUnit.HOUR or result.due_date is None:
        moment = result.due_at - timedelta(hours=hours_before)
    else:
        day = result.due_date
        left = working_days_before
        floor = start.astimezone(SHANGHAI).date()
        while left > 0 and day > floor:
            day -= timedelta(days=1)
            if calendar.is_working_day(day):
                left -= 1
        moment = datetime.combine(day, time(0), tzinfo=SHANGHAI).astimezone(UTC)
    return max(moment, start)
