"""Opening, meeting and cancelling a case's deadlines as part of a transition's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.deadlines.models import Deadline, DeadlineStatus
from caseflow.legal_time import Period, WorkCalendar, compute_due
from caseflow.workflow.definition import ALL_DEADLINES, DeadlineRule


def open_deadline(
    *,
    db_session: Session,
    case_id: int,
    rule: DeadlineRule,
    start: datetime,
    calendar: WorkCalendar | None = None,
) -> Deadline:
    result = compute_due(
        start, Period(rule.length, rule.unit), calendar=calendar, articles=(rule.basis,)
    )
    reasoning = list(result.reasoning)
    reasoning.extend(result.flags)
    deadline = Deadline(
        case_id=case_id, rule_code=rule.code, name=rule.name, basis=rule.basis,
        started_at=start, due_at=result.due_at, due_date=result.due_date,
        provisional=result.provisional, reasoning=reasoning, status=DeadlineStatus.open,
    )
    db_session.add(deadline)
    return deadline


def running(*, db_session: Session, case_id: int, rule_code: str) -> Deadline | None:
    """The open deadline of `rule_code` on the case, if any (the newest)."""
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
    elif outliving:
        stmt = stmt.where(Deadline.rule_code.not_in(outliving))
    closed = list(db_session.scalars(stmt))
    for d in closed:
        if status is DeadlineStatus.met and at >= d.due_at and d.rule_code not in no_breach:
            d.status = DeadlineStatus.overdue  # done, but late: stays visible as a breach
        else:
            d.status = status
        d.closed_at = at
    return closed


def for_case(*, db_session: Session, case_id: int) -> list[Deadline]:
    return list(
        db_session.scalars(select(Deadline).where(Deadline.case_id == case_id).order_by(Deadline.id))
    )

