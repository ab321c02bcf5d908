"""Benchmark: `caseflow serve` under load — concurrent clients on loopback, with 100,000 cases.

Seeds the demo agency (栾川县医疗保障局 and the demo users of `caseflow serve`, with its demo cases),
walks a few more cases through the case service so that every common state has a real case, then
clones those cases `--cases` times (default 100,000): each clone has its own 案号 (registered in
number_sequences), party, time shift (closed cases over the last three years, open ones over the
last four months, so many limits are overdue), two officers, and copies of the original's audit
events, deadlines, penalties, sealed items, documents (PDFs not stored: marked rendered) and
deliveries. Then it starts `caseflow serve --no-scheduler` on a free loopback port and times, over
HTTP, with clients that log in like a browser (session cookie; X-CSRF-Token on the step):

  - case page:  GET /cases/{案号} of a random seeded case (any state);
  - dashboard:  GET /dashboard (监督看板), as 局负责人 or 股长;
  - transition: POST /api/cases/{案号}/transitions/record_onsite_act as 调查岗 — a same-state step
                of a case in 调查取证, so it can be repeated; each client fires on its own cases;
  - worklist:   GET / (我的待办) as 调查岗 (not in the default mix).

First one client, one request at a time (the issue's target, case page < 100 ms at the median,
is about that), then `--clients` clients at once for `--duration` seconds, each sending its next
request as soon as the previous one is answered (closed loop, no think time; kinds drawn from
`--mix`). Any answer but 200 is an error (a 303 to the login page too), counted and shown with a
sample body. The load generator (httpx, asyncio) runs in this process, on the same machine.
On PostgreSQL the bench makes its own database on the server of `--database-url` and drops it at
the end.

Then the dashboard against its references (issue 20: < 100 ms at 100,000 cases): one server, one
request at a time, `--dashboard-rounds` rounds alternating GET /dashboard as 局负责人, the very SQL
statements the page sends (captured from the same functions, same parameters) replayed raw in this
process, and GET /legal-time (a page of the same frame with no query of its own); p50 of each and
the dashboard's ratio to each, which a loaded machine moves less than the times. With
`--deadline-rows N` the deadline table is then padded to N rows (closed limits of earlier years,
INSERT … SELECT) and the dashboard measured again: the growth factor (target < 1.3 at 1,000,000).
Not a test; run by hand or with bench/run:

    .venv/bin/python bench/web.py [--database-url postgresql+psycopg://…] [--cases 100000]
                                  [--clients 50] [--duration 30] [--server-workers 1,2]
                                  [--dashboard-rounds 15] [--deadline-rows 1000000]
                                  [--json out.json] [--keep]

`--server-workers 1,2` compares server configurations on one seeded database: for each value in
turn `caseflow serve --no-scheduler --workers N` is started, both passes run, the server stops.
Each configuration fires the step on its own cases in 调查取证 (the same number for each: no
configuration acts on a case an earlier one stepped), draws the same case pages in the same
order, and warms every client's connection up before the clock (with several workers the single
client's warm-up reaches one of them only). Before a later configuration the bench checks that no
case changed state and shows the events the earlier ones added. After the concurrent pass it
reads the server's memory (RSS and PSS summed over the process tree, from /proc): each worker has
its own copy of the application. The server runs the code next to this file (python -m
caseflow.cli.main, PYTHONPATH and cwd at the repo root), not whatever the venv has installed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # run from the repo root's view, as the other benches

import httpx  # noqa: E402
from sqlalchemy import (  # noqa: E402
    Column, Date, DateTime, Integer, MetaData, String, Table, create_engine, event, func, insert,
    select, text, update,
)
from sqlalchemy.engine import make_url  # noqa: E402

from caseflow.auth.passwords import hash_password  # noqa: E402
from caseflow.cases import service as case_service  # noqa: E402
from caseflow.cases.models import (  # noqa: E402
    Case, CaseEvent, CaseParty, OfficerRole, PartyRole,
)
from caseflow.cases.numbering import KIND_WORD  # noqa: E402
from caseflow.cli.serve_command import DEMO_PASSWORD  # noqa: E402
from caseflow.db.base import Base, utcnow  # noqa: E402
from caseflow.db.migrate import upgrade  # noqa: E402
from caseflow.db.session import make_engine, unit_of_work  # noqa: E402
from caseflow.db.types import UTCDateTime  # noqa: E402
from caseflow.deadlines.models import Deadline  # noqa: E402
from caseflow.demo import runner  # noqa: E402
from caseflow.demo import scenarios as sc  # noqa: E402
from caseflow.demo.organisation import AGENCY_NAME, demo_users  # noqa: E402
from caseflow.demo.walk import Step, walk  # noqa: E402
from caseflow.documents.models import DocumentStatus  # noqa: E402
from caseflow.legal_time import SHANGHAI  # noqa: E402
from caseflow.numbering.models import NumberSequence  # noqa: E402
from caseflow.org.models import Agency, User  # noqa: E402
from caseflow.parties.models import Party, PartyKind  # noqa: E402
from caseflow.parties.service import register_party  # noqa: E402
from caseflow.web.queries.dashboard import board  # noqa: E402
from caseflow.web.queries.discretion_stats import discretion_spread  # noqa: E402
from caseflow.workflow.registry import get_library  # noqa: E402

# How many clones of the case in each state (weights); closed cases make most of a bureau's history.
MIX_OF_STATES = {
    "archived": 41.0, "not_filed": 6.0, "closed": 4.0,  # closed: a 封存 case released and closed
    "clue_registered": 5.0, "investigation": 20.0, "legal_review": 8.0, "notice": 8.0,
    "enforcement": 8.0, "emergency_sealed": 0.1,
}
CLOSED_STATES = {"archived", "not_filed", "closed"}
STEP = "record_onsite_act"
STEP_PAYLOAD = {"payload": {"record": "询问笔录", "persons": ["王调查", "赵取证"]}}
OFFICERS = ("diaocha1", "diaocha2")  # 调查岗, the officers of every cloned penalty case
SUPERVISORS = ("juzhang", "jjgz")  # 局负责人, 股长: the dashboard's readers
KINDS = ("case", "dashboard", "transition", "worklist")
# The clients sign in (not timed) a few at a time, as people arrive in the morning: each login
# spends ~50 ms of CPU on argon2, and 50 at once would only measure that queue.
LOGINS_AT_ONCE = 4
# uvicorn closes a connection idle for 5 s: a request sent on it just then fails (ReadError), so
# the clients drop idle connections a little earlier, as browsers do, and connect again.
KEEPALIVE_S = 4.0
LABEL = {"case": "case page", "dashboard": "dashboard", "transition": "transition",
         "worklist": "worklist"}


# ── seeding ──────────────────────────────────────────────────────────────────────────────────────

def _open(engine, *, item: str, title: str, party: dict[str, Any], at: datetime) -> str:
    with unit_of_work(engine) as s:
        agency = s.scalar(select(Agency).where(Agency.name == AGENCY_NAME))
        users = demo_users(s, agency)
        p = register_party(db_session=s, agency_id=agency.id, **party)
        case = case_service.open_case(
            db_session=s, actor=users["lian"], item_key=item, title=title,
            parties=[(p, PartyRole.principal)],
            officers=[(users["diaocha1"], OfficerRole.lead),
                      (users["diaocha2"], OfficerRole.assistant)], at=at)
        return case.case_no


def walk_templates(engine, now: datetime) -> None:
    """The demo's cases, and two more walked through the service: one in 调查取证 (investigation
    started, an on-site record made: the step the bench repeats), one decided, served and awaiting
    payment (执行, its 15-day period running out: the late-fee path of the case page)."""
    runner.seed(engine, now=now, password_hash=hash_password(DEMO_PASSWORD))
    day = now.astimezone(SHANGHAI).replace(hour=9, minute=0, second=0, microsecond=0)
    start = day - timedelta(days=5)
    no = _open(engine, item=sc.FRAUD_ITEM, title="栾川县某医院串换诊疗项目骗取医保基金案",
               party=runner.HOSPITAL, at=start)
    walk(engine, no, [
        Step("submit_filing", "lian", start + timedelta(hours=1), payload={
            "source": "医保智能监控系统预警", "facts": "当事人涉嫌串换诊疗项目骗取医疗保障基金支出。"}),
        Step("approve_filing", "juzhang", start + timedelta(days=1)),
        Step("start_investigation", "diaocha1", start + timedelta(days=1, hours=1),
             payload={"credentials_shown": ["豫41032026002", "豫41032026003"]}),
        Step(STEP, "diaocha1", start + timedelta(days=1, hours=2), payload=STEP_PAYLOAD["payload"]),
    ])
    start, served = day - timedelta(days=40), {"method": "直接送达", "recipient": "本人"}
    no = _open(engine, item=sc.INDIVIDUAL_ITEM, title="某参保人冒名就医骗取医保待遇案",
               party=runner.PERSON, at=start)
    walk(engine, no, [
        *sc.to_legal_review(start, sc.PERSON_FINDING),
        Step("approve_legal_review", "shencha", start + timedelta(days=4), opinion="同意。"),
        Step("approve_penalty", "juzhang", start + timedelta(days=5)),
        Step("serve_notice", "gaozhi", start + timedelta(days=6), payload=served),
        Step("waive_statement", "gaozhi", start + timedelta(days=6, hours=2)),
        Step("decide_penalty", "jueding", start + timedelta(days=8)),
        Step("serve_decision", "songda", start + timedelta(days=9), payload=served),
    ])


def _shift_sql(dialect: str, col: str, kind: str) -> str:
    """`col` moved by the clone's whole days (m.delta), in the dialect's own date arithmetic; the
    SQLite text keeps the stored format ('YYYY-MM-DD HH:MM:SS.ffffff')."""
    if dialect == "postgresql":
        return f"{col} + m.delta * INTERVAL '1 day'" if kind == "datetime" else f"{col} + m.delta"
    if kind == "datetime":
        return f"strftime('%Y-%m-%d %H:%M:%S', {col}, m.delta || ' days') || substr({col}, 20)"
    return f"date({col}, m.delta || ' days')"


def _clone_sql(conn, table: Table, join: str, overrides: dict[str, str]) -> str:
    """INSERT … SELECT copying the template rows of `table` once per clone (m: bench_clones):
    times moved by the clone's delta, `overrides` (column → SQL) for the rest; ids from the
    database unless overridden."""
    dialect = conn.dialect
    q = dialect.identifier_preparer.quote
    names, exprs = [], []
    for c in table.columns:
        if c.name == "id" and "id" not in overrides:
            continue
        if c.name in overrides:
            e = overrides[c.name]
            if e == "NULL":
                e = f"CAST(NULL AS {c.type.compile(dialect=dialect)})"
        elif isinstance(c.type, (UTCDateTime, DateTime)):
            e = _shift_sql(dialect.name, f"t.{q(c.name)}", "datetime")
        elif isinstance(c.type, Date):
            e = _shift_sql(dialect.name, f"t.{q(c.name)}", "date")
        else:
            e = f"t.{q(c.name)}"
        names.append(q(c.name))
        exprs.append(e)
    return (f"INSERT INTO {q(table.name)} ({', '.join(names)}) SELECT {', '.join(exprs)} "
            f"FROM bench_clones m JOIN {q(table.name)} t ON {join}")


def _same_document(col: str) -> str:
    """The clone's copy of the template document `col` refers to (same type, series, version)."""
    return (f"(SELECT nd.id FROM documents od JOIN documents nd ON nd.case_id = m.case_id "
            f"AND nd.doc_type = od.doc_type AND nd.series = od.series AND nd.version = od.version "
            f"WHERE od.id = t.{col})")


