"""The sweep as it was before issue 20 (one alert at a time: its own UPDATE, INSERT … RETURNING and
recipients' INSERT, the recipients worked out per alert): kept as the reference the batched sweep
is compared with (who gets which alert, and what it says). Not used by the application."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Engine, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from caseflow.alerts.models import Alert, AlertKind, AlertRecipient, AlertRole
from caseflow.alerts.recipients import SECTION_HEAD_POST, SUPERVISOR_POST, RecipientFinder
from caseflow.alerts.sweep import SweepReport, _message
from caseflow.cases.models import Case
from caseflow.cases.posts import required_post
from caseflow.db.session import unit_of_work
from caseflow.deadlines.models import Deadline, DeadlineStatus
from caseflow.workflow.registry import WorkflowLibrary, get_library


def for_deadline(finder: RecipientFinder, *, case, rule_code: str,  # type: ignore[no-untyped-def]
                 officers: list[tuple[int, AlertRole]]) -> list[tuple[int, AlertRole]]:
    proc = finder.library.procedure(case.procedure_code, case.procedure_version)
    seats = list(dict.fromkeys(
        required_post(case, t)
        for t in (*[t for t in proc.transitions if rule_code in t.meets], *proc.awaited(case.state))
    ))
    picked: dict[int, AlertRole] = {}

    def add(users: Iterable[int], role: AlertRole) -> None:
        for u in users:
            picked.setdefault(u, role)

    for user_id, role in officers:
        picked.setdefault(user_id, role)
    for post, section in seats:
        add(finder.holders(case.agency_id, post, section), AlertRole.post_holder)
    for section in dict.fromkeys(s for _, s in seats if s):
        add(finder.holders(case.agency_id, SECTION_HEAD_POST, section), AlertRole.section_head)
    add(finder.holders(case.agency_id, SUPERVISOR_POST, None), AlertRole.supervisor)
    return list(picked.items())


def sweep_unbatched(engine: Engine, *, now: datetime, library: WorkflowLibrary | None = None,
                    batch: int = 500) -> SweepReport:
    library = library or get_library()
    report = SweepReport()
    while True:
        with unit_of_work(engine) as s:
            seen = _sweep_batch(s, now, library, batch, report)
        if seen < batch:
            return report


def _sweep_batch(db: Session, now: datetime, library: WorkflowLibrary, batch: int, report: SweepReport) -> int:
    rows = list(db.execute(
        select(Deadline.id, Deadline.case_id, Deadline.rule_code, Deadline.name, Deadline.due_at,
               Deadline.due_date, Case.case_no, Case.agency_id, Case.procedure_code,
               Case.procedure_version, Case.post_sections, Case.state)
        .join(Case, Case.id == Deadline.case_id)
        .where(Deadline.status == DeadlineStatus.open, Deadline.next_alert_at.is_not(None),
               Deadline.next_alert_at <= now)
        .order_by(Deadline.next_alert_at)
        .limit(batch)
    ))
    if not rows:
        return 0
    finder = RecipientFinder(db, library)
    officers = finder.officers_of({r.case_id for r in rows})
    insert = postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert
    for r in rows:
        kind = AlertKind.overdue if r.due_at <= now else AlertKind.reminder
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
        if alert_id is None:
            continue
        if kind is AlertKind.overdue:
            report.overdue += 1
        else:
            report.reminders += 1
        to = for_deadline(finder, case=r, rule_code=r.rule_code, officers=officers.get(r.case_id, []))
        if to:
            db.execute(insert(AlertRecipient), [{"alert_id": alert_id, "user_id": u, "role": role} for u, role in to])
            report.recipients += len(to)
    return len(rows)
