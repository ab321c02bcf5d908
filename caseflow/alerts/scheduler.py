"""APScheduler 3.x wiring: one interval job that runs the deadline sweep.

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


def sweep_now(engine: Engine | None = None, *, batch: int = BATCH) -> SweepReport:
    report = sweep(engine or default_engine(), batch=batch)
    log.info("期限扫描：%s", report)
    return report


def _add_job(scheduler: BackgroundScheduler | BlockingScheduler, engine: Engine | None,
             interval_seconds: int) -> None:
    scheduler.add_job(
        sweep_now, "interval", seconds=interval_seconds, args=[engine], id=JOB_ID,
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