def seed(url: str, *, cases: int, now: datetime, rnd: random.Random) -> dict[str, Any]:
    """Walk the templates, plan the clones (state, time shift, 案号, party) in Python, then copy the
    templates' rows inside the database, one INSERT … SELECT per table.
    Returns the case numbers by state, the count per state and the rows per table."""
    engine = make_engine(url)
    walk_templates(engine, now)
    engine.dispose()
    library = get_library()
    tables = Base.metadata.tables
    bulk = create_engine(url)
    with bulk.begin() as conn:
        agency_id, short = conn.execute(
            select(Agency.id, Agency.short_name).where(Agency.name == AGENCY_NAME)).one()
        tpl = {}
        for case_id, state, opened, code, version, party_id, party_kind in conn.execute(
                select(Case.id, Case.state, Case.opened_at, Case.procedure_code,
                       Case.procedure_version, CaseParty.party_id, Party.kind)
                .join(CaseParty, CaseParty.case_id == Case.id)
                .join(Party, Party.id == CaseParty.party_id)
                .where(Case.agency_id == agency_id).order_by(Case.id)):
            if state in MIX_OF_STATES:  # the latest case of each state: the bench's own walks
                assert case_id not in {t["id"] for t in tpl.values()}, "one party per template case"
                kind = library.procedure(code, version).kind
                tpl[state] = {"id": case_id, "opened": opened, "party_id": party_id,
                              "party_kind": party_kind, "kind": kind}
        missing = set(MIX_OF_STATES) - set(tpl)
        if missing:
            raise SystemExit(f"template cases missing for states {sorted(missing)}")
        users = dict(conn.execute(
            select(User.username, User.id).where(User.agency_id == agency_id)).all())
        seqs = {(r.kind, r.year): r.last_value for r in conn.execute(
            select(NumberSequence.kind, NumberSequence.year, NumberSequence.last_value)
            .where(NumberSequence.agency_id == agency_id))}
        next_case = (conn.scalar(select(func.max(Case.id))) or 0) + 1
        next_party = (conn.scalar(select(func.max(Party.id))) or 0) + 1

        # The clones, in the order they were opened: ids and 案号 grow with time, as in real life.
        states, weights = zip(*MIX_OF_STATES.items())
        planned = []
        for _ in range(cases):
            state = rnd.choices(states, weights)[0]
            opened = tpl[state]["opened"]
            if state in CLOSED_STATES:
                delta = (now - timedelta(days=rnd.randint(30, 3 * 365)) - opened).days
            elif state == "emergency_sealed":
                delta = -rnd.randint(0, 1)
            else:
                delta = -rnd.randint(0, 120)
            planned.append((opened + timedelta(days=delta), state, delta))
        planned.sort(key=lambda p: p[0])
        by_state: dict[str, list[str]] = defaultdict(list)
        rows = []
        for n, (opened, state, delta) in enumerate(planned):
            t = tpl[state]
            year = opened.astimezone(SHANGHAI).year
            key = (f"case:{t['kind']}", year)
            seqs[key] = seqs.get(key, 0) + 1
            case_no = f"{short}{KIND_WORD.get(t['kind'], '案')}案〔{year}〕{seqs[key]}号"
            by_state[state].append(case_no)
            org = t["party_kind"] is PartyKind.organisation
            rows.append({
                "n": n, "case_id": next_case + n, "party_id": next_party + n,
                "tpl_case_id": t["id"], "tpl_party_id": t["party_id"], "delta": delta,
                "flip": n % 2, "case_no": case_no,
                "party_name": f"栾川县第{n + 1}号定点医药机构（基准）" if org else f"参保人{n + 1}号（基准）",
                "uscc": f"9141{n + 1:013d}X", "id_number": f"41032419{n + 1:09d}X",
            })
        numbers = ("case_id", "party_id", "tpl_case_id", "tpl_party_id", "delta", "flip")
        texts = ("case_no", "party_name", "uscc", "id_number")
        clones = Table("bench_clones", MetaData(), Column("n", Integer, primary_key=True),
                       *(Column(c, Integer) for c in numbers),
                       *(Column(c, String(200)) for c in texts),
                       prefixes=["TEMPORARY"])
        clones.create(conn)
        conn.execute(insert(clones), rows)
        conn.execute(text("CREATE INDEX bench_clones_tpl ON bench_clones (tpl_case_id)"))
        d1, d2 = users["diaocha1"], users["diaocha2"]
        plans: list[tuple[str, str, dict[str, str]]] = [
            ("parties", "t.id = m.tpl_party_id", {
                "id": "m.party_id", "name": "m.party_name",
                "uscc": "CASE WHEN t.uscc IS NULL THEN NULL ELSE m.uscc END",
                "id_number": "CASE WHEN t.id_number IS NULL THEN NULL ELSE m.id_number END"}),
            ("cases", "t.id = m.tpl_case_id",
             {"id": "m.case_id", "case_no": "m.case_no", "parent_case_id": "NULL"}),
            ("case_parties", "t.case_id = m.tpl_case_id",
             {"case_id": "m.case_id", "party_id": "m.party_id"}),
            # half the cases have 赵取证 as 承办人 and 王调查 as 协办人
            ("case_officers", "t.case_id = m.tpl_case_id", {"case_id": "m.case_id", "user_id": (
                f"CASE WHEN m.flip = 1 AND t.user_id = {d1} THEN {d2} "
                f"WHEN m.flip = 1 AND t.user_id = {d2} THEN {d1} ELSE t.user_id END")}),
            ("penalty_items", "t.case_id = m.tpl_case_id",
             {"case_id": "m.case_id", "party_id": "m.party_id"}),
            ("sealed_items", "t.case_id = m.tpl_case_id", {"case_id": "m.case_id"}),
            ("case_events", "t.case_id = m.tpl_case_id", {"case_id": "m.case_id"}),
            ("deadlines", "t.case_id = m.tpl_case_id", {"case_id": "m.case_id"}),
            # the 监督看板's rows of each case's 裁量 (with the case's state and decision, as cloned)
            ("case_discretion_rows", "t.case_id = m.tpl_case_id", {"case_id": "m.case_id"}),
            # PDFs are not copied (256 KB each) but marked rendered: no step renders them after
            # its answer, as on a server whose documents were rendered long ago
            ("documents", "t.case_id = m.tpl_case_id", {
                "case_id": "m.case_id", "status": f"'{DocumentStatus.rendered.name}'",
                "pdf": "NULL", "sha256": "NULL", "size": "NULL", "supersedes_id": "NULL",
                "rendered_at": _shift_sql(bulk.dialect.name, "t.issued_at", "datetime")}),
            ("deliveries", "t.case_id = m.tpl_case_id", {
                "case_id": "m.case_id", "document_id": _same_document("document_id"),
                "receipt_id": _same_document("receipt_id")}),
        ]
        counts = {}
        for name, join, overrides in plans:
            if name not in tables:  # a checkout before that table (to compare with one)
                continue
            sql = _clone_sql(conn, tables[name], join, overrides)
            counts[name] = conn.execute(text(sql)).rowcount
        conn.execute(text("DROP TABLE bench_clones"))
        for (kind, year), value in seqs.items():  # new cases get the next numbers, not a clone's
            done = conn.execute(update(NumberSequence).where(
                NumberSequence.agency_id == agency_id, NumberSequence.kind == kind,
                NumberSequence.year == year).values(last_value=value)).rowcount
            if not done:
                conn.execute(insert(NumberSequence).values(
                    agency_id=agency_id, kind=kind, year=year, last_value=value))
        if bulk.dialect.name == "postgresql":  # explicit ids: move the sequences past them
            for t_name in ("cases", "parties"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{t_name}', 'id'), "
                                  f"(SELECT max(id) FROM {t_name}))"))
    bulk.dispose()
    return {"by_state": dict(by_state), "counts": Counter({k: len(v) for k, v in by_state.items()}),
            "rows": counts}


