"""APScheduler 3.x wiring: an interval job that runs the deadline sweep, and one that renders the
PDFs of issued documents still pending (a step renders its own documents right after commit; this
job retries whatever a crash or a busy process left behind).

Deliberately no job per deadline and no shared job store (APScheduler 3's FAQ: a job store must
not be shared between processes): the deadline rows are the schedule, the job only sweeps them.
The first sweep runs at start, so whatever fell due while the process was down is alerted at once.
`max_instances=1` and `coalesce=True` keep a slow sweep from piling up behind itself.
"""

from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy import Engine

from caseflow.alerts.sweep import BATCH, SweepReport, sweep
from caseflow.db.base import utcnow
from caseflow.db.session import default_engine

log = logging.getLogger("caseflow.scheduler")
JOB_ID = "deadline_sweep"
DOCUMENTS_JOB_ID = "pending_documents"


def sweep_now(engine: Engine | None = None, *, batch: int = BATCH) -> SweepReport:
    report = sweep(engine or default_engine(), batch=batch)
    log.info("期限扫描：%s", report)
    return report


def render_documents_now(engine: Engine | None = None) -> int:
    from caseflow.documents.service import render_pending

    stored = render_pending(engine or default_engine())
    if stored:
        log.info("补生成文书PDF：%d 份", stored)
    return stored


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

