"""Entering a year's holiday notice and building the working-day calendar from library + overrides.

The calendar is cached per process and rebuilt when this process edits the data; other processes
see an edit after `CALENDAR_TTL_SECONDS` (notices are entered once a year, weeks ahead).
"""

from __future__ import annotations

import threading
import time
from datetime import date

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from caseflow.errors import InvalidInput
from caseflow.holidays.models import HolidayOverride, HolidayYear
from caseflow.legal_time import DayOverride, WorkCalendar

CALENDAR_TTL_SECONDS = 60.0
KINDS = {"holiday": "放假", "workday": "调休上班"}

_lock = threading.Lock()
_cached: dict[str, tuple[float, WorkCalendar]] = {}


def set_day(*, db_session: Session, day: date, kind: str, name: str = "", notice: str = "",
            entered_by_id: int | None = None) -> HolidayOverride:
    if kind not in KINDS:
        raise InvalidInput("类型须为 holiday（放假）或 workday（调休上班）。", details={"kind": "类型无效"})
    row = db_session.get(HolidayOverride, day) or HolidayOverride(day=day)
    row.kind, row.name, row.notice, row.entered_by_id = kind, name.strip(), notice.strip(), entered_by_id
    db_session.add(row)
    _invalidate_on_commit(db_session)
    return row


def remove_day(*, db_session: Session, day: date) -> bool:
    row = db_session.get(HolidayOverride, day)
    if row is None:
        return False
    db_session.delete(row)
    _invalidate_on_commit(db_session)
    return True


def declare_year(*, db_session: Session, year: int, notice: str,
                 entered_by_id: int | None = None) -> HolidayYear:
    """Mark `year` as entered: its days count as the overrides say, no longer provisional."""
    if not notice.strip():
        raise InvalidInput("请填写放假通知的名称和文号。", details={"notice": "必填"})
    if not 2000 <= year <= 2100:
        raise InvalidInput(f"年份「{year}」无效。", details={"year": "年份无效"})
    row = db_session.get(HolidayYear, year) or HolidayYear(year=year)
    row.notice, row.entered_by_id = notice.strip(), entered_by_id
    db_session.add(row)
    _invalidate_on_commit(db_session)
    return row


def overrides(*, db_session: Session) -> list[HolidayOverride]:
    return list(db_session.scalars(select(HolidayOverride).order_by(HolidayOverride.day)))


def years(*, db_session: Session) -> list[HolidayYear]:
    return list(db_session.scalars(select(HolidayYear).order_by(HolidayYear.year)))


def build_calendar(*, db_session: Session) -> WorkCalendar:
    days = {o.day: DayOverride(o.kind, o.name) for o in overrides(db_session=db_session)}  # type: ignore[arg-type]
    return WorkCalendar(days, [y.year for y in years(db_session=db_session)])


def calendar_for(*, db_session: Session) -> WorkCalendar:
    """The calendar every deadline is counted with (cached; see the module docstring)."""
    key = str(db_session.get_bind().url)
    now = time.monotonic()
    with _lock:
        hit = _cached.get(key)
        if hit is not None and now - hit[0] < CALENDAR_TTL_SECONDS:
            return hit[1]
    cal = build_calendar(db_session=db_session)
    with _lock:
        _cached[key] = (now, cal)
    return cal


def invalidate() -> None:
    with _lock:
        _cached.clear()


def _invalidate_on_commit(db_session: Session) -> None:
    invalidate()  # this session's next calendar sees its own edit …
    for when in ("after_commit", "after_rollback"):  # … and so do others, whatever the outcome
        event.listen(db_session, when, lambda _s: invalidate(), once=True)