def analyze(url: str, table: str = "") -> None:
    """Statistics (and on PostgreSQL the visibility map, by VACUUM), as autovacuum would have left
    them after the bulk load — instead of autovacuum doing it while the bench measures."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"{'VACUUM ' if engine.dialect.name == 'postgresql' else ''}ANALYZE {table}"))
    engine.dispose()


# ── the server ───────────────────────────────────────────────────────────────────────────────────

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


STARTED = "Application startup complete."  # uvicorn's line, once per worker process


def start_server(url: str, port: int, log: Path, workers: int = 1) -> subprocess.Popen[bytes]:
    """`caseflow serve` of the checkout this file is in (not the venv's installed one), answering
    once every worker process has started."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "CASEFLOW_DATABASE_URL": url, "PYTHONUNBUFFERED": "1", "PYTHONPATH": path}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "caseflow.cli.main", "serve", "--no-scheduler",
             "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(
                f"caseflow serve exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if (httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200
                    and log.read_text(errors="replace").count(STARTED) >= workers):
                return proc
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    stop_server(proc)
    raise SystemExit(f"caseflow serve (--workers {workers}) did not answer in 120 s:\n"
                     f"{log.read_text()[-3000:]}")


def own_database(url: str) -> tuple[str, Any]:
    """A new database on the PostgreSQL server of `url` (the other benches seed `url` itself), and
    the function that drops it."""
    u = make_url(url)
    name = f"caseflow_web_bench_{os.getpid()}"
    admin = create_engine(u, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()

    def drop() -> None:
        admin = create_engine(u, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return u.set(database=name).render_as_string(hide_password=False), drop


def cpu_seconds(pid: int | None = None) -> float | None:
    """CPU time (user + system) of a process: the server's from /proc (Linux), or this one's."""
    if pid is None:
        t = os.times()
        return t.user + t.system
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command (state first), or None."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _start_time(pid: int) -> str | None:
    f = _stat(pid)
    return f[19] if f else None


def _alive(pid: int, started: str | None) -> bool:
    """The same process (same start time: not a recycled id) is still there and not a zombie."""
    f = _stat(pid)
    return f is not None and f[19] == started and f[0] != "Z"


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants, `pid` first (Linux /proc)."""
    children: dict[int, list[int]] = defaultdict(list)
    for d in Path("/proc").iterdir():
        f = _stat(int(d.name)) if d.name.isdigit() else None
        if f is not None:
            children[int(f[1])].append(int(d.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop(0)
        out.append(p)
        todo.extend(sorted(children.get(p, ())))
    return out


def tree_cpu(pid: int) -> dict[int, float]:
    """CPU seconds of each process of the server's tree (the workers of `--workers N`)."""
    out = {}
    for p in process_tree(pid):
        cpu = cpu_seconds(p)
        if cpu is not None:
            out[p] = cpu
    return out


def _kb(path: Path, field: str) -> int | None:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def role(pid: int, server_pid: int) -> str:
    """What a process of the server's tree is: the server (uvicorn's parent with --workers N),
    multiprocessing's resource tracker (started with spawned workers) or a worker."""
    if pid == server_pid:
        return "server"
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        cmd = b""
    return "tracker" if b"resource_tracker" in cmd else "worker"


def tree_memory(pid: int) -> dict[str, Any]:
    """RSS (and PSS, which shares the pages the processes have in common) of the server's process
    tree, in MB, summed and per process."""
    rss, pss = {}, {}
    for p in process_tree(pid):
        r = _kb(Path(f"/proc/{p}/status"), "VmRSS:")
        if r is not None:
            rss[p] = r / 1024
            q = _kb(Path(f"/proc/{p}/smaps_rollup"), "Pss:")
            if q is not None:
                pss[p] = q / 1024
    return {"processes": len(rss), "rss_mb": sum(rss.values()),
            "pss_mb": sum(pss.values()) if len(pss) == len(rss) else None,
            "by_process": [{"role": role(p, pid), "rss_mb": round(v, 1),
                            **({"pss_mb": round(pss[p], 1)} if p in pss else {})}
                           for p, v in rss.items()]}


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server and wait until its worker processes have gone too."""
    tree = [(p, _start_time(p)) for p in (process_tree(proc.pid) if proc.poll() is None else [])]
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    deadline = time.monotonic() + 30
    for p, started in tree[1:]:  # the workers uvicorn started: normally gone with their parent
        while _alive(p, started) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _alive(p, started):
            os.kill(p, signal.SIGKILL)


# ── the clients ──────────────────────────────────────────────────────────────────────────────────

class Recorder:
    def __init__(self) -> None:
        self.lat: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.samples: dict[str, str] = {}
        self.tags: dict[str, list[tuple[str, float]]] = defaultdict(list)

    def add(self, kind: str, seconds: float, status: int | None, body: str,
            tag: str | None = None) -> None:
        if status == 200:
            self.lat[kind].append(seconds)
            if tag:
                self.tags[kind].append((tag, seconds))
        else:
            self.errors[kind] += 1
            self.samples.setdefault(kind, f"{status}: {body[:300]}")


class Session:
    """One signed-in browser: its own connection and cookie jar, and the session's CSRF token."""

    def __init__(self, client: httpx.AsyncClient, csrf: str, username: str) -> None:
        self.client, self.csrf, self.username = client, csrf, username


async def sign_in(base: str, username: str) -> Session:
    client = httpx.AsyncClient(base_url=base, timeout=300, follow_redirects=False,
                               limits=httpx.Limits(keepalive_expiry=KEEPALIVE_S))
    r = await client.post("/api/auth/login", json={"username": username, "password": DEMO_PASSWORD})
    if r.status_code != 200:
        raise SystemExit(f"login {username}: {r.status_code} {r.text[:300]}")
    return Session(client, r.json()["csrf_token"], username)


class Plan:
    """What the clients of one server configuration ask for: random cases of every state (all the
    seeded cases, the same for every configuration), and for the step this configuration's own
    cases in 调查取证 — one to check the step, the single client's, each concurrent client's share."""

    def __init__(self, everything: list[tuple[str, str]], pool: list[str], clients: int) -> None:
        self.all = everything
        pool = list(pool)
        self.cases = list(pool)  # every case this configuration may step
        self.check_case = pool.pop()  # fired once before the clock starts
        k = min(200, len(pool) // 4)
        self.sequential_pool = pool[:k]  # the single client's transitions
        pool = pool[k:]
        self.shares = [pool[i::clients] for i in range(clients)]


def make_plans(by_state: dict[str, list[str]], clients: int, rnd: random.Random,
               configurations: int) -> list[Plan]:
    """One plan per server configuration: the cases in 调查取证, shuffled, split into equal parts,
    so that no configuration steps a case an earlier one stepped (each acts on cases as seeded)."""
    everything = [(no, st) for st, nos in by_state.items() for no in nos]
    pool = list(by_state["investigation"])
    rnd.shuffle(pool)
    part = len(pool) // configurations
    if part < 2 * clients + 2:
        raise SystemExit(
            f"too few cases in 调查取证 ({len(pool)}) for {clients} clients"
            + (f" in each of {configurations} server configurations" if configurations > 1 else "")
            + ": raise --cases")
    return [Plan(everything, pool[i * part:(i + 1) * part], clients)
            for i in range(configurations)]


def step_url(case_no: str) -> str:
    return f"/api/cases/{quote(case_no)}/transitions/{STEP}"


async def request(kind: str, sess: Session, plan: Plan, rnd: random.Random, share: list[str],
                  rec: Recorder) -> None:
    tag = None
    t0 = time.perf_counter()
    try:
        if kind == "case":
            no, tag = rnd.choice(plan.all)
            r = await sess.client.get(f"/cases/{quote(no)}")
        elif kind == "dashboard":
            r = await sess.client.get("/dashboard")
        elif kind == "worklist":
            r = await sess.client.get("/")
        else:
            no = rnd.choice(share)
            r = await sess.client.post(step_url(no), json=STEP_PAYLOAD,
                                       headers={"X-CSRF-Token": sess.csrf})
        rec.add(kind, time.perf_counter() - t0, r.status_code, r.text, tag)
    except httpx.HTTPError as exc:
        rec.add(kind, time.perf_counter() - t0, None, f"{type(exc).__name__}: {exc}")


async def check_step(base: str, case_no: str) -> None:
    """Fire the step once, before any timing: the seeded cases must satisfy its guards."""
    sess = await sign_in(base, OFFICERS[0])
    try:
        r = await sess.client.post(step_url(case_no), json=STEP_PAYLOAD,
                                   headers={"X-CSRF-Token": sess.csrf})
        if r.status_code != 200:
            raise SystemExit(f"the bench's step {STEP} on {case_no} was refused: "
                             f"{r.status_code} {r.text[:500]}")
        r = await sess.client.post(step_url(case_no), json=STEP_PAYLOAD)
        if r.status_code != 403:
            raise SystemExit(f"a step without X-CSRF-Token was not refused: "
                             f"{r.status_code} {r.text[:300]}")
    finally:
        await sess.client.aclose()


async def sequential(base: str, plan: Plan, counts: dict[str, int], rnd: random.Random) -> Recorder:
    officer = await sign_in(base, OFFICERS[0])
    head = await sign_in(base, SUPERVISORS[0])
    warm, rec = Recorder(), Recorder()
    for kind in KINDS:  # first requests build caches (templates, machines, SVG): not timed
        who = head if kind == "dashboard" else officer
        for _ in range(3):
            await request(kind, who, plan, rnd, plan.sequential_pool, warm)
    for kind in KINDS:
        who = head if kind == "dashboard" else officer
        for _ in range(counts.get(kind, 0)):
            await request(kind, who, plan, rnd, plan.sequential_pool, rec)
    for s in (officer, head):
        await s.client.aclose()
    for kind, n in warm.errors.items():
        rec.errors[kind] += n
        rec.samples.setdefault(kind, warm.samples[kind])
    return rec


async def concurrent(base: str, plan: Plan, clients: int, duration: float, mix: dict[str, float],
                     rnd: random.Random, server_pid: int,
                     ) -> tuple[Recorder, float, dict[str, float], dict[str, float]]:
    gate = asyncio.Semaphore(LOGINS_AT_ONCE)

    async def signed_in(username: str) -> Session:
        async with gate:
            return await sign_in(base, username)

    officers = await asyncio.gather(*(signed_in(OFFICERS[i % 2]) for i in range(clients)))
    heads = await asyncio.gather(*(signed_in(SUPERVISORS[i % 2]) for i in range(clients)))
    kinds, weights = zip(*((k, w) for k, w in mix.items() if w > 0))
    rec, warm = Recorder(), Recorder()

    async def warm_up(i: int) -> None:  # not timed: every connection (any worker) once per kind
        r = random.Random(i)
        for kind in kinds:
            who = heads[i] if kind == "dashboard" else officers[i]
            await request(kind, who, plan, r, plan.shares[i], warm)

    await asyncio.gather(*(warm_up(i) for i in range(clients)))
    for kind, n in warm.errors.items():
        rec.errors[kind] += n
        rec.samples.setdefault(kind, warm.samples[kind])
    server0, clients0 = tree_cpu(server_pid), cpu_seconds()
    start = time.perf_counter()
    stop = start + duration

    async def client(i: int) -> None:
        r = random.Random(rnd.random())
        while time.perf_counter() < stop:
            kind = r.choices(kinds, weights)[0]
            who = heads[i] if kind == "dashboard" else officers[i]
            await request(kind, who, plan, r, plan.shares[i], rec)

    await asyncio.gather(*(client(i) for i in range(clients)))
    elapsed = time.perf_counter() - start
    server1, clients1 = tree_cpu(server_pid), cpu_seconds()
    by_process = {p: (c - server0.get(p, 0.0)) / elapsed for p, c in server1.items()}
    by_process = {f"{role(p, server_pid)} {p}": v for p, v in by_process.items()}
    cpu = {**({"server": sum(by_process.values())} if by_process else {}),
           "clients": (clients1 - clients0) / elapsed}
    for s in (*officers, *heads):
        await s.client.aclose()
    return rec, elapsed, cpu, by_process


# ── the dashboard against its references ─────────────────────────────────────────────────────────

TRIVIAL = "/legal-time"  # a page of the same frame (session, nav, template) with no query of its own


def dashboard_statements(url: str, now: datetime) -> list[tuple[str, Any]]:
    """The SELECTs the 监督看板 sends for the 局负责人 (the whole bureau), with their parameters,
    captured once in this process from the same functions the page calls."""
    engine = make_engine(url)
    seen: list[tuple[str, Any]] = []

    def keep(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip()[:6].upper() == "SELECT":
            seen.append((statement, parameters))

    with unit_of_work(engine, write=False) as s:
        agency_id = s.scalar(select(Agency.id).where(Agency.name == AGENCY_NAME))
        event.listen(engine, "before_cursor_execute", keep)
        try:
            board(db_session=s, agency_id=agency_id, now=now)
            discretion_spread(db_session=s, agency_id=agency_id)
        finally:
            event.remove(engine, "before_cursor_execute", keep)
    engine.dispose()
    return seen


def replay(raw: Any, statements: list[tuple[str, Any]]) -> None:
    """The statements run raw on a DBAPI connection, every row fetched: the page's SQL alone."""
    cur = raw.cursor()
    for sql, params in statements:
        cur.execute(sql, params)
        cur.fetchall()
    raw.rollback()


async def dashboard_vs_references(base: str, url: str, rounds: int) -> dict[str, Any]:
    """GET /dashboard as the 局负责人, its own SQL replayed raw (same statements and parameters) and
    GET {TRIVIAL}, one at a time, alternating (each round in another order), p50 of each: the
    machine's load (a CI on the same cores) moves all three, their ratios hold."""
    statements = dashboard_statements(url, utcnow())
    head = await sign_in(base, SUPERVISORS[0])
    engine = make_engine(url)
    raw = engine.raw_connection()
    lat: dict[str, list[float]] = {"dashboard": [], "sql": [], "trivial": []}
    errors: list[str] = []

    async def one(kind: str) -> float:
        t0 = time.perf_counter()
        if kind == "sql":
            replay(raw, statements)
        else:
            r = await head.client.get("/dashboard" if kind == "dashboard" else TRIVIAL)
            if r.status_code != 200:
                errors.append(f"{kind} {r.status_code}: {r.text[:200]}")
        return time.perf_counter() - t0

    try:
        kinds = list(lat)
        for k in kinds * 2:  # warm: templates, caches, the database's pages
            await one(k)
        for i in range(rounds):
            for k in kinds[i % 3:] + kinds[:i % 3]:
                lat[k].append(await one(k))
    finally:
        raw.close()
        engine.dispose()
        await head.client.aclose()
    if errors:
        raise SystemExit(f"dashboard bench: {errors[0]}")
    p50 = {k: pct(v, 50) for k, v in lat.items()}
    return {"rounds": rounds, "statements": len(statements), "p50_ms": p50,
            "ratio_to_sql": p50["dashboard"] / p50["sql"],
            "ratio_to_trivial": p50["dashboard"] / p50["trivial"],
            "load_average": os.getloadavg()[0]}


def print_dashboard(d: dict[str, Any], label: str) -> None:
    p = d["p50_ms"]
    print(f"  {label}: GET /dashboard {p['dashboard']:.1f} ms | its {d['statements']} SQL statements "
          f"replayed raw {p['sql']:.1f} ms (dashboard ×{d['ratio_to_sql']:.2f}) | GET {TRIVIAL} "
          f"{p['trivial']:.1f} ms (dashboard ×{d['ratio_to_trivial']:.1f})  [p50 of {d['rounds']}, "
          f"load {d['load_average']:.1f}]")


def pad_deadlines(url: str, total: int) -> dict[str, Any]:
    """Closed limits of earlier years added until the deadline table holds `total` rows: copies of
    the closed rows (met, cancelled, extended, overdue), every time moved back three years per
    copy, INSERT … SELECT — a bureau's longer history; its running limits and its last twelve
    months (the chart's) stay as they were. ANALYZE (VACUUM ANALYZE on PostgreSQL) after."""
    t0 = time.perf_counter()
    engine = create_engine(url)
    table = Deadline.__table__
    with engine.begin() as conn:
        dialect = conn.dialect
        q = dialect.identifier_preparer.quote
        before = conn.scalar(select(func.count()).select_from(table)) or 0
        top = conn.scalar(select(func.max(table.c.id))) or 0
        have, k = before, 0
        while have < total:
            k += 1
            names, exprs = [], []
            for c in table.columns:
                if c.name == "id":
                    continue
                e = f"t.{q(c.name)}"
                if isinstance(c.type, (UTCDateTime, DateTime, Date)):
                    kind = "date" if isinstance(c.type, Date) else "datetime"
                    e = _shift_sql(dialect.name, e, kind).replace("m.delta", f"({-3 * 365 * k})")
                names.append(q(c.name))
                exprs.append(e)
            added = conn.execute(text(
                f"INSERT INTO deadlines ({', '.join(names)}) SELECT {', '.join(exprs)} FROM deadlines t "
                f"WHERE t.status <> 'open' AND t.id <= {top} ORDER BY t.id LIMIT {total - have}")).rowcount
            if not added:
                raise SystemExit("--deadline-rows: no closed limits to copy")
            have += added
    engine.dispose()
    analyze(url, "deadlines")
    return {"before": before, "after": have, "copies": k, "seconds": time.perf_counter() - t0}


def run_dashboard(url: str, args: argparse.Namespace, log: Path) -> dict[str, Any]:
    """The dashboard against its references at the seeded size; with --deadline-rows, again after
    padding the deadline table, and the growth factor."""
    port = free_port()
    proc = start_server(url, port, log, 1)
    base = f"http://127.0.0.1:{port}"
    try:
        print(f"── dashboard (监督看板, 局负责人: the whole bureau) against its references {'─' * 30}")
        out: dict[str, Any] = {"seeded": asyncio.run(dashboard_vs_references(base, url, args.dashboard_rounds))}
        print_dashboard(out["seeded"], f"{args.cases:,} cases")
        med = out["seeded"]["p50_ms"]["dashboard"]
        print(f"  target: dashboard < 100 ms — {'met' if med < 100 else 'NOT met'} ({med:.1f} ms)")
        if args.deadline_rows:
            pad = pad_deadlines(url, args.deadline_rows)
            out["padding"] = pad
            print(f"  deadlines {pad['before']:,} → {pad['after']:,} rows (closed limits of earlier years, "
                  f"{pad['copies']} cop{'ies' if pad['copies'] > 1 else 'y'} by INSERT … SELECT, then "
                  f"ANALYZE) in {pad['seconds']:.0f} s")
            a = out["padded"] = asyncio.run(dashboard_vs_references(base, url, args.dashboard_rounds))
            b = out["seeded"]
            print_dashboard(a, f"{pad['after']:,} deadline rows")
            growth = a["p50_ms"]["dashboard"] / b["p50_ms"]["dashboard"]
            by_trivial = a["ratio_to_trivial"] / b["ratio_to_trivial"]
            by_sql = a["ratio_to_sql"] / b["ratio_to_sql"]
            out["growth"] = {"dashboard": growth, "against_trivial": by_trivial, "against_sql": by_sql}
            print(f"  growth {pad['before']:,} → {pad['after']:,} deadline rows: dashboard ×{growth:.2f} "
                  f"(×{by_trivial:.2f} against GET {TRIVIAL}, ×{by_sql:.2f} against its own SQL) — "
                  f"target < 1.3 {'met' if max(growth, by_trivial) < 1.3 else 'NOT met'}")
        return out
    finally:
        stop_server(proc)


# ── report ───────────────────────────────────────────────────────────────────────────────────────

def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile, in ms."""
    xs = sorted(values)
    return xs[max(0, min(len(xs) - 1, round(p / 100 * len(xs) + 0.5) - 1))] * 1000


def summary(rec: Recorder, elapsed: float | None) -> dict[str, dict[str, Any]]:
    out = {}
    for kind in KINDS:
        lat = rec.lat.get(kind, [])
        if not lat and not rec.errors.get(kind):
            continue
        out[kind] = {"n": len(lat), "errors": rec.errors.get(kind, 0),
                     **({"p50_ms": pct(lat, 50), "p90_ms": pct(lat, 90), "p99_ms": pct(lat, 99),
                         "max_ms": max(lat) * 1000} if lat else {}),
                     **({"per_s": len(lat) / elapsed} if elapsed else {}),
                     **({"error_sample": rec.samples[kind]} if kind in rec.samples else {})}
    return out


def print_table(stats: dict[str, dict[str, Any]], rate: bool) -> None:
    print(f"  {'':<11}{'n':>7}{'req/s' if rate else '':>8}"
          f"{'p50':>9}{'p90':>9}{'p99':>9}{'max':>9}  errors  (ms)")
    for kind, s in stats.items():
        if s["n"]:
            per_s = f"{s['per_s']:8.1f}" if rate else " " * 8
            print(f"  {LABEL[kind]:<11}{s['n']:>7}{per_s}{s['p50_ms']:9.1f}{s['p90_ms']:9.1f}"
                  f"{s['p99_ms']:9.1f}{s['max_ms']:9.1f}  {s['errors']:>6}")
        else:
            print(f"  {LABEL[kind]:<11}{0:>7}  — every request failed ({s['errors']})")
    for kind, s in stats.items():
        if s.get("error_sample"):
            print(f"  ! {LABEL[kind]} error sample: {s['error_sample']}")


def parse_counts(text: str) -> dict[str, float]:
    out = {}
    for part in text.split(","):
        k, _, v = part.partition("=")
        if k.strip() not in KINDS:
            raise SystemExit(f"unknown kind {k!r} (one of {', '.join(KINDS)})")
        out[k.strip()] = float(v)
    return out


def parse_workers(text: str) -> list[int]:
    try:
        out = [int(w) for w in text.split(",") if w.strip()]
    except ValueError:
        raise SystemExit(f"--server-workers: a comma list of worker counts, not {text!r}") from None
    if not out or min(out) < 1 or len(set(out)) != len(out):
        raise SystemExit(f"--server-workers: distinct counts of at least 1, not {text!r}")
    return out


def database_state(url: str) -> tuple[Counter[str], int]:
    """Cases per state and the number of case events (the step adds one each time)."""
    engine = create_engine(url)
    with engine.connect() as conn:
        states = Counter(dict(conn.execute(
            select(Case.state, func.count()).group_by(Case.state)).all()))
        events = conn.scalar(select(func.count()).select_from(CaseEvent))
        if engine.dialect.name == "sqlite":  # the previous server's WAL folded into the file
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return states, int(events or 0)


def not_in_investigation(url: str, case_nos: list[str]) -> list[str]:
    engine = create_engine(url)
    out: list[str] = []
    with engine.connect() as conn:
        for i in range(0, len(case_nos), 500):
            out += conn.scalars(select(Case.case_no).where(
                Case.case_no.in_(case_nos[i:i + 500]), Case.state != "investigation")).all()
    engine.dispose()
    return out


def run_configuration(url: str, workers: int, plan: Plan, args: argparse.Namespace,
                      mix: dict[str, float], seq_counts: dict[str, int], rnd: random.Random,
                      log: Path) -> dict[str, Any]:
    """One server configuration: start `caseflow serve --workers N`, both passes, its memory at
    the end, stop it. Prints its figures; returns them."""
    load0 = os.getloadavg()
    port = free_port()
    t0 = time.perf_counter()
    proc = start_server(url, port, log, workers)
    try:
        start_s = time.perf_counter() - t0
        print(f"  caseflow serve answering after {start_s:.1f} s (port {port}"
              + (f", {workers} workers" if workers > 1 else "") + ")")
        base = f"http://127.0.0.1:{port}"
        asyncio.run(check_step(base, plan.check_case))
        seq = asyncio.run(sequential(base, plan, seq_counts, rnd))
        seq_stats = summary(seq, None)
        print("one client, one request at a time:")
        print_table(seq_stats, rate=False)
        by_state: dict[str, list[float]] = defaultdict(list)
        for state, sec in seq.tags["case"]:
            by_state[state].append(sec)
        print("  case page p50 by state: " + ", ".join(
            f"{st} {pct(v, 50):.0f}"
            for st, v in sorted(by_state.items(), key=lambda kv: -len(kv[1]))))
        if "case" in seq_stats and seq_stats["case"]["n"]:
            med = seq_stats["case"]["p50_ms"]
            verdict = "met" if med < 100 else "NOT met"
            print(f"  target: case page median < 100 ms — {verdict} ({med:.1f} ms)")
        rec, elapsed, cpu, cpu_by_process = asyncio.run(
            concurrent(base, plan, args.clients, args.duration, mix, rnd, proc.pid))
        memory = tree_memory(proc.pid)
    finally:
        stop_server(proc)
    load1 = os.getloadavg()
    con_stats = summary(rec, elapsed)
    total = sum(len(v) for v in rec.lat.values())
    errors = sum(rec.errors.values())
    print(f"{args.clients} clients, {elapsed:.0f} s until the last answer (mix {args.mix}): "
          f"{total:,} answered, {total / elapsed:.1f} req/s, "
          f"{errors} errors; CPU: "
          + ", ".join(f"{who} {100 * v:.0f}% of a core" for who, v in cpu.items()))
    print_table(con_stats, rate=True)
    if len(cpu_by_process) > 1:
        print("  server CPU per process: " + ", ".join(
            f"{who.split()[0]} {100 * v:.0f}%" for who, v in cpu_by_process.items()))
    pss = f", PSS {memory['pss_mb']:.0f} MB" if memory["pss_mb"] is not None else ""
    print(f"  server memory at the end: RSS {memory['rss_mb']:.0f} MB over "
          f"{memory['processes']} process{'es' if memory['processes'] > 1 else ''}{pss}"
          + (" (RSS: " + ", ".join(f"{m['role']} {m['rss_mb']:.0f}" for m in memory["by_process"])
             + ")" if memory["processes"] > 1 else ""))
    return {
        "server": {"workers": workers, "start_s": start_s, "memory": memory},
        "load_average": {"before": load0, "after": load1},  # the machine's (1, 5, 15 min)
        "sequential": seq_stats,
        "case_page_p50_by_state_ms": {k: pct(v, 50) for k, v in by_state.items()},
        "concurrent": {"clients": args.clients, "seconds": elapsed, "mix": mix, "cpu": cpu,
                       "cpu_by_process": cpu_by_process,
                       "answered": total, "per_s": total / elapsed, "errors": errors,
                       "kinds": con_stats},
        "errors": errors + sum(seq.errors.values()),
    }


def print_comparison(results: dict[int, dict[str, Any]]) -> None:
    def p50(r: dict[str, Any], part: str, kind: str) -> str:
        s = (r[part]["kinds"] if part == "concurrent" else r[part]).get(kind, {})
        return f"{s['p50_ms']:.0f}" if s.get("n") else "—"

    print("by server workers (ms; req/s and CPU of the concurrent pass; memory at its end):")
    print(f"  {'workers':>7}{'1 client case p50':>19}{'req/s':>8}{'case p50':>10}{'case p90':>10}"
          f"{'step p50':>10}{'dash p50':>10}{'errors':>8}{'server CPU':>12}{'RSS MB':>8}"
          f"{'PSS MB':>8}  load before/after")
    for w, r in results.items():
        c, m = r["concurrent"], r["server"]["memory"]
        cs = c["kinds"].get("case", {})
        print(f"  {w:>7}{p50(r, 'sequential', 'case'):>19}{c['per_s']:8.1f}"
              f"{p50(r, 'concurrent', 'case'):>10}"
              f"{(format(cs['p90_ms'], '.0f') if cs.get('n') else '—'):>10}"
              f"{p50(r, 'concurrent', 'transition'):>10}{p50(r, 'concurrent', 'dashboard'):>10}"
              f"{r['errors']:>8}{100 * c['cpu'].get('server', 0):>11.0f}%{m['rss_mb']:8.0f}"
              f"{(format(m['pss_mb'], '.0f') if m['pss_mb'] is not None else '—'):>8}"
              f"  {r['load_average']['before'][0]:.1f} / {r['load_average']['after'][0]:.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--database-url",
                    help="PostgreSQL: the bench makes its own database on that server and drops it "
                         "at the end; SQLite: an empty file (default: one in a temp folder)")
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--duration", type=float, default=30.0, help="seconds of the concurrent run")
    ap.add_argument("--mix", default="case=70,dashboard=10,transition=20",
                    help="weights of the concurrent run's requests "
                         "(kinds: case, dashboard, transition, worklist)")
    ap.add_argument("--sequential", default="case=200,dashboard=10,transition=50,worklist=10",
                    help="requests of the one-client run, per kind")
    ap.add_argument("--server-workers", default="1",
                    help="caseflow serve --workers N, one run each on the same seeded database, "
                         "e.g. 1,2")
    ap.add_argument("--no-analyze", action="store_true",
                    help="do not ANALYZE after seeding (VACUUM ANALYZE on PostgreSQL)")
    ap.add_argument("--dashboard-rounds", type=int, default=15,
                    help="rounds of the dashboard against its references (0: skip that part)")
    ap.add_argument("--deadline-rows", type=int, default=0,
                    help="after the dashboard at the seeded size, pad the deadline table to this many "
                         "rows (closed limits of earlier years) and measure it again, e.g. 1000000")
    ap.add_argument("--json", type=Path, help="write the figures to this file")
    ap.add_argument("--keep", action="store_true",
                    help="keep the temp folder (SQLite database, server logs) and the "
                         "PostgreSQL database")
    args = ap.parse_args()
    mix = parse_counts(args.mix)
    seq_counts = {k: int(v) for k, v in parse_counts(args.sequential).items()}
    runs = parse_workers(args.server_workers)
    get_library()
    tmp = Path(tempfile.mkdtemp(prefix="caseflow-web-bench-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.db'}"
    own_db = None
    if url.startswith("postgresql"):
        url, own_db = own_database(url)
    logs = [tmp / ("serve.log" if len(runs) == 1 else f"serve-workers-{w}.log") for w in runs]
    try:
        upgrade(url)
        engine = make_engine(url)
        with unit_of_work(engine, write=False) as s:
            if s.scalar(select(func.count()).select_from(Case)):
                raise SystemExit("the database has cases already: give an empty one")
        dialect = engine.dialect.name
        engine.dispose()
        rnd = random.Random(2026)
        now = utcnow()
        t0 = time.perf_counter()
        seeded = seed(url, cases=args.cases, now=now, rnd=rnd)
        if not args.no_analyze:
            analyze(url)
        seed_s = time.perf_counter() - t0
        rows = sum(seeded["rows"].values())
        print(f"{dialect}: seeded {args.cases:,} cases ({rows:,} rows) in {seed_s:.0f} s"
              + ("" if args.no_analyze else
                 f", {'VACUUM ANALYZE' if dialect == 'postgresql' else 'ANALYZE'} included"))
        print("  states: " + ", ".join(f"{k} {v:,}" for k, v in seeded["counts"].most_common()))
        plans = make_plans(seeded["by_state"], args.clients, rnd, len(runs))
        draws = rnd.getstate()  # every configuration draws the same case pages, in the same order
        states0, events0 = database_state(url)
        results: dict[int, dict[str, Any]] = {}
        for n, (workers, plan, log) in enumerate(zip(runs, plans, logs)):
            if len(runs) > 1:
                print(f"── caseflow serve --workers {workers} "
                      f"({n + 1} of {len(runs)}) {'─' * 60}")
            database: dict[str, Any] = {}
            if n:
                states, events = database_state(url)
                if states != states0:
                    moved = {k: states[k] - states0[k] for k in states0 | states
                             if states[k] != states0[k]}
                    raise SystemExit(f"cases changed state during the earlier runs: {moved}")
                stale = not_in_investigation(url, plan.cases)
                if stale:
                    raise SystemExit(f"{len(stale)} of this run's cases left 调查取证: {stale[:5]}")
                database = {"events": events, "events_added_by_earlier_runs": events - events0}
                print(f"  database: cases per state as seeded; {events:,} case events, "
                      f"{events - events0:,} of them added by the earlier runs "
                      f"(on other cases than this run's steps)")
            rnd.setstate(draws)
            results[workers] = run_configuration(url, workers, plan, args, mix, seq_counts, rnd,
                                                 log)
            if database:
                results[workers]["database_before"] = database
        if len(runs) > 1:
            print_comparison(results)
        dash = run_dashboard(url, args, tmp / "serve-dashboard.log") if args.dashboard_rounds else None
        if args.json:
            figures: dict[str, Any] = {
                "database": dialect, "cases": args.cases, "rows": seeded["rows"],
                "seed_s": seed_s, "states": dict(seeded["counts"]), "server_workers": runs,
                "by_workers": {str(w): {k: v for k, v in r.items() if k != "errors"}
                               for w, r in results.items()},
            }
            if dash:
                figures["dashboard"] = dash
            if len(runs) == 1:  # the figures where they were before --server-workers
                only = results[runs[0]]
                figures.update({k: only[k] for k in (
                    "sequential", "case_page_p50_by_state_ms", "concurrent", "server")})
            args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2))
        if any(r["errors"] for r in results.values()):
            sys.exit(1)
    finally:
        if args.keep:
            print(f"  kept {url} and the server's log{'s' if len(logs) > 1 else ''} "
                  + ", ".join(str(p) for p in logs))
        else:
            shutil.rmtree(tmp, ignore_errors=True)
            if own_db:
                own_db()


if __name__ == "__main__":
    main()
