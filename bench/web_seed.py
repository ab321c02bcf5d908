"""The seeded database of bench/web.py: the demo agency, its cases walked through the case service so
that every common state has a real case (template), and `--cases` clones of those templates made
inside the database (one INSERT … SELECT per table) — each clone with its own 案号 (registered in
number_sequences), party, time shift (closed cases over the last three years, open ones over the
last four months, so many limits are overdue), two officers, and copies of the template's audit
events, deadlines, penalties, sealed items, 裁量 rows, documents (PDFs not stored: marked rendered)
and deliveries. Also: a database of its own on a PostgreSQL server, ANALYZE after the bulk load, and
the state checks between server configurations (cases per state, case events, cases still in
调查取证)."""

from __future__ import annotations

import os
import random
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Column, Date, DateTime, Integer, MetaData, String, Table, create_engine, func, insert, select,
    text, update,
)
from sqlalchemy.engine import make_url

from caseflow.auth.passwords import hash_password
from caseflow.cases import service as case_service
from caseflow.cases.models import Case, CaseEvent, CaseParty, OfficerRole, PartyRole
from caseflow.cases.numbering import KIND_WORD
from caseflow.cli.serve_command import DEMO_PASSWORD
from caseflow.db.base import Base
from caseflow.db.session import make_engine, unit_of_work
from caseflow.db.types import UTCDateTime
from caseflow.demo import runner
from caseflow.demo import scenarios as sc
from caseflow.demo.organisation import AGENCY_NAME, demo_users
from caseflow.demo.walk import Step, walk
from caseflow.documents.models import DocumentStatus
from caseflow.legal_time import SHANGHAI
from caseflow.numbering.models import NumberSequence
from caseflow.org.models import Agency, User
from caseflow.parties.models import Party, PartyKind
from caseflow.parties.service import register_party
from caseflow.workflow.registry import get_library

# How many clones of the case in each state (weights); closed cases make most of a bureau's history.
MIX_OF_STATES = {
    "archived": 41.0, "not_filed": 6.0, "closed": 4.0,  # closed: a 封存 case released and closed
    "clue_registered": 5.0, "investigation": 20.0, "legal_review": 8.0, "notice": 8.0,
    "enforcement": 8.0, "emergency_sealed": 0.1,
}
CLOSED_STATES = {"archived", "not_filed", "closed"}
STEP = "record_onsite_act"
STEP_PAYLOAD = {"payload": {"record": "询问笔录", "persons": ["王调查", "赵取证"]}}


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
    """Those of `case_nos` no longer in 调查取证 (a configuration's cases must all still be there)."""
    engine = create_engine(url)
    out: list[str] = []
    with engine.connect() as conn:
        for i in range(0, len(case_nos), 500):
            out += conn.scalars(select(Case.case_no).where(
                Case.case_no.in_(case_nos[i:i + 500]), Case.state != "investigation")).all()
    engine.dispose()
    return out

