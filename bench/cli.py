"""Benchmark: a one-shot `caseflow` command in a fresh process, each beside a reference measured in
the same run (issue 20).

  - `caseflow --help` against a trivial typer app's `--help` (one command, same interpreter): what
    caseflow adds on top of Python and typer. Targets: under 0.5 s absolute; the ratio is the figure
    to trust on a busy machine.
  - `caseflow doc render <case> <type> -o x.pdf` on a demo database against a plain WeasyPrint
    script rendering the same HTML (`python -c "from weasyprint import HTML; HTML('x.html')
    .write_pdf('y.pdf')"`; the HTML is the document's own, from caseflow.documents.renderer
    .render_html, which inlines the stylesheet and names the same fonts). The command renders the
    document once (to check it against the stored SHA-256), so it does the script's work plus
    caseflow's: target within 1.5× of the script.

Runs alternate (caseflow, reference, caseflow, …) after one unmeasured warm-up each, and the
medians of `--runs` are printed: with the test suite or a CI job on the same cores the absolute
times wander, the ratio much less. The targets are on wall time; the CPU time of the same runs is
printed beside it, steadier still when the other cores are busy. The warm-up also fills the cache
of compiled templates (`Settings.template_cache_dir`), as any earlier render on the machine would.
After the runs the command is asked once more, with --json, whether its render reproduced the
stored SHA-256, and the answer printed. The demo database is made with `caseflow demo` in a
temporary directory (≈15 s), or reused from `--workdir`. It is a measurement, not a test: the exit
status is 0 whatever the figures.

    .venv/bin/python bench/cli.py [--runs 5] [--workdir /tmp/cf-cli] [--json out.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASEFLOW = str(Path(sys.executable).with_name("caseflow"))  # the console script of this venv
CASE_NO = "栾医保罚案〔2026〕1号"  # the demo's archived penalty case
DOC_TYPE = "penalty_decision"
TARGET_HELP_S = 0.5
TARGET_RENDER_RATIO = 1.5

REFERENCE_APP = '''\
import typer

app = typer.Typer(help="A trivial app.", no_args_is_help=True)


@app.command()
def hello(name: str = typer.Argument(..., help="Who")) -> None:
    """Say hello."""
    typer.echo(f"hello {name}")


@app.command()
def bye() -> None:
    """Say bye."""


app()
'''


def timed(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU time (user + system, of the process and of those it waited for) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr.decode()}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def alternate(a: list[str], b: list[str], *, runs: int, env: dict[str, str],
              cwd: Path) -> tuple[tuple[float, float], tuple[float, float]]:
    """Medians of (wall, CPU) of `runs` alternating runs of a and b, after one unmeasured run of
    each."""
    timed(a, env, cwd), timed(b, env, cwd)
    ta, tb = [], []
    for _ in range(runs):
        ta.append(timed(a, env, cwd))
        tb.append(timed(b, env, cwd))
    return ((statistics.median(t[0] for t in ta), statistics.median(t[1] for t in ta)),
            (statistics.median(t[0] for t in tb), statistics.median(t[1] for t in tb)))


def demo_database(workdir: Path, env: dict[str, str]) -> None:
    if (workdir / "demo.db").exists():
        return
    print(f"creating the demo database in {workdir} (caseflow demo) …", flush=True)
    subprocess.run([CASEFLOW, "demo"], env=env, cwd=workdir, check=True, capture_output=True)


def document_html(database_url: str, case_no: str, doc_type: str) -> tuple[str, str]:
    """The HTML render_pdf gives WeasyPrint for the case's document, and the stored SHA-256."""
    os.environ["CASEFLOW_DATABASE_URL"] = database_url
    sys.path.insert(0, str(ROOT))
    from caseflow.cases.lookup import get_case
    from caseflow.db.session import default_engine, unit_of_work
    from caseflow.documents import snapshot
    from caseflow.documents.renderer import render_html
    from caseflow.documents.service import find_document, get_document

    with unit_of_work(default_engine(), write=False) as s:
        case = get_case(db_session=s, case_no=case_no)
        doc_id = find_document(db_session=s, case_id=case.id, case_no=case.case_no,
                               doc_type=doc_type)
        doc = get_document(db_session=s, document_id=doc_id)
        return render_html(doc.doc_type, snapshot.decode(doc.data)), doc.sha256 or ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path, help="keep the demo database here (reused if present)")
    parser.add_argument("--case", default=CASE_NO)
    parser.add_argument("--doc-type", default=DOC_TYPE)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="caseflow-bench-cli-")
    workdir = (args.workdir or Path(tmp.name)).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    database_url = f"sqlite:///{workdir / 'demo.db'}"
    env = {**os.environ, "CASEFLOW_DATABASE_URL": database_url}
    env.pop("PYTHONPATH", None)

    (workdir / "reference_app.py").write_text(REFERENCE_APP)
    demo_database(workdir, env)
    html, stored_sha = document_html(database_url, args.case, args.doc_type)
    (workdir / "x.html").write_text(html, encoding="utf-8")

    results: dict[str, dict[str, float]] = {}

    def row(name: str, mine: tuple[float, float], ref: tuple[float, float], target: str) -> None:
        (wall, cpu), (ref_wall, ref_cpu) = mine, ref
        results[name] = {"caseflow_s": wall, "reference_s": ref_wall, "ratio": wall / ref_wall,
                         "caseflow_cpu_s": cpu, "reference_cpu_s": ref_cpu,
                         "cpu_ratio": cpu / ref_cpu}
        print(f"{name}: caseflow {wall:.2f} s · reference {ref_wall:.2f} s · ratio"
              f" {wall / ref_wall:.2f}   ({target})\n  CPU time: caseflow {cpu:.2f} s · reference"
              f" {ref_cpu:.2f} s · ratio {cpu / ref_cpu:.2f}", flush=True)

    print(f"median of {args.runs} alternating runs each, fresh processes ({sys.executable})")
    mine, ref = alternate([CASEFLOW, "--help"], [sys.executable, "reference_app.py", "--help"],
                          runs=args.runs, env=env, cwd=workdir)
    verdict = "met" if mine[0] < TARGET_HELP_S else "OVER TARGET"
    row("cli --help", mine, ref,
        f"target < {TARGET_HELP_S} s: {verdict}; reference: a trivial typer app")

    render = [CASEFLOW, "doc", "render", args.case, args.doc_type, "-o", "x.pdf"]
    script = [sys.executable, "-c",
              "from weasyprint import HTML; HTML('x.html').write_pdf('y.pdf')"]
    mine, ref = alternate(render, script, runs=args.runs, env=env, cwd=workdir)
    verdict = "met" if mine[0] / ref[0] <= TARGET_RENDER_RATIO else "OVER TARGET"
    row("doc render", mine, ref,
        f"target ≤ {TARGET_RENDER_RATIO}×: {verdict}; reference: WeasyPrint on the same HTML")
    answer = subprocess.run([*render, "--json"], env=env, cwd=workdir, capture_output=True,
                            check=True)
    reproduced = json.loads(answer.stdout)["reproduced"]
    print(f"  caseflow's render {'reproduces' if reproduced else 'DOES NOT reproduce'} the stored"
          " SHA-256")
    same = hashlib.sha256((workdir / "y.pdf").read_bytes()).hexdigest() == stored_sha
    print(f"  the reference PDF is {'byte for byte' if same else 'not byte for byte'} the stored"
          f" document ({args.case} {args.doc_type}, {(workdir / 'x.pdf').stat().st_size // 1024} KB)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
