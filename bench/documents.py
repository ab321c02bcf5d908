"""Benchmark: rendering a 行政处罚决定书 (penalty_decision) to PDF — cold, warm, memory and size.

The document is the sample decision of tests/documents/sample_data.py. `--document sample` (the
default) renders it as it is: 4 pages with the templates' 三号 body (GB/T 9704). `--document
two-page` trims it to a simple case (the money was paid back during the investigation, so one
penalty; no optional paragraphs; two evidence items; the article cited without its text): 2 pages,
about the shortest decision the template makes. The page count is asserted, so a template
change that moves a page break does not silently change what is measured. Measured:
  - fresh process: `--fresh-runs` new interpreters each import the renderer and render once; the
    process's wall time (start to exit) and the render_pdf call alone (which includes importing
    WeasyPrint and loading the fonts, as a worker's first document does);
  - warm: median / p90 / max of `--renders` renders in this process, after 3 warm-ups;
  - memory: RSS after every render (/proc/self/statm) at renders 1, 10, 50, 100, 200 (counting
    the warm-ups), its max and the peak (getrusage ru_maxrss); "flat" means RSS in the timed renders
    never rises more than 16 MiB above its max during the warm-ups (which hold one render's peak).
    render_pdf itself calls glibc's malloc_trim(0) after each render (caseflow/documents/renderer.py);
    `--gc` adds gc.collect(), `--malloc-trim` a second malloc_trim (both timed apart from the render). `--threads N` hands
    the renders, still one at a time, to N threads in turn, as a threaded web server does: glibc
    then keeps a heap (arena) per thread, which a single-threaded run does not show;
  - the PDF's size.
Each figure is printed beside its target; "OVER TARGET" marks a miss. It is a measurement, not a
test: the exit status is 0 whatever the figures. Needs no database; run by hand or with bench/run:

    .venv/bin/python bench/documents.py [--renders 200] [--document two-page] [--json out.json]
    .venv/bin/python bench/documents.py --threads 8 [--gc] [--malloc-trim] --fresh-runs 0
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import io
import itertools
import json
import os
import queue
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from tests.documents.sample_data import sample  # noqa: E402

DOC = "penalty_decision"
PAGES = {"sample": 4, "two-page": 2}
WARM_UPS = 3
CHECKPOINTS = (1, 10, 50, 100, 200)
TARGET_WARM_S = 0.3
TARGET_FRESH_S = 1.0
TARGET_KB = 400
TARGET_GROWTH_MIB = 16  # "flat": RSS in the timed renders never this much above its warm-up max
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


def document(kind: str) -> dict[str, Any]:
    data = sample(DOC)
    if kind == "two-page":  # a simple case: the money was paid back during the investigation
        for optional in ("procedure", "statement_summary", "performance"):
            data.pop(optional)
        data["facts"] = ("2026年1月至6月，你单位康复理疗科将未实际提供的理疗项目纳入医疗保障基金结算，"
                         "骗取医疗保障基金支出12,345.67元。调查期间你单位已全额退回上述款项。")
        data["evidence"] = ["医疗保障信息系统结算数据及住院费用明细清单",
                            "涉案参保人员询问笔录及现场检查笔录"]
        data["reasons"] = ("本机关认为，你单位的上述行为违反了《医疗保障基金使用监督管理条例》"
                           "第四十条第一款第（三）项的规定。")
        data["bases"][0]["text"] = ""
        data["penalties"] = [p for p in data["penalties"] if p["kind"] == "罚款"]
    return data


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE_BYTES / 2**20


def fresh_child(kind: str) -> None:
    """Run in a new interpreter: import, render once, print the timings as JSON."""
    t0 = time.perf_counter()
    from caseflow.documents.renderer import render_pdf

    t1 = time.perf_counter()
    render_pdf(DOC, document(kind))
    t2 = time.perf_counter()
    print(json.dumps({"import_s": t1 - t0, "render_s": t2 - t1}))


def fresh_runs(kind: str, runs: int) -> list[dict[str, float]]:
    results = []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, __file__, "--fresh-child", "--document", kind],
                             check=True, capture_output=True, text=True).stdout
        wall = time.perf_counter() - t0
        results.append({**json.loads(out.strip().splitlines()[-1]), "wall_s": wall})
    return results


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def subsetting() -> str:
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    if harfbuzz_subset is not None and harfbuzz.hb_version_atleast(4, 1, 0):
        return "HarfBuzz (hb-subset)"
    return "fontTools fallback (slow: apt-get install libharfbuzz-subset0)"


def flag(value: float, target: float) -> str:
    return "OVER TARGET" if value > target else ""


def rotating_threads(threads: int) -> Callable[[Callable[[], Any]], Any]:
    """Run one call at a time, each on the next of `threads` long-lived threads in turn — as a
    threaded web server's pool hands successive requests to different threads. 1: this thread."""
    if threads <= 1:
        return lambda fn: fn()
    inboxes: list[queue.Queue] = []

    def serve(inbox: queue.Queue) -> None:
        while True:
            fn, outbox = inbox.get()
            try:
                outbox.put((True, fn()))
            except BaseException as exc:  # handed back to the caller
                outbox.put((False, exc))

    for _ in range(threads):
        inboxes.append(queue.Queue())
        threading.Thread(target=serve, args=(inboxes[-1],), daemon=True).start()
    turn = itertools.count()

    def run(fn: Callable[[], Any]) -> Any:
        outbox: queue.Queue = queue.Queue()
        inboxes[next(turn) % threads].put((fn, outbox))
        ok, result = outbox.get()
        if not ok:
            raise result
        return result

    return run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--renders", type=int, default=200, help="timed renders in this process")
    ap.add_argument("--document", choices=sorted(PAGES), default="sample")
    ap.add_argument("--gc", action=argparse.BooleanOptionalAction, default=False,
                    help="gc.collect() after each render (default: no, as render_pdf does)")
    ap.add_argument("--malloc-trim", action="store_true",
                    help="glibc malloc_trim(0) after each render (timed apart)")
    ap.add_argument("--threads", type=int, default=1,
                    help="renders one at a time, rotating over this many threads (default 1)")
    ap.add_argument("--fresh-runs", type=int, default=3, help="fresh processes for the cold render")
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    ap.add_argument("--fresh-child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.fresh_child:
        fresh_child(args.document)
        return
    if args.renders < 2:
        ap.error("--renders must be at least 2")

    fresh = fresh_runs(args.document, args.fresh_runs) if args.fresh_runs > 0 else []
    fresh_wall = statistics.median(r["wall_s"] for r in fresh) if fresh else None
    fresh_render = statistics.median(r["render_s"] for r in fresh) if fresh else None

    from caseflow.documents.renderer import render_pdf

    data = document(args.document)
    trim = ctypes.CDLL("libc.so.6").malloc_trim if args.malloc_trim else None

    def one_render() -> tuple[bytes, float, float]:
        t0 = time.perf_counter()
        pdf = render_pdf(DOC, data)
        t1 = time.perf_counter()
        if args.gc:
            gc.collect()
        if trim is not None:
            trim(0)
        return pdf, t1 - t0, time.perf_counter() - t1

    run = rotating_threads(args.threads)
    times: list[float] = []
    after: list[float] = []  # gc.collect() / malloc_trim() after each render
    rss: list[float] = []
    gen2_before = gc.get_stats()[2]["collections"]
    pdf = b""
    for i in range(WARM_UPS + args.renders):
        pdf, seconds, cleanup = run(one_render)
        rss.append(rss_mib())
        if i >= WARM_UPS:
            times.append(seconds)
            after.append(cleanup)
    gen2 = gc.get_stats()[2]["collections"] - gen2_before
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    pages = page_count(pdf)
    assert pages == PAGES[args.document], (
        f"the {args.document} {DOC} is {pages} pages, the benchmark expects "
        f"{PAGES[args.document]}: a template or sample change moved a page break; "
        "adjust document() or PAGES")
    size_kb = len(pdf) / 1024
    median = statistics.median(times)
    p90 = statistics.quantiles(times, n=10)[-1]
    growth = max(rss[WARM_UPS:]) - max(rss[:WARM_UPS])
    checkpoints = [n for n in CHECKPOINTS if n <= len(rss)]

    cleanups = [name for name, on in (("gc.collect()", args.gc), ("malloc_trim(0)",
                                                                  args.malloc_trim)) if on]
    print(f"{DOC} ({args.document}): {pages} pages; font subsetting: {subsetting()}; "
          f"after each render: {' + '.join(cleanups) or 'nothing (as render_pdf alone)'}; "
          f"threads: {args.threads}")
    rows: list[tuple[str, str, str, str]] = []
    if fresh:
        rows += [
            ("fresh process, start to exit (median)", f"{fresh_wall:.3f} s",
             f"≤ {TARGET_FRESH_S} s", flag(fresh_wall, TARGET_FRESH_S)),
            ("fresh process, first render_pdf call", f"{fresh_render:.3f} s",
             f"≤ {TARGET_FRESH_S} s", flag(fresh_render, TARGET_FRESH_S)),
        ]
    rows += [
        (f"warm render median ({len(times)} renders)", f"{median:.3f} s", f"≤ {TARGET_WARM_S} s",
         flag(median, TARGET_WARM_S)),
        ("warm render p90", f"{p90:.3f} s", "", ""),
        ("warm render max", f"{max(times):.3f} s", "", ""),
    ]
    if cleanups:
        rows.append((f"{' + '.join(cleanups)} after a render, median",
                     f"{statistics.median(after):.3f} s", "", ""))
    rows += [(f"RSS after render {n}", f"{rss[n - 1]:.0f} MiB", "", "") for n in checkpoints]
    if len(rss) not in checkpoints:
        rows.append((f"RSS after render {len(rss)} (last)", f"{rss[-1]:.0f} MiB", "", ""))
    rows += [
        (f"RSS max (render {rss.index(max(rss)) + 1})", f"{max(rss):.0f} MiB", "", ""),
        ("peak RSS (ru_maxrss)", f"{peak_mib:.0f} MiB", "", ""),
        ("RSS growth over the warm-ups' max", f"{growth:+.1f} MiB",
         f"flat (≤ {TARGET_GROWTH_MIB} MiB)", flag(growth, TARGET_GROWTH_MIB)),
        ("PDF size", f"{size_kb:.0f} KB", f"≤ {TARGET_KB} KB", flag(size_kb, TARGET_KB)),
    ]
    for label, value, target, over in rows:
        print(f"  {label:<44} {value:>10}   {target:<20} {over}".rstrip())
    if fresh:
        print("  (fresh runs, start to exit / render: "
              f"{', '.join('%.2f/%.2f' % (r['wall_s'], r['render_s']) for r in fresh)} s)")
    print(f"  (RSS in the timed renders: {min(rss[WARM_UPS:]):.0f}–{max(rss[WARM_UPS:]):.0f} MiB; "
          f"automatic gen-2 collections during the renders: {gen2})")

    if args.json:
        args.json.write_text(json.dumps({
            "document": args.document, "pages": pages, "gc_after_render": args.gc,
            "malloc_trim_after_render": args.malloc_trim, "threads": args.threads,
            "subsetting": subsetting(), "fresh": fresh, "fresh_wall_s": fresh_wall,
            "fresh_render_s": fresh_render, "warm_median_s": median, "warm_p90_s": p90,
            "warm_max_s": max(times), "warm_s": times, "cleanup_s": after, "rss_mib": rss,
            "rss_growth_mib": growth, "peak_rss_mib": peak_mib, "gen2_collections": gen2,
            "pdf_kb": size_kb,
        }, indent=1))


if __name__ == "__main__":
    main()
