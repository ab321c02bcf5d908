"""APScheduler 3.x wiring: an interval job that runs the deadline sweep, and one that renders the
PDFs of issued documents still pending (a step renders its own documents right after commit; this
job retries whatever a crash or a busy process left behind). `caseflow scheduler --once` runs both
once: the sweep, then every pending PDF until none is left (`render_documents_now`).

Deliberately no job per deadline and no shared job store (APScheduler 3's FAQ: a job store must
not be shared between processes): the deadline rows are the schedule, the job only sweeps them.
The first sweep runs at start, so whatever fell due while the process was down is alerted at once.
`max_instances=1` and `coalesce=True` keep a slow sweep from piling up behind itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy import Engine, func, select

from caseflow.alerts.sweep import BATCH, SweepReport, sweep
from caseflow.cases.models import Case
from caseflow.db.base import utcnow
from caseflow.db.session import default_engine, unit_of_work
from caseflow.documents.models import Document, DocumentStatus

log = logging.getLogger("caseflow.scheduler")
JOB_ID = "deadline_sweep"
DOCUMENTS_JOB_ID = "pending_documents"


def sweep_now(engine: Engine | None = None, *, batch: int = BATCH) -> SweepReport:
    report = sweep(engine or default_engine(), batch=batch)
    log.info("期限扫描：%s", report)
    return report


@dataclass
class RenderReport:
    """What one pass over the pending documents did: PDFs stored, cases whose rendering failed (their
    documents stay pending, with the error), and how many documents are still pending after it."""

    stored: int = 0
    failed: dict[str, str] = field(default_factory=dict)  # 案号 → error
    left: int = 0
    bound: int = 0  # 案卷 volumes bound for archived cases that had none

    def __str__(self) -> str:
        text = f"补生成文书PDF {self.stored} 份，仍待生成 {self.left} 份"
        if self.bound:
            text += f"，补装订案卷 {self.bound} 卷"
        if self.failed:
            text += f"（{len(self.failed)} 个案件的文书生成失败：{'、'.join(self.failed)}）"
        return text


def _pending_by_case(engine: Engine) -> list[tuple[int, str, int]]:
    """(case id, 案号, pending documents) of every case with a document still pending, oldest first."""
    with unit_of_work(engine, write=False) as s:
        rows = s.execute(select(Document.case_id, Case.case_no, func.count(), func.min(Document.id))
                         .join(Case, Case.id == Document.case_id)
                         .where(Document.status == DocumentStatus.pending)
                         .group_by(Document.case_id, Case.case_no).order_by(func.min(Document.id)))
        return [(case_id, case_no, n) for case_id, case_no, n, _ in rows]


def render_documents_now(engine: Engine | None = None) -> RenderReport:
    """Render every pending document, case by case, until none is left.

    `render_pending` stores one batch at a time and stops at the first document that fails, so each
    case is rendered on its own until its call stores nothing (a failing case does not hold up the
    others), and passes repeat while the number still pending shrinks (documents a live server issued
    meanwhile are taken too; a document that keeps failing ends the loop instead of spinning on it).
    """
    from caseflow.documents.service import render_pending

    engine = engine or default_engine()
    report = RenderReport()
    pending = _pending_by_case(engine)
    before = sum(n for *_, n in pending)
    while pending:
        for case_id, case_no, _ in pending:
            if case_no in report.failed:
                continue
            try:
                while (stored := render_pending(engine, case_id=case_id)) > 0:
                    report.stored += stored
            except Exception as exc:  # logged and reported; the next case goes on
                log.exception("生成案件%s的文书PDF失败", case_no)
                report.failed[case_no] = f"{type(exc).__name__}: {exc}"
        pending = _pending_by_case(engine)
        left = sum(n for *_, n in pending)
        if left >= before:
            break
        before = left
    report.left = sum(n for *_, n in pending)
    report.bound = _bind_archived(engine, report)
    if report.stored or report.left or report.bound:
        log.info("文书PDF：%s", report)
    return report


def _bind_archived(engine: Engine, report: RenderReport) -> int:
    """Bind the 案卷 of archived cases that have none (the binding after 归档 did not run or failed)."""
    from caseflow.casefile.service import bind_pending, unbound_cases

    bound = 0
    for case_id, case_no in unbound_cases(engine):
        if case_no in report.failed:
            continue
        try:
            bound += bind_pending(engine, case_id=case_id)
        except Exception as exc:  # logged and reported; the next case goes on
            log.exception("装订案件%s的案卷失败", case_no)
            report.failed[case_no] = f"{type(exc).__name__}: {exc}"
    return bound


def _add_job(scheduler: BackgroundScheduler | BlockingScheduler, engine: Engine | None,
             interval_seconds: int) -> None:
    for job_id, fn in ((JOB_ID, sweep_now), (DOCUMENTS_JOB_ID, render_documents_now)):
        scheduler.add_job(
            fn, "interval", seconds=interval_seconds, args=[engine], id=job_id,
            next_run_time=utcnow(), max_instances=1, coalesce=True, misfire_grace_time=None,
            replace_existing=True,
        )


def start_background(engine: Engine | None = None, *, interval_seconds: int = 60) -> BackgroundScheduler:
    """Start the sweep in a background thread of this process (used by `caseflow serve`)."""
    scheduler = BackgroundScheduler(timezone="Asia/Shanghai")
    _add_job(scheduler, engine, interval_seconds)
    scheduler.start()
    return scheduler


def run_blocking(engine: Engine | None = None, *, interval_seconds: int = 60) -> None:
    """Run the sweep in the foreground until interrupted (`caseflow scheduler`)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    scheduler = BlockingScheduler(timezone="Asia/Shanghai")
    _add_job(scheduler, engine, interval_seconds)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass

