"""Benchmark: the overdue scan, the supervisor dashboard and the scheduler's sweep over many deadlines.

Seeds `--rows` deadline rows (default 1,000,000) over `--cases` cases (each with a 承办人 and a
协办人), `--open` of them running (default 100,000), of which `--due` (default 78,000) fell due
while no scheduler ran (their reminder time, and mostly their end too, passed up to a year ago), the
rest closed (met / cancelled / extended). The deadline and officer rows are seeded by INSERT …
SELECT over a generated series (seconds, where building a million rows in Python took minutes).
Then times, at a fixed "now", each beside a reference measured in the same run:
  - overdue scan: the 100 most urgent overdue limits of the agency (watched_limits, which=overdue):
    wall and CPU time, beside the very statements it sent run raw on the driver's cursor (ratio
    raw/whole: the share of the time that is SQL);
  - dashboard: overdue + due-soon list and the overdue counts per rule;
  - sweep, catch-up after downtime: the first tick raises every due alert, each exactly once
    (asserted), beside a bare executemany writing the same number of alert and recipient rows into
    the same tables in chunks of the same size, one commit per chunk (ratio sweep/bare);
  - sweep, steady: the next tick (finds nothing new) — what the scheduler pays every minute;
  - the sweep's candidate query's plan after the catch-up's mass UPDATE (no VACUUM since): on
    PostgreSQL it must stay an index scan of the partial index.
Not a test; run by hand or with bench/run:

    .venv/bin/python bench/deadlines.py [--database-url postgresql+psycopg://…] [--rows 1000000] [--due 78000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from sqlalchemy import Engine, delete, event, func, insert, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from caseflow.alerts.models import Alert, AlertKind, AlertRecipient  # noqa: E402
from caseflow.alerts.sweep import BATCH, _candidates, sweep  # noqa: E402
from caseflow.alerts.watch import overdue_counts, watched_limits  # noqa: E402
from caseflow.cases.models import Case  # noqa: E402
from caseflow.db.migrate import upgrade  # noqa: E402
from caseflow.db.session import make_engine, unit_of_work  # noqa: E402
from caseflow.deadlines.models import Deadline, DeadlineStatus  # noqa: E402
from caseflow.demo.organisation import create_demo_agency, demo_users  # noqa: E402
from caseflow.demo.walk import sh  # noqa: E402
from caseflow.org.models import User  # noqa: E402
from caseflow.workflow.registry import get_library  # noqa: E402

NOW = sh("2026-11-23 10:00")  # 02:00 UTC
RULES = [("decision_service", "处罚决定书送达期限（七日送达）"), ("payment", "履行期限（十五日内缴纳罚款）"),
         ("case_handling", "办案期限"), ("dunning_period", "催告书履行期限"),
         ("emergency_approval", "当场实施后补办批准期限（二十四小时）"), ("sealing_term", "封存期限")]
CLOSED = ["met", "met", "met", "cancelled", "extended"]
YEAR, QUARTER, DAY = 365 * 1440, 90 * 1440, 1440  # in minutes


def _case(values: list[str], modulo: str) -> str:
    return f"CASE {modulo} " + " ".join(f"WHEN {i} THEN '{v}'" for i, v in enumerate(values)) + " END"


def seed_deadlines(engine: Engine, *, rows: int, cases: int, open_rows: int, due: int, agency_id: int,
                   first_case: int) -> None:
    """`rows` deadlines by one INSERT … SELECT: every `rows // open_rows`-th row is running, and `due`
    of the running ones, spread evenly, had their reminder pass 1 minute to a year ago."""
    pg = engine.dialect.name == "postgresql"
    if pg:
        series = "g(i) AS (SELECT generate_series(0::bigint, :rows - 1))"

        def ts(minutes: str) -> str:
            return f"(CAST(:base AS timestamptz) + ({minutes}) * interval '1 minute')"
        base, empty = "2026-11-23 02:00:00+00", "CAST('[]' AS json)"
    else:
        series = "g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g WHERE i < :rows - 1)"

        def ts(minutes: str) -> str:  # SQLAlchemy's own format for SQLite: naive UTC, microseconds
            return f"(strftime('%Y-%m-%d %H:%M:%S', :base, ({minutes}) || ' minutes') || '.000000')"
        base, empty = "2026-11-23 02:00:00", "'[]'"
    every = max(1, rows // open_rows)
    sql = f"""
        WITH RECURSIVE {series},
        s AS (SELECT i, (i % :every = 0 AND i / :every < :open) AS is_open,
                     ((i / :every + 1) * :due) / :open > ((i / :every) * :due) / :open AS is_due,
                     (i * 7919) % 1000003 AS h FROM g),
        t AS (SELECT i, is_open,
                     CASE WHEN is_open AND is_due THEN -1 - h % {YEAR}
                          WHEN is_open THEN 1 + h % {QUARTER}
                          ELSE -{DAY} - h % {YEAR} END AS remind FROM s)
        INSERT INTO deadlines (case_id, agency_id, rule_code, name, basis, started_at, due_at, due_date,
                               remind_at, next_alert_at, provisional, reasoning, status, closed_at, created_at)
        SELECT :first_case + i % :cases, :agency, {_case([r for r, _ in RULES], f'i % {len(RULES)}')},
               {_case([n for _, n in RULES], f'i % {len(RULES)}')}, '基准',
               {ts(f'remind - {6 * DAY}')}, {ts(f'remind + {DAY}')}, NULL, {ts('remind')},
               CASE WHEN is_open THEN {ts('remind')} END, false, {empty},
               CASE WHEN is_open THEN 'open' ELSE {_case(CLOSED, f'i % {len(CLOSED)}')} END,
               CASE WHEN is_open THEN NULL ELSE {ts('remind')} END, {ts('0')}
        FROM t"""
    with unit_of_work(engine) as s:
        s.execute(text(sql), {"rows": rows, "every": every, "open": open_rows, "due": due, "cases": cases,
                              "first_case": first_case, "agency": agency_id, "base": base})


def seed(engine: Engine, rows: int, cases: int, open_rows: int, due: int) -> int:
    with unit_of_work(engine) as s:
        agency = create_demo_agency(db_session=s)
        agency_id, users = agency.id, demo_users(s, agency)
        lead, assistant = users["diaocha1"].id, users["diaocha2"].id
    with unit_of_work(engine) as s:
        s.execute(insert(Case), [
            {"case_no": f"栾医保罚案〔2026〕{i + 1}号", "agency_id": agency_id, "item_key": "004-05",
             "item_name": "对定点医药机构骗取医疗保障基金支出的处罚", "procedure_code": "penalty_general",
             "procedure_version": 1, "state": "decided", "title": "基准", "opened_at": NOW,
             "last_event_seq": 0, "version": 1, "major_case": False}
            for i in range(cases)
        ])
        first_case = s.scalar(select(func.min(Case.id)).where(Case.agency_id == agency_id))
        for user_id, role in ((lead, "lead"), (assistant, "assistant")):
            s.execute(text("INSERT INTO case_officers (case_id, user_id, role, assigned_at) "
                           "SELECT id, :user, :role, :at FROM cases WHERE agency_id = :agency"),
                      {"user": user_id, "role": role, "agency": agency_id,
                       "at": NOW.replace(tzinfo=None) if engine.dialect.name == "sqlite" else NOW})
    seed_deadlines(engine, rows=rows, cases=cases, open_rows=open_rows, due=due, agency_id=agency_id,
                   first_case=first_case)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return agency_id


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times)


def captured(engine: Engine, fn: Callable[[], object]) -> list[tuple[str, Any]]:
    """The statements `fn` sends to the driver, with their parameters."""
    sent: list[tuple[str, Any]] = []

    def before(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", before)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return sent


def run_raw(engine: Engine, statements: list[tuple[str, Any]]) -> list[Any]:
    """Run statements on a bare driver cursor, fetching every row; rolled back. The last one's rows."""
    conn = engine.raw_connection()
    rows: list[Any] = []
    try:
        cur = conn.cursor()
        for statement, params in statements:
            cur.execute(statement, params)
            rows = cur.fetchall() if cur.description else []
        conn.rollback()
    finally:
        conn.close()
    return rows


