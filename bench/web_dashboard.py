"""The dashboard (监督看板) of bench/web.py against its references (issue 20: < 100 ms at 100,000
cases): one server, one request at a time, `--dashboard-rounds` rounds alternating GET /dashboard as
局负责人, the very SQL statements the page sends (captured from the same functions, same parameters)
replayed raw in this process, and GET /legal-time (a page of the same frame with no query of its
own); p50 of each and the dashboard's ratio to each, which a loaded machine moves less than the
times. With `--deadline-rows N` the deadline table is then padded to N rows (closed limits of
earlier years, INSERT … SELECT) and the dashboard measured again: the growth factor (target < 1.3 at
1,000,000)."""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, create_engine, event, func, select, text

from bench.web_clients import SUPERVISORS, sign_in
from bench.web_report import pct
from bench.web_seed import _shift_sql, analyze
from bench.web_server import free_port, start_server, stop_server
from caseflow.db.base import utcnow
from caseflow.db.session import make_engine, unit_of_work
from caseflow.db.types import UTCDateTime
from caseflow.deadlines.models import Deadline
from caseflow.demo.organisation import AGENCY_NAME
from caseflow.org.models import Agency
from caseflow.web.queries.dashboard import board
from caseflow.web.queries.discretion_stats import discretion_spread

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
