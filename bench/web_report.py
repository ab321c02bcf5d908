"""The figures of bench/web.py as printed and as written to `--json`: percentiles, the tables of each
pass, the target lines of issue 20 (targets 3 and 4), the memory line and the comparison of server
configurations. A target line reads "target: <target> — met|NOT met (<figures>)"; `target` returns
it as a dict too, for the JSON."""

from __future__ import annotations

import argparse
from collections import defaultdict
from typing import Any

from bench.web_clients import HEALTHZ, LABEL, REPORTED, Pass, Recorder

# The "today": closed-loop throughput of bench/web.py before the work of issue 20 (1 server
# worker, 100,000 cases, 50 clients, mix case=70,dashboard=10,transition=20), as recorded in the
# notes of the earlier bench runs; target 3 asks for ≥ 3× that.
TODAY_REQ_S = {"sqlite": 14.4, "postgresql": 9.8}
TODAY_SETUP = {"workers": 1, "cases": 100_000, "clients": 50,
               "mix": {"case": 70.0, "dashboard": 10.0, "transition": 20.0}}
CLOSED_LOOP_FACTOR = 3.0
CASE_VS_HEALTHZ = 0.4  # case page throughput ≥ 0.4× the constant route's (one client)
CASE_P99_ONE_CLIENT_MS = 150.0
CASE_P99_THINK_MS = 500.0


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile, in ms."""
    xs = sorted(values)
    return xs[max(0, min(len(xs) - 1, round(p / 100 * len(xs) + 0.5) - 1))] * 1000


def summary(rec: Recorder, elapsed: float | None) -> dict[str, dict[str, Any]]:
    """Per kind: answered, errors, p50/p90/p99/max and mean (ms), req/s — answers per second of the
    pass (`elapsed`), or with one client at a time (no `elapsed`) 1/mean."""
    out = {}
    for kind in REPORTED:
        lat = rec.lat.get(kind, [])
        if not lat and not rec.errors.get(kind):
            continue
        out[kind] = {"n": len(lat), "errors": rec.errors.get(kind, 0),
                     **({"p50_ms": pct(lat, 50), "p90_ms": pct(lat, 90), "p99_ms": pct(lat, 99),
                         "max_ms": max(lat) * 1000, "mean_ms": 1000 * sum(lat) / len(lat),
                         "per_s": len(lat) / elapsed if elapsed else len(lat) / sum(lat)}
                        if lat else {}),
                     **({"error_sample": rec.samples[kind]} if kind in rec.samples else {})}
    return out


def print_table(stats: dict[str, dict[str, Any]], rate: str = "req/s") -> None:
    print(f"  {'':<11}{'n':>7}{rate:>8}{'p50':>9}{'p90':>9}{'p99':>9}{'max':>9}  errors  (ms)")
    for kind, s in stats.items():
        if s["n"]:
            print(f"  {LABEL[kind]:<11}{s['n']:>7}{s['per_s']:8.1f}{s['p50_ms']:9.1f}"
                  f"{s['p90_ms']:9.1f}{s['p99_ms']:9.1f}{s['max_ms']:9.1f}  {s['errors']:>6}")
        else:
            print(f"  {LABEL[kind]:<11}{0:>7}  — every request failed ({s['errors']})")
    for kind, s in stats.items():
        if s.get("error_sample"):
            print(f"  ! {LABEL[kind]} error sample: {s['error_sample']}")


def target(name: str, met: bool, figures: str) -> dict[str, Any]:
    print(f"  target: {name} — {'met' if met else 'NOT met'} ({figures})")
    return {"target": name, "met": met, "figures": figures}


def report_sequential(rec: Recorder) -> dict[str, Any]:
    """The one-client pass: its table (req/s = 1/mean), the case page by state, the case page
    against /healthz, and its targets."""
    stats = summary(rec, None)
    print("one client, one request at a time (case page and /healthz alternated, A B A B):")
    print_table(stats, rate="1/mean")
    by_state: dict[str, list[float]] = defaultdict(list)
    for state, sec in rec.tags["case"]:
        by_state[state].append(sec)
    print("  case page p50 by state: " + ", ".join(
        f"{st} {pct(v, 50):.0f}" for st, v in sorted(by_state.items(), key=lambda kv: -len(kv[1]))))
    out: dict[str, Any] = {"sequential": stats,
                           "case_page_p50_by_state_ms": {k: pct(v, 50) for k, v in by_state.items()},
                           "targets": []}
    case, ref = stats.get("case", {}), stats.get(HEALTHZ, {})
    if not case.get("n"):
        return out
    ratio = case["per_s"] / ref["per_s"] if ref.get("n") else None
    if ratio is not None:
        print(f"  case page p50/p90/p99 {case['p50_ms']:.1f}/{case['p90_ms']:.1f}/"
              f"{case['p99_ms']:.1f} ms, {case['per_s']:.1f} req/s | /healthz p50/p99 "
              f"{ref['p50_ms']:.1f}/{ref['p99_ms']:.1f} ms, {ref['per_s']:.1f} req/s | "
              f"throughput ratio ×{ratio:.3f}")
        out["case_vs_healthz"] = {"case_per_s": case["per_s"], "healthz_per_s": ref["per_s"],
                                  "ratio": ratio}
    ts = out["targets"]
    ts.append(target("case page median < 100 ms", case["p50_ms"] < 100,
                     f"{case['p50_ms']:.1f} ms"))
    if ratio is not None:
        ts.append(target(f"case page ≥ {CASE_VS_HEALTHZ}× the constant route's throughput",
                         ratio >= CASE_VS_HEALTHZ, f"×{ratio:.3f}"))
    ts.append(target(f"case page p99 < {CASE_P99_ONE_CLIENT_MS:.0f} ms with one client",
                     case["p99_ms"] < CASE_P99_ONE_CLIENT_MS, f"{case['p99_ms']:.1f} ms"))
    return out


def _cpu(p: Pass) -> str:
    return ", ".join(f"{who} {100 * v:.0f}% of a core" for who, v in p.cpu.items())


def _pass_line(p: Pass, head: str, mix: str) -> tuple[int, int]:
    total = sum(len(v) for v in p.rec.lat.values())
    errors = sum(p.rec.errors.values())
    print(f"{head}, {p.elapsed:.0f} s until the last answer (mix {mix}): {total:,} answered, "
          f"{total / p.elapsed:.1f} req/s, {errors} errors; CPU: {_cpu(p)}")
    return total, errors


def report_closed(p: Pass, args: argparse.Namespace, mix: dict[str, float], dialect: str,
                  workers: int) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]], float]:
    """The closed-loop pass: its table, its throughput against the issue's "today", the target.
    Returns the kinds' figures, the targets and today's req/s."""
    stats = summary(p.rec, p.elapsed)
    total, _ = _pass_line(p, f"{args.clients} clients, closed loop (no think time)", args.mix)
    print_table(stats)
    _per_process(p)
    today = TODAY_REQ_S.get(dialect)
    if not today:
        return stats, [], 0.0
    per_s = total / p.elapsed
    setup = {"workers": workers, "cases": args.cases, "clients": args.clients, "mix": mix}
    differs = [f"{k} {args.mix if k == 'mix' else v}" for k, v in setup.items()
               if v != TODAY_SETUP[k]]
    print(f"  closed loop {per_s:.1f} req/s; today's (issue 20, {dialect}, 1 worker, 100,000 cases, "
          f"50 clients, mix case=70,dashboard=10,transition=20) {today} req/s: ×{per_s / today:.2f}"
          + (f"  [this run differs: {', '.join(differs)}]" if differs else ""))
    goal = CLOSED_LOOP_FACTOR * today
    return stats, [target(f"closed-loop throughput ≥ {CLOSED_LOOP_FACTOR:.0f}× ({goal:.1f} req/s)",
                          per_s >= goal, f"×{per_s / today:.2f}: {per_s:.1f} req/s")], today


def report_think(p: Pass, args: argparse.Namespace, other_errors: int,
                 ) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """The think-time pass: its table and its two targets (case page p99, no error)."""
    stats = summary(p.rec, p.elapsed)
    _, errors = _pass_line(p, f"{args.clients} clients with {p.think:g} s think time (±50 %)",
                           args.mix)
    print(f"  (offered at most ~{args.clients / p.think:.0f} req/s: {args.clients} clients / "
          f"{p.think:g} s, if answers took no time)")
    print_table(stats)
    _per_process(p)
    case = stats.get("case", {})
    name = f"under {args.clients} clients with {p.think:g} s think time"
    ts = []
    if case.get("n"):
        ts.append(target(f"case page p99 < {CASE_P99_THINK_MS:.0f} ms {name}",
                         case["p99_ms"] < CASE_P99_THINK_MS, f"{case['p99_ms']:.1f} ms"))
    ts.append(target(f"0 errors {name}", errors == 0,
                     f"{errors} in this pass, {other_errors} in the other passes"))
    return stats, ts


def _per_process(p: Pass) -> None:
    if len(p.cpu_by_process) > 1:
        print("  server CPU per process: " + ", ".join(
            f"{who.split()[0]} {100 * v:.0f}%" for who, v in p.cpu_by_process.items()))


def print_memory(memory: dict[str, Any]) -> None:
    pss = f", PSS {memory['pss_mb']:.0f} MB" if memory["pss_mb"] is not None else ""
    print(f"  server memory at the end: RSS {memory['rss_mb']:.0f} MB over "
          f"{memory['processes']} process{'es' if memory['processes'] > 1 else ''}{pss}"
          + (" (RSS: " + ", ".join(f"{m['role']} {m['rss_mb']:.0f}" for m in memory["by_process"])
             + ")" if memory["processes"] > 1 else ""))


def print_comparison(results: dict[int, dict[str, Any]]) -> None:
    def ms(stats: dict[str, Any], kind: str, p: str = "p50_ms") -> str:
        s = stats.get(kind, {})
        return f"{s[p]:.0f}" if s.get("n") else "—"

    print("by server workers (ms; 1 client: case p50 and its throughput ÷ /healthz's; closed loop: "
          "req/s, p50/p90, server CPU; think time: case p99, req/s; memory at the end):")
    print(f"  {'workers':>7}{'1c case':>9}{'÷healthz':>9}{'req/s':>8}{'case p50':>10}{'case p90':>10}"
          f"{'step p50':>10}{'dash p50':>10}{'think p99':>11}{'req/s':>7}{'errors':>8}"
          f"{'server CPU':>12}{'RSS MB':>8}{'PSS MB':>8}  load before/after")
    for w, r in results.items():
        c, m, t = r["concurrent"], r["server"]["memory"], r.get("think")
        ratio = r.get("case_vs_healthz", {}).get("ratio")
        print(f"  {w:>7}{ms(r['sequential'], 'case'):>9}"
              f"{(format(ratio, '.3f') if ratio else '—'):>9}{c['per_s']:8.1f}"
              f"{ms(c['kinds'], 'case'):>10}{ms(c['kinds'], 'case', 'p90_ms'):>10}"
              f"{ms(c['kinds'], 'transition'):>10}{ms(c['kinds'], 'dashboard'):>10}"
              f"{(ms(t['kinds'], 'case', 'p99_ms') if t else '—'):>11}"
              f"{(format(t['per_s'], '.1f') if t else '—'):>7}"
              f"{r['errors']:>8}{100 * c['cpu'].get('server', 0):>11.0f}%{m['rss_mb']:8.0f}"
              f"{(format(m['pss_mb'], '.0f') if m['pss_mb'] is not None else '—'):>8}"
              f"  {r['load_average']['before'][0]:.1f} / {r['load_average']['after'][0]:.1f}")
