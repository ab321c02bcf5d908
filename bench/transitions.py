"""Benchmark: committed transitions per second through the case service, with 10,000 open cases.

Each measured transition is what an officer's click does: its own unit of work (a database
transaction) that loads the case, checks the guards, changes the state, writes the audit event and
any deadline rows, and commits. Not a test; run it by hand or with bench/run:

    .venv/bin/python bench/transitions.py                      # SQLite file in a temp folder
    .venv/bin/python bench/transitions.py --database-url postgresql+psycopg://…
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

# This file is named like the `transitions` library: run from the repo root, not from bench/.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from caseflow.cases import service as case_service  # noqa: E402
from caseflow.cases.models import OfficerRole, PartyRole  # noqa: E402
from caseflow.db.migrate import upgrade  # noqa: E402
from caseflow.db.session import make_engine, unit_of_work  # noqa: E402
from caseflow.demo.organisation import create_demo_agency, demo_users  # noqa: E402
from caseflow.demo.walk import sh  # noqa: E402
from caseflow.parties.models import PartyKind  # noqa: E402
from caseflow.parties.service import register_party  # noqa: E402

STEPS = [
    ("submit_filing", "lian", {"facts": "线索反映的违法事实。"}),
    ("approve_filing", "juzhang", {}),
    ("start_investigation", "diaocha1", {}),
    ("record_onsite_act", "diaocha1", {"record": "询问笔录"}),
    ("conclude_investigation", "diaocha1", {
        "facts": "虚构诊疗项目", "evidence": "病历", "amount_defrauded": "1000.00",
        "violation_from": "2026-01-10", "violation_until": "2026-02-20", "penalties": [
            {"kind": "罚款", "amount": "2000.00", "basis": "《医疗保障基金使用监督管理条例》第四十条"}]}),
    ("submit_legal_review", "diaocha1", {}),
]


def seed(engine, open_cases: int, batch: int = 500) -> list[str]:
    with unit_of_work(engine) as s:
        agency = create_demo_agency(db_session=s)
        agency_id = agency.id
    numbers: list[str] = []
    start = sh("2026-03-02 09:00")
    for first in range(0, open_cases, batch):
        with unit_of_work(engine) as s:
            from caseflow.org.models import Agency

            agency = s.get(Agency, agency_id)
            users = demo_users(s, agency)
            party = register_party(db_session=s, agency_id=agency_id, kind=PartyKind.organisation,
                                   name="基准测试医院", uscc="91410324MA47T3Q8WY",
                                   legal_representative="刘某", address="栾川县")
            for _ in range(first, min(first + batch, open_cases)):
                case = case_service.open_case(
                    db_session=s, actor=users["lian"], item_key="004-05", title="基准测试案件", parties=[(party, PartyRole.principal)],
                    officers=[(users["diaocha1"], OfficerRole.lead),
                              (users["diaocha2"], OfficerRole.assistant)], at=start)
                numbers.append(case.case_no)
    return numbers


def run(engine, case_nos: list[str]) -> list[float]:
    with unit_of_work(engine, write=False) as s:
        from caseflow.org.service import get_user_by_username

        ids = {u: get_user_by_username(db_session=s, username=u).id
               for u in {who for _, who, _ in STEPS}}
    latencies: list[float] = []
    at = sh("2026-03-03 09:00")
    for i, (trigger, who, payload) in enumerate(STEPS):
        for case_no in case_nos:
            t0 = time.perf_counter()
            with unit_of_work(engine) as s:
                case_service.fire(db_session=s, case_no=case_no, trigger=trigger, actor_id=ids[who],
                                  payload=payload, at=at + timedelta(hours=i))
            latencies.append(time.perf_counter() - t0)
    return latencies


def _run_in_process(url: str, case_nos: list[str]) -> tuple[list[float], float, float]:
    engine = make_engine(url)
    try:
        run(engine, case_nos[:0])  # load users, build machines before the clock starts
        start = time.time()
        lat = run(engine, case_nos)
        return lat, start, time.time()
    finally:
        engine.dispose()


def run_parallel(engine, url: str, case_nos: list[str], workers: int) -> tuple[list[float], float]:
    """`workers` processes, each walking its own share of the cases — as a server with several
    worker processes serves several officers. Returns the latencies and the wall time from the
    first worker's start to the last one's end (process start-up is not counted)."""
    if workers <= 1:
        t0 = time.perf_counter()
        lat = run(engine, case_nos)
        return lat, time.perf_counter() - t0
    import multiprocessing

    shares = [case_nos[i::workers] for i in range(workers)]
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        results = pool.starmap(_run_in_process, [(url, share) for share in shares])
    lat = [x for r in results for x in r[0]]
    return lat, max(r[2] for r in results) - min(r[1] for r in results)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--database-url", default=None)
    ap.add_argument("--open-cases", type=int, default=10_000)
    ap.add_argument("--walked-cases", type=int, default=400, help="cases walked through the steps")
    ap.add_argument("--workers", default="1", help="worker processes per run, e.g. 1,2 (one run each)")
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{Path(tmp.name) / 'bench.db'}"
    upgrade(url)
    engine = make_engine(url)
    t0 = time.perf_counter()
    numbers = seed(engine, args.open_cases)
    seeded = time.perf_counter() - t0
    if engine.dialect.name == "postgresql":  # as autovacuum would have done on a live database
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    print(f"database: {engine.dialect.name}; open cases: {len(numbers)} (seeded in {seeded:.1f} s)")
    runs = [int(w) for w in args.workers.split(",")]
    stride = max(1, len(numbers) // (args.walked_cases * len(runs) + 5))
    pool = numbers[::stride]
    run(engine, pool[:5])  # warm-up: shared machines built, caches and prepared statements filled
    pool = pool[5:]
    for i, workers in enumerate(runs):
        walked = pool[i * args.walked_cases:(i + 1) * args.walked_cases]
        lat, elapsed = run_parallel(engine, url, walked, workers)
        qs = statistics.quantiles(lat, n=100)
        print(f"workers: {workers}; transitions: {len(lat)} committed in {elapsed:.2f} s → "
              f"{len(lat) / elapsed:.0f}/s; latency p50 {qs[49] * 1000:.2f} ms, "
              f"p95 {qs[94] * 1000:.2f} ms, max {max(lat) * 1000:.2f} ms")
    engine.dispose()


if __name__ == "__main__":
    main()
