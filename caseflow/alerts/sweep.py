"""The periodic sweep: raise reminders and overdue alerts for every running limit that needs one.

Due moments live in the deadline rows; each tick re-queries them (no job per deadline), so a
restart catches up at once with everything that fell due while the process was down. Several
sweepers may run against one database: candidates are taken with `FOR UPDATE SKIP LOCKED` on
PostgreSQL (SQLite serialises writers), and the alert INSERT is `ON CONFLICT DO NOTHING` on the
unique key (deadline_id, kind) — a second sweeper never creates the same alert twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, exists, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from caseflow.alerts.models import Alert, AlertKind, AlertRecipient
from caseflow.alerts.recipients import RecipientFinder
from caseflow.cases.models import Case
from caseflow.db.base import utcnow
from caseflow.db.session import unit_of_work
from caseflow.deadlines.models import Deadline, DeadlineStatus
from caseflow.deadlines.watch import breach_rules
from caseflow.legal_time import SHANGHAI
from caseflow.workflow.registry import WorkflowLibrary, get_library

BATCH = 500


@dataclass
class SweepReport:
    reminders: int = 0
    overdue: int = 0
    recipients: int = 0

    def __str__(self) -> str:
        return f"新提醒 {self.reminders} 条，新逾期预警 {self.overdue} 条，通知 {self.recipients} 人次"


def sweep(engine: Engine, *, now: datetime | None = None, library: WorkflowLibrary | None = None,
          batch: int = BATCH) -> SweepReport:
    """One tick: every alert due by `now`, in batches of `batch`, each batch its own transaction."""
    now = now or utcnow()
    library = library or get_library()
    rules = breach_rules(library)
    report = SweepReport()
    for kind in (AlertKind.overdue, AlertKind.reminder):
        while True:
            with unit_of_work(engine) as s:
                raised, people, seen = _sweep_batch(s, kind, now, library, rules, batch)
            setattr(report, kind.value, getattr(report, kind.value) + raised)
            report.recipients += people
            if seen < batch:
                break
    return report


def _candidates(db: Session, kind: AlertKind, now: datetime, rules: list[str], batch: int):  # type: ignore[no-untyped-def]
    moment = Deadline.due_at if kind is AlertKind.overdue else Deadline.remind_at
    already = exists().where(Alert.deadline_id == Deadline.id, Alert.kind == kind)
    stmt = (
        select(Deadline.id, Deadline.case_id, Deadline.rule_code, Deadline.name, Deadline.due_at,
               Deadline.due_date,
               Case.case_no, Case.agency_id, Case.procedure_code, Case.procedure_version,
               Case.post_sections)
        .join(Case, Case.id == Deadline.case_id)
        .where(Deadline.status == DeadlineStatus.open, moment <= now, Deadline.rule_code.in_(rules),
               ~already)
        .order_by(moment)
        .limit(batch)
    )
    if kind is AlertKind.reminder:
        stmt = stmt.where(Deadline.due_at > now)  # past due: the overdue alert says it all
    if db.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=Deadline, skip_locked=True)
    return list(db.execute(stmt))


def _sweep_batch(db: Session, kind: AlertKind, now: datetime, library: WorkflowLibrary,
                 rules: list[str], batch: int) -> tuple[int, int, int]:
    rows = _candidates(db, kind, now, rules, batch)
    if not rows:
        return 0, 0, 0
    finder = RecipientFinder(db, library)
    officers = finder.officers_of({r.case_id for r in rows})
    insert = postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert
    raised = people = 0
    for r in rows:
        alert_id = db.execute(
            insert(Alert)
            .values(deadline_id=r.id, case_id=r.case_id, agency_id=r.agency_id, kind=kind,
                    due_at=r.due_at, raised_at=now, message=_message(kind, r.case_no, r.name, r.due_at, r.due_date))
            .on_conflict_do_nothing(index_elements=["deadline_id", "kind"])
            .returning(Alert.id)
        ).scalar_one_or_none()
        if alert_id is None:  # another sweeper raised it first
            continue
        raised += 1
        to = finder.for_deadline(case=r, rule_code=r.rule_code, officers=officers.get(r.case_id, []))
        if to:
            db.execute(insert(AlertRecipient), [
                {"alert_id": alert_id, "user_id": u, "role": role} for u, role in to
            ])
            people += len(to)
    return raised, people, len(rows)


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