def count_due(engine: Engine) -> int:
    with unit_of_work(engine, write=False) as s:
        return s.scalar(select(func.count()).select_from(Deadline).where(
            Deadline.status == DeadlineStatus.open, Deadline.next_alert_at.is_not(None),
            Deadline.next_alert_at <= NOW)) or 0


def bare_executemany(engine: Engine, agency_id: int, alerts: int, recipients: int, batch: int) -> float:
    """Seconds to write `alerts` alert rows and `recipients` recipient rows by bare executemany, in
    chunks of `batch` alerts, one commit per chunk; the rows are deleted afterwards (not timed)."""
    with unit_of_work(engine, write=False) as s:
        case_ids = list(s.scalars(select(Case.id).where(Case.agency_id == agency_id).order_by(Case.id)))
        users = list(s.scalars(select(User.id).where(User.agency_id == agency_id).order_by(User.id)))
    message = "栾医保罚案〔2026〕12345号：「处罚决定书送达期限（七日送达）」期限至2026年06月08日已届满，尚未办结，已逾期。"
    alerts_t, recipients_t = Alert.__table__, AlertRecipient.__table__
    t0 = time.perf_counter()
    for first in range(0, alerts, batch):
        n = min(batch, alerts - first)
        with unit_of_work(engine) as s:
            conn = s.connection()
            ids = conn.execute(insert(alerts_t).returning(alerts_t.c.id), [
                {"case_id": case_ids[(first + j) % len(case_ids)], "event_seq": -(first + j + 1),
                 "agency_id": agency_id, "kind": AlertKind.returned, "due_at": NOW, "raised_at": NOW,
                 "message": message} for j in range(n)
            ]).scalars().all()
            rows = []
            for j, alert_id in enumerate(ids):
                k = first + j
                per = recipients // alerts + (1 if k < recipients % alerts else 0)
                rows += [{"alert_id": alert_id, "user_id": users[u], "role": "officer"} for u in range(per)]
            conn.execute(insert(recipients_t), rows)
    took = time.perf_counter() - t0
    with unit_of_work(engine) as s:
        mine = select(Alert.id).where(Alert.event_seq < 0).scalar_subquery()
        s.execute(delete(AlertRecipient).where(AlertRecipient.alert_id.in_(mine)))
        s.execute(delete(Alert).where(Alert.event_seq < 0))
    return took


