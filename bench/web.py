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
the end. Not a test; run by hand or with bench/run:

    .venv/bin/python bench/web.py [--database-url postgresql+psycopg://…] [--cases 100000]
                                  [--clients 50] [--duration 30] [--json out.json] [--keep]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
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
    Column, Date, DateTime, Integer, MetaData, String, Table, create_engine, func, insert, select,
    text, update,
)
from sqlalchemy.engine import make_url  # noqa: E402

from caseflow.auth.passwords import hash_password  # noqa: E402
from caseflow.cases import service as case_service  # noqa: E402
from caseflow.cases.models import Case, CaseParty, OfficerRole, PartyRole  # noqa: E402
from caseflow.cases.numbering import KIND_WORD  # noqa: E402
from caseflow.cli.serve_command import DEMO_PASSWORD  # noqa: E402
from caseflow.db.base import Base, utcnow  # noqa: E402
from caseflow.db.migrate import upgrade  # noqa: E402
from caseflow.db.session import make_engine, unit_of_work  # noqa: E402
from caseflow.db.types import UTCDateTime  # noqa: E402
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
                .where(Case.agency_id == agency_id)):
            if state in MIX_OF_STATES:
                assert state not in tpl, f"two template cases in {state}: one party each expected"
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


def analyze(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:  # as autovacuum would have done on PostgreSQL
        conn.execute(text("ANALYZE"))
    engine.dispose()


# ── the server ───────────────────────────────────────────────────────────────────────────────────

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    exe = Path(sys.executable).parent / "caseflow"
    env = {**os.environ, "CASEFLOW_DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(exe), "serve", "--no-scheduler", "--host", "127.0.0.1", "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(
                f"caseflow serve exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    stop_server(proc)
    raise SystemExit(f"caseflow serve did not answer in 120 s:\n{log.read_text()[-3000:]}")


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


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


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
    client = httpx.AsyncClient(base_url=base, timeout=300, follow_redirects=False)
    r = await client.post("/api/auth/login", json={"username": username, "password": DEMO_PASSWORD})
    if r.status_code != 200:
        raise SystemExit(f"login {username}: {r.status_code} {r.text[:300]}")
    return Session(client, r.json()["csrf_token"], username)


class Plan:
    """What the clients ask for: random cases of every state, and for the step each client's own
    share of the cases in 调查取证."""

    def __init__(self, by_state: dict[str, list[str]], clients: int, rnd: random.Random) -> None:
        self.all = [(no, st) for st, nos in by_state.items() for no in nos]
        pool = list(by_state["investigation"])
        rnd.shuffle(pool)
        if len(pool) < 2 * clients + 2:
            raise SystemExit(
                f"too few cases in 调查取证 ({len(pool)}) for {clients} clients: raise --cases")
        self.check_case = pool.pop()  # fired once before the clock starts
        k = min(200, len(pool) // 4)
        self.sequential_pool = pool[:k]  # the single client's transitions
        pool = pool[k:]
        self.shares = [pool[i::clients] for i in range(clients)]


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
                     ) -> tuple[Recorder, float, dict[str, float]]:
    officers = await asyncio.gather(*(sign_in(base, OFFICERS[i % 2]) for i in range(clients)))
    heads = await asyncio.gather(*(sign_in(base, SUPERVISORS[i % 2]) for i in range(clients)))
    kinds, weights = zip(*((k, w) for k, w in mix.items() if w > 0))
    rec = Recorder()
    cpu0 = (cpu_seconds(server_pid), cpu_seconds())
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
    cpu1 = (cpu_seconds(server_pid), cpu_seconds())
    cpu = {who: (b - a) / elapsed for who, a, b in zip(("server", "clients"), cpu0, cpu1)
           if a is not None and b is not None}
    for s in (*officers, *heads):
        await s.client.aclose()
    return rec, elapsed, cpu


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
    ap.add_argument("--no-analyze", action="store_true", help="do not ANALYZE after seeding")
    ap.add_argument("--json", type=Path, help="write the figures to this file")
    ap.add_argument("--keep", action="store_true",
                    help="keep the temp folder (SQLite database, server log) and the "
                         "PostgreSQL database")
    args = ap.parse_args()
    mix = parse_counts(args.mix)
    seq_counts = {k: int(v) for k, v in parse_counts(args.sequential).items()}
    get_library()
    tmp = Path(tempfile.mkdtemp(prefix="caseflow-web-bench-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.db'}"
    own_db = None
    if url.startswith("postgresql"):
        url, own_db = own_database(url)
    proc = None
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
              + ("" if args.no_analyze else ", ANALYZE included"))
        print("  states: " + ", ".join(f"{k} {v:,}" for k, v in seeded["counts"].most_common()))
        port = free_port()
        t0 = time.perf_counter()
        proc = start_server(url, port, tmp / "serve.log")
        print(f"  caseflow serve answering after {time.perf_counter() - t0:.1f} s (port {port})")
        base = f"http://127.0.0.1:{port}"
        plan = Plan(seeded["by_state"], args.clients, rnd)
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
        rec, elapsed, cpu = asyncio.run(
            concurrent(base, plan, args.clients, args.duration, mix, rnd, proc.pid))
        con_stats = summary(rec, elapsed)
        total = sum(len(v) for v in rec.lat.values())
        print(f"{args.clients} clients, {elapsed:.0f} s until the last answer (mix {args.mix}): "
              f"{total:,} answered, {total / elapsed:.1f} req/s, "
              f"{sum(rec.errors.values())} errors; CPU: "
              + ", ".join(f"{who} {100 * v:.0f}% of a core" for who, v in cpu.items()))
        print_table(con_stats, rate=True)
        if args.json:
            args.json.write_text(json.dumps({
                "database": dialect, "cases": args.cases, "rows": seeded["rows"], "seed_s": seed_s,
                "states": dict(seeded["counts"]), "sequential": seq_stats,
                "case_page_p50_by_state_ms": {k: pct(v, 50) for k, v in by_state.items()},
                "concurrent": {"clients": args.clients, "seconds": elapsed, "mix": mix, "cpu": cpu,
                               "kinds": con_stats},
            }, ensure_ascii=False, indent=2))
        if any(rec.errors.values()) or any(seq.errors.values()):
            sys.exit(1)
    finally:
        if proc is not None:
            stop_server(proc)
        if args.keep:
            print(f"  kept {url} and the server's log {tmp / 'serve.log'}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
            if own_db:
                own_db()


if __name__ == "__main__":
    main()
