"""Legal time: working-day calendar and the computation of statutory periods (期间)."""

from caseflow.legal_time.calendar import (
    DayInfo,
    DayOverride,
    WorkCalendar,
    default_calendar,
    uncovered_year_flag,
    weekday_name,
)
from caseflow.legal_time.periods import (
    SHANGHAI,
    DueResult,
    Period,
    PeriodUnit,
    compute_due,
    is_overdue,
    remaining,
)
from caseflow.legal_time.reminders import reminder_at
from caseflow.legal_time.rules import StatutoryUnit, statutory_rule, statutory_unit

__all__ = [
    "SHANGHAI",
    "DayInfo",
    "DayOverride",
    "DueResult",
    "Period",
    "PeriodUnit",
    "StatutoryUnit",
    "WorkCalendar",
    "compute_due",
    "default_calendar",
    "is_overdue",
    "reminder_at",
    "remaining",
    "statutory_rule",
    "statutory_unit",
    "uncovered_year_flag",
    "weekday_name",
]
