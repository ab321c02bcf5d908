"""The server of bench/web.py: `caseflow serve --no-scheduler` of the checkout this file is in
(python -m caseflow.cli.main, PYTHONPATH and cwd at the repo root — not whatever the venv has
installed) on a free loopback port, answering once every worker process has started; stopped with
its workers. And what the server costs, read from /proc (Linux): CPU seconds of each process of its
tree (uvicorn's parent, the workers of `--workers N`, multiprocessing's resource tracker) and its
memory (RSS, and PSS, which shares the pages the processes have in common)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent


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

