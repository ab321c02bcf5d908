"""The periodic sweep: raise reminders and overdue alerts for every running limit that needs one.

Due moments live in the deadline rows; each tick re-queries them (no job per deadline), so a
restart catches up at once with everything that fell due while the process was down. Each row
carries `next_alert_at` (its reminder time, then its due time, then nothing), so a tick reads only
what is due by a range scan of a partial index, however many limits are running. Windows granted
to the party (陈述申辩, 听证申请) have no next alert: their end is no breach. Several
sweepers may run against one database: candidates are taken with `FOR UPDATE SKIP LOCKED` on
PostgreSQL (SQLite serialises writers), and the alert INSERT is `ON CONFLICT DO NOTHING` on the
unique key (deadline_id, kind) — a second sweeper never creates the same alert twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from typing import Any

from sqlalchemy import Engine, Row, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from caseflow.alerts.models import Alert, AlertKind, AlertRecipient
from caseflow.alerts.recipients import RecipientFinder
from caseflow.alerts.returns import raise_return_notices
from caseflow.cases.models import Case
from caseflow.db.base import utcnow
from caseflow.db.session import unit_of_work
from caseflow.deadlines.models import Deadline, DeadlineStatus
from caseflow.legal_time import SHANGHAI
from caseflow.workflow.registry import WorkflowLibrary, get_library

BATCH = 500


@dataclass
class SweepReport:
    reminders: int = 0
    overdue: int = 0
    recipients: int = 0
    returned: int = 0  # 退回 notices (alerts/returns.py)

    def __str__(self) -> str:
        return (f"新提醒 {self.reminders} 条，新逾期预警 {self.overdue} 条，退回通知 {self.returned} 条，"
                f"通知 {self.recipients} 人次")


def sweep(engine: Engine, *, now: datetime | None = None, library: WorkflowLibrary | None = None,
          batch: int = BATCH) -> SweepReport:
    """One tick: every alert due by `now`, in batches of `batch`, each batch its own transaction."""
    now = now or utcnow()
    library = library or get_library()
    report = SweepReport()
    with unit_of_work(engine) as s:
        report.returned, people = raise_return_notices(s, now, library)
        report.recipients += people
    while True:
        with unit_of_work(engine) as s:
            seen = _sweep_batch(s, now, library, batch, report)
        if seen < batch:
            return report


def _candidates(db: Session, now: datetime, batch: int) -> list[Row[Any]]:
    """Running limits whose next alert is due: a range scan of the partial next_alert_at index."""
    stmt = (
        select(Deadline.id, Deadline.case_id, Deadline.rule_code, Deadline.name, Deadline.due_at,
               Deadline.due_date, Case.case_no, Case.agency_id, Case.procedure_code,
               Case.procedure_version, Case.post_sections, Case.state)
        .join(Case, Case.id == Deadline.case_id)
        .where(Deadline.status == DeadlineStatus.open, Deadline.next_alert_at.is_not(None),
               Deadline.next_alert_at <= now)
        .order_by(Deadline.next_alert_at)
        .limit(batch)
    )
    if db.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=Deadline, skip_locked=True)
    return list(db.execute(stmt))


def _sweep_batch(db: Session, now: datetime, library: WorkflowLibrary, batch: int,
                 report: SweepReport) -> int:
    rows = _candidates(db, now, batch)
    if not rows:
        return 0
    finder = RecipientFinder(db, library)
    officers = finder.officers_of({r.case_id for r in rows})
    insert = postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert
    for r in rows:
        kind = AlertKind.overdue if r.due_at <= now else AlertKind.reminder
        # After the reminder the next alert is the overdue one; after that, none.
        db.execute(update(Deadline).where(Deadline.id == r.id).values(
            next_alert_at=r.due_at if kind is AlertKind.reminder else None))
        alert_id = db.execute(
            insert(Alert)
            .values(deadline_id=r.id, case_id=r.case_id, agency_id=r.agency_id, kind=kind,
                    due_at=r.due_at, raised_at=now,
                    message=_message(kind, r.case_no, r.name, r.due_at, r.due_date))
            .on_conflict_do_nothing(index_elements=["deadline_id", "kind"])
            .returning(Alert.id)
        ).scalar_one_or_none()
        if alert_id is None:  # raised already (by another sweeper)
            continue
        if kind is AlertKind.overdue:
            report.overdue += 1
        else:
            report.reminders += 1
        to = finder.for_deadline(case=r, rule_code=r.rule_code, officers=officers.get(r.case_id, []))
        if to:
            db.execute(insert(AlertRecipient), [
                {"alert_id": alert_id, "user_id": u, "role": role} for u, role in to
            ])
            report.recipients += len(to)
    return len(rows)


def _message(kind: AlertKind, case_no: str, name: str, due_at: datetime, due_date: date | None) -> str:
    shown = limit_text(due_at, due_date)
    if kind is AlertKind.overdue:
        return f"{case_no}：「{name}」期限{shown}已届满，尚未办结，已逾期。"
    return f"{case_no}：「{name}」期限{shown}即将届满，请及时办理。"


def limit_text(due_at: datetime, due_date: date | None) -> str:
    """"至2026年06月08日" for day periods (the whole last day counts), else the hour, 北京时间."""
    if due_date is not None:
        return f"至{due_date:%Y年%m月%d日}"
    return f"至{due_at.astimezone(SHANGHAI):%Y年%m月%d日%H时%M分}"
