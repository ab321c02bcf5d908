"""Benchmark: the overdue scan, the supervisor dashboard and the scheduler's sweep over many deadlines.

Seeds `--rows` deadline rows (default 1,000,000) over `--cases` cases, `--open` of them running
(default 100,000) with due moments spread from a year ago to three months ahead, the rest closed
(met / cancelled / extended), then times, at a fixed "now":
  - overdue scan: the 100 most urgent overdue limits of the agency (watched_limits, which=overdue);
  - dashboard: overdue + due-soon list and the overdue counts per rule;
  - sweep, catch-up: the first tick after seeding (raises every alert due by now);
  - sweep, steady: the next tick (finds nothing new) — what the scheduler pays every minute.
Not a test; run by hand or with bench/run:

    .venv/bin/python bench/deadlines.py [--database-url postgresql+psycopg://…] [--rows 1000000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from sqlalchemy import insert, text  # noqa: E402

from caseflow.alerts.sweep import sweep  # noqa: E402
from caseflow.cases.models import Case  # noqa: E402
from caseflow.db.migrate import upgrade  # noqa: E402
from caseflow.db.session import make_engine, unit_of_work  # noqa: E402
from caseflow.deadlines.models import Deadline, DeadlineStatus  # noqa: E402
from caseflow.alerts.watch import overdue_counts, watched_limits  # noqa: E402
from caseflow.demo.organisation import create_demo_agency  # noqa: E402
from caseflow.demo.walk import sh  # noqa: E402
from caseflow.workflow.registry import get_library  # noqa: E402

NOW = sh("2026-11-23 10:00")
RULES = [("decision_service", "处罚决定书送达期限（七日送达）"), ("payment", "履行期限（十五日内缴纳罚款）"),
         ("case_handling", "办案期限"), ("dunning_period", "催告书履行期限"),
         ("emergency_approval", "当场实施后补办批准期限（二十四小时）"), ("sealing_term", "封存期限")]
CLOSED = [DeadlineStatus.met, DeadlineStatus.met, DeadlineStatus.met, DeadlineStatus.cancelled,
          DeadlineStatus.extended]


def seed(engine, rows: int, cases: int, open_rows: int, batch: int = 20_000) -> int:
    with unit_of_work(engine) as s:
        agency_id = create_demo_agency(db_session=s).id
    rnd = random.Random(7)
    with unit_of_work(engine) as s:
        s.execute(insert(Case), [
            {"case_no": f"栾医保罚案〔2026〕{i + 1}号", "agency_id": agency_id, "item_key": "004-05",
             "item_name": "对定点医药机构骗取医疗保障基金支出的处罚", "procedure_code": "penalty_general",
             "procedure_version": 1, "state": "decided", "title": "基准", "opened_at": NOW,
             "last_event_seq": 0, "version": 1, "major_case": False}
            for i in range(cases)
        ])
    open_every = max(1, rows // open_rows)
    for first in range(0, rows, batch):
        chunk = []
        for i in range(first, min(first + batch, rows)):
            rule, name = RULES[i % len(RULES)]
            due = NOW + timedelta(minutes=rnd.randint(-365 * 24 * 60, 90 * 24 * 60))
            is_open = i % open_every == 0
            chunk.append({
                "case_id": 1 + i % cases, "agency_id": agency_id, "rule_code": rule, "name": name, "basis": "基准",
                "started_at": due - timedelta(days=7), "due_at": due, "due_date": None,
                "remind_at": due - timedelta(days=1), "provisional": False, "reasoning": [],
                "next_alert_at": (due - timedelta(days=1)) if is_open else None,
                "status": DeadlineStatus.open if is_open else CLOSED[i % len(CLOSED)],
                "closed_at": None if is_open else due - timedelta(days=1),
            })
        with unit_of_work(engine) as s:
            s.execute(insert(Deadline), chunk)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return agency_id


def timed(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--database-url")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--open", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    get_library()  # read workflows/ before the long seeding, not in the middle of the timings
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    upgrade(url)
    engine = make_engine(url)
    t0 = time.perf_counter()
    agency_id = seed(engine, args.rows, args.cases, args.open)
    print(f"{engine.dialect.name}: seeded {args.rows:,} deadlines ({args.open:,} open) "
          f"over {args.cases:,} cases in {time.perf_counter() - t0:.0f} s")

    def overdue_scan() -> None:
        with unit_of_work(engine, write=False) as s:
            watched_limits(db_session=s, agency_id=agency_id, now=NOW, which="overdue", limit=100)

    def dashboard() -> None:
        with unit_of_work(engine, write=False) as s:
            watched_limits(db_session=s, agency_id=agency_id, now=NOW, which="all", limit=100)
            overdue_counts(db_session=s, agency_id=agency_id, now=NOW)

    for label, fn in (("overdue scan (100 most urgent)", overdue_scan), ("supervisor dashboard", dashboard)):
        med, worst = timed(fn, args.repeat)
        print(f"  {label:<34} median {med:8.1f} ms   max {worst:8.1f} ms")
    t0 = time.perf_counter()
    report = sweep(engine, now=NOW)
    print(f"  sweep, catch-up tick               {(time.perf_counter() - t0) * 1000:8.0f} ms   ({report})")
    med, worst = timed(lambda: sweep(engine, now=NOW), 5)
    print(f"  sweep, steady tick                 median {med:8.1f} ms   max {worst:8.1f} ms")


if __name__ == "__main__":
    main()