def first_chunk_query(engine: Engine, batch: int) -> list[tuple[str, Any]]:
    """The statements the sweep sends to read its first chunk (in a transaction rolled back)."""
    def read() -> None:
        with Session(engine) as s:  # closed without commit: nothing kept, the row locks released
            _candidates(s, NOW, batch)
    return captured(engine, read)


def plan(engine: Engine, statements: list[tuple[str, Any]], *, as_sent: bool = True) -> list[str]:
    """The plan of the candidate query among `statements`, run after the settings sent before it
    (`as_sent`; else as PostgreSQL plans it by default): its scans, sorts and time."""
    at = max(i for i, (st, _) in enumerate(statements)
             if st.lstrip().upper().startswith("SELECT") and "next_alert_at" in st)
    statement, params = statements[at]
    settings = [(st, p) for st, p in statements[:at] if st.lstrip().upper().startswith("SET ")] if as_sent else []
    if engine.dialect.name == "postgresql":
        rows = run_raw(engine, [*settings, ("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)])
        keep = ("Scan", "Sort", "Execution Time")
        return [r[0].strip() for r in rows if any(k in r[0] for k in keep) and "Sort Method" not in r[0]]
    rows = run_raw(engine, [("EXPLAIN QUERY PLAN " + statement, params)])
    return [r[-1] for r in rows]


def show_plans(engine: Engine, label: str, statements: list[tuple[str, Any]]) -> list[str]:
    print(f"  {label}:")
    used = plan(engine, statements)
    for line in used:
        print(f"      {line}")
    if engine.dialect.name == "postgresql":
        print("    as PostgreSQL would plan it by default (no enable_bitmapscan = off):")
        for line in plan(engine, statements, as_sent=False):
            print(f"      {line}")
    return used


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--database-url")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--open", type=int, default=100_000)
    ap.add_argument("--due", type=int, default=78_000, help="running limits due after the downtime")
    ap.add_argument("--batch", type=int, default=BATCH, help="the sweep's chunk size")
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    if not 0 <= args.due <= args.open <= args.rows:
        ap.error("need 0 <= --due <= --open <= --rows")
    get_library()  # read workflows/ before the long seeding, not in the middle of the timings
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    upgrade(url)
    engine = make_engine(url)
    t0 = time.perf_counter()
    agency_id = seed(engine, args.rows, args.cases, args.open, args.due)
    print(f"{engine.dialect.name}: seeded {args.rows:,} deadlines ({args.open:,} open, {args.due:,} of them due) "
          f"over {args.cases:,} cases in {time.perf_counter() - t0:.0f} s")

    def overdue_scan() -> None:
        with unit_of_work(engine, write=False) as s:
            watched_limits(db_session=s, agency_id=agency_id, now=NOW, which="overdue", limit=100)

    def dashboard() -> None:
        with unit_of_work(engine, write=False) as s:
            watched_limits(db_session=s, agency_id=agency_id, now=NOW, which="all", limit=100)
            overdue_counts(db_session=s, agency_id=agency_id, now=NOW)

    scan_sql = captured(engine, overdue_scan)
    walls, cpus, raws = [], [], []
    for _ in range(args.repeat):  # interleaved, so a busy machine weighs on both alike
        t0, c0 = time.perf_counter(), time.process_time()
        overdue_scan()
        walls.append((time.perf_counter() - t0) * 1000)
        cpus.append((time.process_time() - c0) * 1000)
        t0 = time.perf_counter()
        run_raw(engine, scan_sql)
        raws.append((time.perf_counter() - t0) * 1000)
    wall, cpu, raw = (statistics.median(x) for x in (walls, cpus, raws))
    print(f"  {'overdue scan (100 most urgent)':<34} median {wall:8.1f} ms   CPU {cpu:6.1f} ms   "
          f"its SQL raw {raw:6.1f} ms   raw/whole {raw / wall:.2f}")
    med, worst = timed(dashboard, args.repeat)
    print(f"  {'supervisor dashboard':<34} median {med:8.1f} ms   max {worst:8.1f} ms")

    due = count_due(engine)
    assert due == args.due, (due, args.due)
    show_plans(engine, "the sweep's first chunk's query, before the catch-up", first_chunk_query(engine, args.batch))
    reports = []
    t0 = time.perf_counter()
    sweep_sql = captured(engine, lambda: reports.append(sweep(engine, now=NOW, batch=args.batch)))
    took = time.perf_counter() - t0
    assert reports[0].overdue + reports[0].reminders == due, (reports[0], due)
    with unit_of_work(engine, write=False) as s:
        alerts = s.scalar(select(func.count()).select_from(Alert)) or 0
        distinct = s.scalar(select(func.count(func.distinct(Alert.deadline_id)))) or 0
        recipients = s.scalar(select(func.count()).select_from(AlertRecipient)) or 0
    assert alerts == distinct == due, (alerts, distinct, due)  # every due limit alerted, each once
    assert count_due(engine) == 0
    chunks = sum(1 for st, _ in sweep_sql if st.lstrip().upper().startswith("SELECT") and "next_alert_at" in st)
    bare = bare_executemany(engine, agency_id, alerts, recipients, args.batch)
    print(f"  {'sweep, catch-up after downtime':<34} {took:8.1f} s    {due:,} alerts to {recipients:,} recipients "
          f"in {chunks} chunk reads, {took / due * 1000:.3f} ms per alert")
    print(f"  {'  reference: bare executemany':<34} {bare:8.1f} s    the same rows, chunks of {args.batch}   "
          f"sweep/bare {took / bare:.1f}")
    med, worst = timed(lambda: sweep(engine, now=NOW, batch=args.batch), 5)
    print(f"  {'sweep, steady tick':<34} median {med:8.1f} ms   max {worst:8.1f} ms")
    used = show_plans(engine, "the steady tick's query after the catch-up's mass UPDATE (no VACUUM since)",
                      first_chunk_query(engine, args.batch))
    if engine.dialect.name == "postgresql":  # an ordered index scan under the LIMIT, not a bitmap
        # heap scan reading every due row, then every row the catch-up moved out (migration 0018)
        walks = [line for line in used if "Scan" in line and "deadlines" in line]
        assert walks and all("Index Scan using ix_deadlines_open_next_alert_at" in w for w in walks), walks

if __name__ == "__main__":
    main()
