"""Opening, meeting and cancelling a case's deadlines as part of a transition's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseflow.db.memo import is_read_only, read_once
from caseflow.deadlines.models import Deadline, DeadlineStatus
from caseflow.legal_time import (
    SHANGHAI,
    Period,
    PeriodUnit,
    WorkCalendar,
    compute_due,
    default_calendar,
    reminder_at,
)
from caseflow.org.settings import ReminderSetting
from caseflow.workflow.definition import ALL_DEADLINES, DeadlineRule


def open_deadline(
    *,
    db_session: Session,
    case_id: int,
    agency_id: int,
    rule: DeadlineRule,
    start: datetime,
    calendar: WorkCalendar | None = None,
    reminders: ReminderSetting | None = None,
    name: str | None = None,
) -> Deadline:
    """A running limit of `rule` from `start`, with its due moment, reasoning and reminder time.
    Windows granted to the party (expiry is no breach) get no reminder: nobody is late."""
    calendar = calendar or default_calendar()
    result = compute_due(
        start, Period(rule.length, rule.unit), calendar=calendar, articles=(rule.basis,)
    )
    reminders = reminders or ReminderSetting()
    remind = (
        reminder_at(result, start, calendar, working_days_before=reminders.working_days_before,
                    hours_before=reminders.hours_before)
        if rule.expiry_is_breach else None
    )
    deadline = Deadline(
        case_id=case_id, agency_id=agency_id, rule_code=rule.code, name=name or rule.name, basis=rule.basis,
        started_at=start, due_at=result.due_at, due_date=result.due_date, remind_at=remind,
        next_alert_at=remind,
        provisional=result.provisional, reasoning=[*result.reasoning, *result.flags],
        status=DeadlineStatus.open,
    )
    db_session.add(deadline)
    return deadline


def extend_deadline(
    *,
    db_session: Session,
    current: Deadline,
    rule: DeadlineRule,
    length: int,
    unit: PeriodUnit,
    at: datetime,
    by_user_id: int,
    approval: str,
    reason: str,
    calendar: WorkCalendar | None = None,
    reminders: ReminderSetting | None = None,
) -> Deadline:
    """Close `current` as extended (who approved, how, why) and open the extension, which runs on
    from the last day of the current limit (its exclusive end, minus a day)."""
    close_as_extended(current, at=at, by_user_id=by_user_id, approval=approval, reason=reason)
    base = current.due_at - timedelta(days=1) if unit is not PeriodUnit.HOUR else current.due_at
    return open_deadline(
        db_session=db_session, case_id=current.case_id, agency_id=current.agency_id,  # type: ignore[arg-type]
        rule=replace(rule, length=length, unit=unit),
        start=base, calendar=calendar, reminders=reminders, name=f"{rule.name}（延长）",
    )


def close_as_extended(current: Deadline, *, at: datetime, by_user_id: int, approval: str, reason: str) -> None:
    """`current` ends as extended, with who approved it, by which step and why."""
    current.status = DeadlineStatus.extended
    current.closed_at = at
    current.extended_by_id, current.extension_approval, current.extension_reason = (
        by_user_id, approval, reason)


def open_deadline_until(
    *, db_session: Session, case_id: int, agency_id: int, rule: DeadlineRule, start: datetime,
    last_day: date, reasoning: list[str], name: str | None = None,
) -> Deadline:
    """A limit whose last day was set by a decision (a 复议机关's order to decide again within a
    period, the head's approval of 暂缓缴纳), not counted from a rule's length."""
    due_at = datetime.combine(last_day + timedelta(days=1), time(), tzinfo=SHANGHAI)
    deadline = Deadline(
        case_id=case_id, agency_id=agency_id, rule_code=rule.code, name=name or rule.name,
        basis=rule.basis, started_at=start, due_at=due_at, due_date=last_day, remind_at=None,
        next_alert_at=due_at if rule.expiry_is_breach else None,  # the agency's: alerted when missed
        provisional=False, reasoning=reasoning, status=DeadlineStatus.open,
    )
    db_session.add(deadline)
    return deadline


def running(*, db_session: Session, case_id: int, rule_code: str) -> Deadline | None:
    """The open deadline of `rule_code` on the case, if any (the newest). A page's guards ask it for
    several rules: in a read-only unit of work it is picked from the case's deadlines read once."""
    if is_read_only(db_session):
        return next((d for d in reversed(for_case(db_session=db_session, case_id=case_id))
                     if d.rule_code == rule_code and d.status == DeadlineStatus.open), None)
    return db_session.scalar(
        select(Deadline)
        .where(
            Deadline.case_id == case_id,
            Deadline.rule_code == rule_code,
            Deadline.status == DeadlineStatus.open,
        )
        .order_by(Deadline.id.desc())
    )


def latest(*, db_session: Session, case_id: int, rule_code: str) -> Deadline | None:
    """The newest deadline of `rule_code` on the case, whatever its status."""
    return db_session.scalar(
        select(Deadline)
        .where(Deadline.case_id == case_id, Deadline.rule_code == rule_code)
        .order_by(Deadline.id.desc())
    )


def close_deadlines(
    *,
    db_session: Session,
    case_id: int,
    rule_codes: Iterable[str],
    status: DeadlineStatus,
    at: datetime,
    no_breach: frozenset[str] = frozenset(),
    outliving: frozenset[str] = frozenset(),
) -> list[Deadline]:
    """Close the open deadlines named (or all with "*"): met on time, overdue if late, or cancelled.

    Rules in `no_breach` (windows granted to the party) are met even when closed after their end;
    "*" leaves the rules in `outliving` running (the party's 复议/诉讼 windows).
    """
    codes = set(rule_codes)
    if not codes:
        return []
    stmt = select(Deadline).where(
        Deadline.case_id == case_id, Deadline.status == DeadlineStatus.open
    )
    if ALL_DEADLINES not in codes:
        stmt = stmt.where(Deadline.rule_code.in_(codes))
    elif outliving - codes:  # "*" spares the outliving rules the step does not name itself
        stmt = stmt.where(Deadline.rule_code.not_in(outliving - codes))
    closed = list(db_session.scalars(stmt))
    for d in closed:
        if status is DeadlineStatus.met and at >= d.due_at and d.rule_code not in no_breach:
            d.status = DeadlineStatus.overdue  # done, but late: stays visible as a breach
        else:
            d.status = status
        d.closed_at = at
    return closed


def for_case(*, db_session: Session, case_id: int) -> list[Deadline]:
    """Every deadline of the case, oldest first (read once per read-only unit of work)."""
    return list(read_once(db_session, ("deadlines", case_id), lambda: tuple(
        db_session.scalars(select(Deadline).where(Deadline.case_id == case_id).order_by(Deadline.id)))))



def count_with_status(*, db_session: Session, case_id: int, rule_code: str, status: DeadlineStatus) -> int:
    return int(db_session.scalar(
        select(func.count()).select_from(Deadline).where(
            Deadline.case_id == case_id, Deadline.rule_code == rule_code, Deadline.status == status)
    ) or 0)
