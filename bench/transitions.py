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

from sqlalchemy import event, select  # noqa: E402

from caseflow.cases import service as case_service  # noqa: E402
from caseflow.cases.models import Case, CaseEvent, OfficerRole, PartyRole  # noqa: E402
from caseflow.config import get_settings  # noqa: E402
from caseflow.db.migrate import upgrade  # noqa: E402
from caseflow.db.session import make_engine, unit_of_work  # noqa: E402
from caseflow.demo.organisation import create_demo_agency, demo_users  # noqa: E402
from caseflow.demo.walk import sh  # noqa: E402
from caseflow.parties.models import PartyKind  # noqa: E402
from caseflow.parties.service import register_party  # noqa: E402

# The first steps of a penalty case, as officers take them: each its own unit of work. 调查终结 rests
# on registered evidence (the 询问笔录 registers itself) and records the proposal, its 裁量 and the
# violation the amounts were typed for.
INQUIRY = {
    "acted_at": "2026-03-03T11:00:00+08:00", "ended_at": "2026-03-03T12:00:00+08:00", "place": "询问室",
    "persons": ["王调查", "赵取证"], "credentials_shown": True, "person_name": "刘某",
    "person_role": "当事人的法定代表人或负责人", "qa": [{"q": "是否申请回避？", "a": "不申请。"},
                                                    {"q": "请陈述情况。", "a": "康复理疗项目未实际提供。"}],
}
STEPS = [
    ("submit_filing", "lian", {"facts": "线索反映的违法事实。"}),
    ("approve_filing", "juzhang", {}),
    ("start_investigation", "diaocha1", {}),
    ("record_inquiry", "diaocha1", INQUIRY),
    ("conclude_investigation", "diaocha1", {
        "facts": "虚构诊疗项目", "amount_defrauded": "1000.00",
        "factors": [{"factor": "remedied_harm", "evidence": "银行回单"}],
        "violation_from": "2026-01-10", "violation_until": "2026-02-20", "penalties": [
            {"kind": "罚款", "amount": "2000.00", "basis": "《医疗保障基金使用监督管理条例》第四十条第一款"}]}),
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


def _user_ids(engine) -> dict[str, int]:
    from caseflow.org.service import get_user_by_username

    with unit_of_work(engine, write=False) as s:
        return {u: get_user_by_username(db_session=s, username=u).id for u in {who for _, who, _ in STEPS}}


def run(engine, case_nos: list[str]) -> list[float]:
    ids = _user_ids(engine)
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


def bare_step(engine, case_no: str, actor_id: int, to_state: str, at) -> None:
    """The reference: what any ORM application does for a click — load the row, change it, append an
    audit row, commit — with nothing of caseflow's (no guards, limits, documents)."""
    with unit_of_work(engine) as s:
        case = s.scalars(select(Case).where(Case.case_no == case_no)).one()
        case.state = to_state
        case.last_event_seq += 1
        s.add(CaseEvent(case_id=case.id, seq=case.last_event_seq, actor_id=actor_id, actor_name="基准",
                        trigger="bench", trigger_name="基准", from_state=None, to_state=to_state,
                        occurred_at=at, payload={}))


class StatementCounter:
    def __init__(self, engine) -> None:
        self.n = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *_args) -> None:  # noqa: ANN002
        self.n += 1


def compare(engine, walked: list[str], reference: list[str]) -> None:
    """Each step on `walked` cases, alternating case by case with the reference transaction on the
    `reference` cases (A B A B), same database; medians per step, statements per step."""
    ids = _user_ids(engine)
    counter = StatementCounter(engine)
    at = sh("2026-03-03 09:00")
    total_ours = total_ref = 0.0
    steps = 0
    print(f"{'step':<24} {'caseflow ms':>12} {'bare ORM ms':>12} {'ratio':>6} {'statements':>10}")
    for i, (trigger, who, payload) in enumerate(STEPS):
        ours, ref, statements = [], [], []
        for case_no, other in zip(walked, reference):
            before = counter.n
            t0 = time.perf_counter()
            with unit_of_work(engine) as s:
                case_service.fire(db_session=s, case_no=case_no, trigger=trigger, actor_id=ids[who],
                                  payload=payload, at=at + timedelta(hours=i))
            ours.append(time.perf_counter() - t0)
            statements.append(counter.n - before)
            t0 = time.perf_counter()
            bare_step(engine, other, ids[who], f"s{i}", at + timedelta(hours=i))
            ref.append(time.perf_counter() - t0)
        mo, mr = statistics.median(ours), statistics.median(ref)
        total_ours += sum(ours)
        total_ref += sum(ref)
        steps += len(ours)
        print(f"{trigger:<24} {mo * 1000:>12.2f} {mr * 1000:>12.2f} {mr / mo:>6.2f} {statistics.mean(statements):>10.1f}")
    print(f"{'all steps':<24} {steps / total_ours:>10.0f}/s {steps / total_ref:>10.0f}/s "
          f"{total_ref / total_ours:>6.2f}  (target ≥ 0.80: caseflow's rate over the bare ORM's)")


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
    mode = (f"synchronous={get_settings().sqlite_synchronous}" if engine.dialect.name == "sqlite"
            else "fsync on (server default)")
    print(f"database: {engine.dialect.name} ({mode}); open cases: {len(numbers)} (seeded in {seeded:.1f} s)")
    runs = [int(w) for w in args.workers.split(",")]
    stride = max(1, len(numbers) // (args.walked_cases * (len(runs) + 2) + 5))
    pool = numbers[::stride]
    run(engine, pool[:5])  # warm-up: shared machines built, caches and prepared statements filled
    pool = pool[5:]
    n = args.walked_cases
    compare(engine, pool[:n], pool[n:2 * n])
    pool = pool[2 * n:]
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
