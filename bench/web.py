"""Benchmark: `caseflow serve` under load — concurrent clients on loopback, with 100,000 cases.

Seeds the demo agency (栾川县医疗保障局 and the demo users of `caseflow serve`, with its demo cases),
walks a few more cases through the case service so that every common state has a real case, then
clones those cases `--cases` times (default 100,000; bench/web_seed.py). Then it starts `caseflow
serve --no-scheduler` on a free loopback port (bench/web_server.py) and times, over HTTP, with
clients that log in like a browser (session cookie; X-CSRF-Token on the step; bench/web_clients.py):

  - case page:  GET /cases/{案号} of a random seeded case (any state);
  - /healthz:   GET /healthz, the constant route (the text "ok": no session, no database, the same
                middleware as every page) — the case page's reference, not in the mix;
  - dashboard:  GET /dashboard (监督看板), as 局负责人 or 股长;
  - transition: POST /api/cases/{案号}/transitions/record_onsite_act as 调查岗 — a same-state step
                of a case in 调查取证, so it can be repeated; each client fires on its own cases;
  - worklist:   GET / (我的待办) as 调查岗 (not in the default mix).

Three passes (issue 20, targets 3 and 4; the target lines are printed as "met" or "NOT met"):
  1. one client, one request at a time: case pages alternated with /healthz on the same connection
     (A B A B), then the other kinds. Case page p50/p90/p99 and req/s (1/mean), /healthz's, and the
     ratio of their throughputs — a ratio, which the load of a shared machine moves far less than
     the times. Targets: case page ≥ 0.4× the constant route's throughput, p99 < 150 ms (and the
     earlier median < 100 ms);
  2. closed loop: `--clients` clients at once for `--duration` seconds, each sending its next
     request as soon as the previous one is answered (kinds drawn from `--mix`). Its throughput
     against the issue's "today" (bench/web_report.py: TODAY_REQ_S, earlier runs of this bench);
     target ≥ 3× today's;
  3. think time (`--think`, default 1 s; 0 skips it): the same clients and mix, each waiting
     think × uniform(0.5, 1.5) between an answer and its next request, for `--duration` seconds —
     an office of `--clients` people. Targets: case page p99 < 500 ms, 0 errors.
Any answer but 200 is an error (a 303 to the login page too), counted and shown with a sample body.
The load generator (httpx, asyncio) runs in this process, on the same machine: each pass prints the
CPU of the server's processes and of this one. On PostgreSQL the bench makes its own database on the
server of `--database-url` and drops it at the end.

Then the dashboard against its references (bench/web_dashboard.py; issue 20: < 100 ms at 100,000
cases), and with `--deadline-rows N` again after padding the deadline table to N rows.
Not a test; run by hand or with bench/run:

    .venv/bin/python bench/web.py [--database-url postgresql+psycopg://…] [--cases 100000]
                                  [--clients 50] [--duration 30] [--think 1.0]
                                  [--server-workers 1,2] [--dashboard-rounds 15]
                                  [--deadline-rows 1000000] [--json out.json] [--keep]

`--server-workers 1,2` compares server configurations on one seeded database: for each value in
turn `caseflow serve --no-scheduler --workers N` is started, the three passes run, the server stops.
Each configuration fires the step on its own cases in 调查取证 (the same number for each: no
configuration acts on a case an earlier one stepped; its closed-loop and think-time passes share
them), draws the same case pages in the same order, and warms every client's connection up before
the clock (with several workers the single client's warm-up reaches one of them only). Before a
later configuration the bench checks that no case changed state and shows the events the earlier
ones added. After the passes it reads the server's memory (RSS and PSS summed over the process
tree, from /proc): each worker has its own copy of the application.

This file: the command (options, the order of the parts, `--json`) and one server configuration's
run; bench/web_report.py prints the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # run from the repo root's view, as the other benches

from sqlalchemy import func, select  # noqa: E402

from bench.web_clients import (  # noqa: E402
    KINDS, Plan, check_step, load_passes, make_plans, pass_figures, sequential,
)
from bench.web_dashboard import run_dashboard  # noqa: E402
from bench.web_report import (  # noqa: E402
    print_comparison, print_memory, report_closed, report_sequential, report_think,
)
from bench.web_seed import (  # noqa: E402
    analyze, database_state, not_in_investigation, own_database, seed,
)
from bench.web_server import free_port, start_server, stop_server, tree_memory  # noqa: E402
from caseflow.cases.models import Case  # noqa: E402
from caseflow.db.base import utcnow  # noqa: E402
from caseflow.db.migrate import upgrade  # noqa: E402
from caseflow.db.session import make_engine, unit_of_work  # noqa: E402
from caseflow.workflow.registry import get_library  # noqa: E402


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


def run_configuration(url: str, dialect: str, workers: int, plan: Plan, args: argparse.Namespace,
                      mix: dict[str, float], seq_counts: dict[str, int], rnd: random.Random,
                      log: Path) -> dict[str, Any]:
    """One server configuration: start `caseflow serve --workers N`, the three passes, its memory
    at the end, stop it. Prints its figures; returns them."""
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
        out = report_sequential(seq)
        passes = asyncio.run(load_passes(base, plan, args.clients, args.duration, args.think, mix,
                                         rnd, proc.pid))
        memory = tree_memory(proc.pid)
    finally:
        stop_server(proc)
    load1 = os.getloadavg()
    closed = passes["closed"]
    stats, targets, today = report_closed(closed, args, mix, dialect, workers)
    out["targets"] += targets
    out["concurrent"] = {"clients": args.clients, "mix": mix, **pass_figures(closed, stats),
                         **({"today_per_s": today} if today else {})}
    if today:
        out["concurrent"]["vs_today"] = out["concurrent"]["per_s"] / today
    errors = sum(seq.errors.values()) + out["concurrent"]["errors"]
    if "think" in passes:
        stats, targets = report_think(passes["think"], args, errors)
        out["targets"] += targets
        out["think"] = {"clients": args.clients, "mix": mix,
                        **pass_figures(passes["think"], stats)}
        errors += out["think"]["errors"]
    print_memory(memory)
    return {
        "server": {"workers": workers, "start_s": start_s, "memory": memory},
        "load_average": {"before": load0, "after": load1},  # the machine's (1, 5, 15 min)
        **out,
        "errors": errors,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--database-url",
                    help="PostgreSQL: the bench makes its own database on that server and drops it "
                         "at the end; SQLite: an empty file (default: one in a temp folder)")
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--duration", type=float, default=30.0,
                    help="seconds of each pass of many clients (closed loop, think time)")
    ap.add_argument("--think", type=float, default=1.0,
                    help="think time of each client (s, ±50 %%) in the pass after the closed loop "
                         "(0: no such pass)")
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
    if args.think < 0:
        raise SystemExit("--think: seconds, 0 for no think-time pass")
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
            results[workers] = run_configuration(url, dialect, workers, plan, args, mix,
                                                 seq_counts, rnd, log)
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
                    "sequential", "case_page_p50_by_state_ms", "case_vs_healthz", "concurrent",
                    "think", "targets", "server") if k in only})
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
