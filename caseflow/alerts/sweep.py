"""The periodic sweep: raise reminders and overdue alerts for every running limit that needs one.

Due moments live in the deadline rows; each tick re-queries them (no job per deadline), so a
restart catches up at once with everything that fell due while the process was down. Each row
carries `next_alert_at` (its reminder time, then its due time, then nothing), so a tick reads only
what is due by a range scan of a partial index, however many limits are running. Windows granted
to the party (陈述申辩, 听证申请) have no next alert: their end is no breach.

The sweep works in chunks of `batch` limits, each its own transaction: it reads the chunk's due
rows (keyset: each chunk starts after the last (next_alert_at, id) of the one before, so it never
walks again over what earlier chunks read), looks up who gets the alerts once for the chunk (the
officers of its cases, the post holders of its agencies), writes the chunk's alerts with one
multi-row INSERT and their recipients with another, moves the rows' `next_alert_at` on with two
UPDATEs, and commits. A crash between chunks loses nothing (the next tick finds the rest still due)
and repeats nothing (a committed chunk's rows are no longer due, and its alerts exist).

Several sweepers may run against one database (two `serve` processes each run the scheduler):
candidates are taken with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so two sweepers take disjoint
chunks (a row another one took is re-read after its commit and is no longer due); SQLite serialises
writers (`BEGIN IMMEDIATE`) and each chunk is read inside its write transaction. Behind both, the
alert INSERT is `ON CONFLICT DO NOTHING` on the unique key (deadline_id, kind) with RETURNING: only
alerts this sweeper created get recipients and are counted — never the same alert twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, Row, and_, or_, select, text, update
from sqlalchemy.orm import Session

from caseflow.alerts.models import AlertKind
from caseflow.alerts.recipients import RecipientFinder
from caseflow.alerts.returns import raise_return_notices
from caseflow.alerts.writes import insert_alerts, insert_recipients
from caseflow.cases.models import Case
from caseflow.db.base import utcnow
from caseflow.db.session import unit_of_work
from caseflow.deadlines.models import Deadline, DeadlineStatus
from caseflow.legal_time import SHANGHAI
from caseflow.workflow.registry import WorkflowLibrary, get_library

BATCH = 500

_Key = tuple[datetime, int]  # (next_alert_at, id) of the last row a chunk read


@dataclass
class SweepReport:
    reminders: int = 0
    overdue: int = 0
    recipients: int = 0
    returned: int = 0  # 退回 notices (alerts/returns.py)
    chunks: int = 0  # transactions that read due limits

    def __str__(self) -> str:
        return (f"新提醒 {self.reminders} 条，新逾期预警 {self.overdue} 条，退回通知 {self.returned} 条，"
                f"通知 {self.recipients} 人次")


def sweep(engine: Engine, *, now: datetime | None = None, library: WorkflowLibrary | None = None,
          batch: int = BATCH) -> SweepReport:
    """One tick: every alert due by `now`, in chunks of `batch` limits, each chunk its own transaction."""
    now = now or utcnow()
    library = library or get_library()
    report = SweepReport()
    with unit_of_work(engine) as s:
        report.returned, people = raise_return_notices(s, now, library)
        report.recipients += people
    after: _Key | None = None
    while True:
        with unit_of_work(engine) as s:
            seen, after = _sweep_chunk(s, now, library, batch, report, after)
        # Until a chunk finds nothing: on PostgreSQL a short chunk may only mean that another
        # sweeper holds the rows in between, and those after them are still to be taken.
        if not seen:
            return report


def _candidates(db: Session, now: datetime, batch: int, after: _Key | None = None) -> list[Row[Any]]:
    """Running limits whose next alert is due, after `after` in (next_alert_at, id) order: a range
    scan of the partial index ix_deadlines_open_next_alert_at_id."""
    stmt = (
        select(Deadline.id, Deadline.case_id, Deadline.rule_code, Deadline.name, Deadline.due_at,
               Deadline.due_date, Deadline.next_alert_at, Case.case_no, Case.agency_id,
               Case.procedure_code, Case.procedure_version, Case.post_sections, Case.state)
        .join(Case, Case.id == Deadline.case_id)
        # (`next_alert_at <= now` implies the index's `next_alert_at IS NOT NULL` on both databases;
        # saying it again would only make PostgreSQL's row estimate ten times lower still.)
        .where(Deadline.status == DeadlineStatus.open, Deadline.next_alert_at <= now)
        .order_by(Deadline.next_alert_at, Deadline.id)
        .limit(batch)
    )
    if after is not None:
        at, last_id = after
        # `>=` first, so the index seeks past the rows earlier chunks read (on PostgreSQL still in
        # the index as dead entries until VACUUM), then the exact keyset condition.
        stmt = stmt.where(Deadline.next_alert_at >= at,
                          or_(Deadline.next_alert_at > at, and_(Deadline.next_alert_at == at, Deadline.id > last_id)))
    if db.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=Deadline, skip_locked=True)
        # The queue is to be walked in index order under the LIMIT, reading only the rows taken.
        # PostgreSQL multiplies the selectivities of "open" and "next_alert_at <= now" as if they
        # were independent and estimates a tenth of the rows due (8,100 of 78,000 at 1M rows; 750
        # of 7,800 at 100k). Near the LIMIT, a bitmap heap scan and a sort then look cheaper: that
        # plan reads every due row and joins each to its case, for every chunk (24 ms a chunk
        # instead of 0.8 at 100k rows, quadratic over a catch-up), and after a catch-up it visits
        # every row moved out until VACUUM, on every tick; an index scan marks those entries dead
        # and skips them after. Set for this query alone (bench/deadlines.py shows both plans).
        db.execute(text("SET LOCAL enable_bitmapscan = off"))
        rows = list(db.execute(stmt))
        db.execute(text("SET LOCAL enable_bitmapscan TO DEFAULT"))
        return rows
    return list(db.execute(stmt))


def _sweep_chunk(db: Session, now: datetime, library: WorkflowLibrary, batch: int, report: SweepReport,
                 after: _Key | None) -> tuple[int, _Key | None]:
    """One chunk: (rows read, keyset position after them)."""
    rows = _candidates(db, now, batch, after)
    if not rows:
        return 0, after
    report.chunks += 1
    kinds = {r.id: AlertKind.overdue if r.due_at <= now else AlertKind.reminder for r in rows}
    _move_on(db, rows, kinds)
    created = insert_alerts(db, [
        {"deadline_id": r.id, "case_id": r.case_id, "agency_id": r.agency_id, "kind": kinds[r.id],
         "due_at": r.due_at, "raised_at": now, "message": _message(kinds[r.id], r.case_no, r.name, r.due_at, r.due_date)}
        for r in rows
    ], key=("deadline_id", "kind"))
    if created:  # who gets them: looked up once for the chunk
        finder = RecipientFinder(db, library)
        officers = finder.officers_of({r.case_id for r in rows if (r.id, kinds[r.id]) in created})
        recipients = []
        for r in rows:
            alert_id = created.get((r.id, kinds[r.id]))
            if alert_id is None:  # raised already (by another sweeper)
                continue
            if kinds[r.id] is AlertKind.overdue:
                report.overdue += 1
            else:
                report.reminders += 1
            to = finder.for_deadline(case=r, rule_code=r.rule_code, officers=officers.get(r.case_id, []))
            recipients += [{"alert_id": alert_id, "user_id": u, "role": role} for u, role in to]
        report.recipients += insert_recipients(db, recipients)
    last = rows[-1]
    return len(rows), (last.next_alert_at, last.id)


def _move_on(db: Session, rows: Sequence[Row[Any]], kinds: dict[int, AlertKind]) -> None:
    """After the reminder the next alert is the overdue one (at the due time); after that, none."""
    conn = db.connection()
    for kind, value in ((AlertKind.reminder, Deadline.due_at), (AlertKind.overdue, None)):
        ids = [r.id for r in rows if kinds[r.id] is kind]
        if ids:
            conn.execute(update(Deadline.__table__).where(Deadline.__table__.c.id.in_(ids))
                         .values(next_alert_at=value))


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
