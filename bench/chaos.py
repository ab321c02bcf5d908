"""Reliability bench: `caseflow serve --workers 2` killed with SIGKILL every few seconds while
clients take steps — then nothing acknowledged is lost, every case agrees with its audit trail, one
`caseflow scheduler --once` leaves no PDF pending, and the 案号/文号 sequences have no gaps.

Not a test: bounded loops on loopback (127.0.0.1) only; it stops by itself after `--duration`
seconds (plus the time to stop and check). It starts the checkout's `caseflow serve` on a free port
with a fresh SQLite file (or, with `--database-url postgresql+psycopg://…`, a database it creates on
that server and drops afterwards), which seeds the demo agency. `--clients` threads log in as the
demo users (one session each, kept across restarts: one CASEFLOW_WEB_SECRET_KEY), register cases
through POST /api/cases and walk each along a whole penalty case through
POST /api/cases/{案号}/transitions/{trigger} (with expected_version and X-CSRF-Token), fetching
PDFs of the documents the steps issued. Meanwhile the server's process group gets SIGKILL a random
`--kill-after` seconds after it is up, and is restarted; the run ends with one more kill. A step
answered 200 is "acknowledged"; a step whose answer was lost is found again by reading the case
(its version and last event) before it is retried, so no step is taken twice.

Then `caseflow scheduler --once` runs against the database, and the bench checks and prints:
each acknowledged step has its audit event (trigger, resulting state) and its documents; every
case's state is the to_state of its last event; no document is pending and each stored PDF
matches its SHA-256; each 案号/文号 sequence of number_sequences is used exactly 1…last.
Exit status 1 if a check fails. Run it by hand:

    .venv/bin/python bench/chaos.py [--duration 75] [--clients 4] [--kill-after 2,6] [--keep]
    bash -c '. scripts/lib/throwaway_pg.sh && start_throwaway_pg &&
             .venv/bin/python bench/chaos.py --database-url "$PG_URL"'
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # run from the repo root's view, as the other benches

import httpx  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.chaos_checks import Check, check  # noqa: E402
from bench.chaos_clients import Client, Tally  # noqa: E402

CASEFLOW = [sys.executable, "-m", "caseflow.cli.main"]
STARTED = "Application startup complete."  # uvicorn's line, once per worker process
# ── the server: started, killed (the whole process group), restarted ─────────────────────────────

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _group_alive(pgid: int) -> bool:
    """A process of the group is still running (zombies left to init do not count)."""
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                return True
    return False


class Server:
    """`caseflow serve --workers N` with its in-process sweep and PDF job (every 10 s), its output
    appended to one log across restarts."""

    def __init__(self, url: str, port: int, workers: int, log: Path) -> None:
        self.url, self.port, self.workers, self.log = url, port, workers, log
        self.proc: subprocess.Popen[bytes] | None = None
        self.kills, self.start_seconds = 0, list[float]()
        path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
        self.env = {**os.environ, "CASEFLOW_DATABASE_URL": url, "PYTHONUNBUFFERED": "1",
                    "PYTHONPATH": path,  # the code next to this file, not the venv's installed one
                    "CASEFLOW_WEB_SECRET_KEY": secrets.token_urlsafe(32)}  # sessions outlive a kill

    def start(self, timeout: float = 180) -> None:
        t0, offset = time.monotonic(), self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [*CASEFLOW, "serve", "--host", "127.0.0.1", "--port", str(self.port),
                 "--workers", str(self.workers), "--interval", "10"],
                stdout=out, stderr=subprocess.STDOUT, env=self.env, cwd=ROOT,
                start_new_session=True)  # its own process group, killed as a whole
        while time.monotonic() - t0 < timeout:
            if self.proc.poll() is not None:
                raise SystemExit(
                    f"caseflow serve 退出（{self.proc.returncode}）：\n{self._tail(offset)}")
            try:
                login = f"http://127.0.0.1:{self.port}/login"
                if (self._tail(offset).count(STARTED) >= self.workers
                        and httpx.get(login, timeout=2).status_code == 200):
                    self.start_seconds.append(time.monotonic() - t0)
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.kill()
        raise SystemExit(f"caseflow serve 在 {timeout:.0f} 秒内未就绪：\n{self._tail(offset)}")

    def _tail(self, offset: int) -> str:
        with self.log.open("rb") as f:
            f.seek(offset)
            return f.read().decode(errors="replace")

    def kill(self) -> None:
        """SIGKILL to the whole process group (main process, workers, resource tracker)."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.kills += 1
        except ProcessLookupError:
            pass
        self.proc.wait()
        deadline = time.monotonic() + 30
        while _group_alive(self.proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.proc = None


# ── after the run: the checks ────────────────────────────────────────────────────────────────────

def run_scheduler_once(server: Server) -> tuple[bool, str]:
    r = subprocess.run([*CASEFLOW, "scheduler", "--once"], env=server.env, cwd=ROOT, check=False,
                       capture_output=True, text=True, timeout=600)
    return r.returncode == 0, (r.stdout + r.stderr).strip()


# ── the run ──────────────────────────────────────────────────────────────────────────────────────

def own_database(url: str) -> tuple[str, Any]:
    """A new database on the PostgreSQL server of `url`, and the function that drops it."""
    u = make_url(url)
    name = f"caseflow_chaos_{os.getpid()}"
    admin = create_engine(u, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return u.set(database=name).render_as_string(hide_password=False), drop


def run(server: Server, args: argparse.Namespace, rnd: random.Random) -> Tally:
    """Clients for `--duration` seconds while the server is killed and restarted; ends killed."""
    tally, stop = Tally(), threading.Event()
    lo, hi = (float(x) for x in (args.kill_after.split(",") * 2)[:2])
    end = time.monotonic() + args.duration
    clients = [Client(f"http://127.0.0.1:{server.port}", tally, stop, end + 60,
                      random.Random(rnd.random()), args.pdf_share) for _ in range(args.clients)]
    for c in clients:
        c.start()
    while True:  # every start ends in a crash, the last one too (cuts off what is under way)
        up = rnd.uniform(lo, hi) if hi > 0 else args.duration
        time.sleep(max(0.0, min(up, end - time.monotonic())))
        server.kill()
        if time.monotonic() >= end:
            break
        server.start()
    stop.set()
    for c in clients:
        c.join(timeout=90)
    return tally


def report(server: Server, tally: Tally, results: list[Check]) -> bool:
    restarts = server.start_seconds[1:]
    took = (f"（平均 {sum(restarts) / len(restarts):.1f} 秒，最长 {max(restarts):.1f} 秒）"
            if restarts else "")
    print(f"\n杀进程（SIGKILL 进程组）{server.kills} 次，重启 {len(restarts)} 次{took}")
    print(f"确认的步骤（200）{len(tally.acked)} 步；"
          + "，".join(f"{k} {v}" for k, v in tally.counts.most_common()))
    print("客户端看到的错误：" + ("，".join(f"{k} × {v}" for k, v in tally.errors.most_common()) or "无"))
    for k, sample in tally.samples.items():
        if sample and not k.startswith("连接") and "CASE_CONFLICT" not in k:
            print(f"  例（{k}）：{sample}")
    for name, passed, detail in results:
        print(f"{'✓' if passed else '✗'} {name}：{detail}")
    failed = sum(not p for _, p, _ in results)
    print(f"检查：通过 {len(results) - failed} 项，未通过 {failed} 项")
    return failed == 0


def main() -> None:
    ap = argparse.ArgumentParser(description="可靠性测试：客户端办理步骤期间反复 SIGKILL 并重启 "
                                 "caseflow serve，之后核对确认的步骤、案件状态、文书PDF与编号。")
    ap.add_argument("--database-url",
                    help="PostgreSQL 服务器（在其上新建、用后删除一个数据库）；默认新的 SQLite 文件")
    ap.add_argument("--duration", type=float, default=75, help="施加负载与杀进程的时长（秒，≤ 600）")
    ap.add_argument("--clients", type=int, default=4, help="客户端线程数")
    ap.add_argument("--workers", type=int, default=2, help="caseflow serve 的网页进程数")
    ap.add_argument("--kill-after", default="2,6",
                    help="服务就绪后多少秒杀进程（随机，最小,最大；0 为只在结束时杀）")
    ap.add_argument("--pdf-share", type=float, default=0.5, help="下载步骤所出文书 PDF 的比例")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--keep", action="store_true", help="保留数据库与服务日志")
    args = ap.parse_args()
    if not (0 < args.duration <= 600 and 1 <= args.clients <= 32):
        ap.error("--duration 须在 0–600 秒之间，--clients 在 1–32 之间")
    rnd = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="caseflow-chaos-"))
    url, drop = (own_database(args.database_url) if args.database_url
                 else (f"sqlite:///{tmp / 'chaos.db'}", None))
    server = Server(url, free_port(), args.workers, tmp / "serve.log")
    print(f"数据库：{make_url(url).get_backend_name()}；服务：127.0.0.1:{server.port}，"
          f"{args.workers} 个网页进程；客户端 {args.clients} 个；时长 {args.duration:.0f} 秒；"
          f"日志 {server.log}", flush=True)
    ok = False
    try:
        server.start()  # the first start migrates and seeds the demo: not part of the clock
        print(f"已就绪（首次启动含建立演示数据 {server.start_seconds[0]:.1f} 秒）", flush=True)
        tally = run(server, args, rnd)
        ok_once, once_out = run_scheduler_once(server)
        results = [("scheduler --once 退出码为 0", ok_once, once_out.replace("\n", "；")),
                   *check(url, tally.acked)]
        server_errors = sum(n for k, n in tally.errors.items() if k.startswith("状态码 5"))
        refused, broken = tally.counts["步骤被拒绝（案件中止）"], tally.errors["客户端异常"]
        results.append(("无 5xx 应答、无被拒绝的步骤、客户端无异常",
                        not (server_errors or refused or broken),
                        f"5xx {server_errors} 次，被拒绝 {refused} 步，客户端异常 {broken} 个"))
        ok = report(server, tally, results)
    finally:
        server.kill()
        if drop is not None and not args.keep:
            drop()
        if ok and not args.keep:
            for f in sorted(tmp.iterdir()):
                f.unlink()
            tmp.rmdir()
        else:
            print(f"数据与日志保留在 {tmp}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
