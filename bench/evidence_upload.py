"""Benchmark: a large evidence file (a 200 MB video) uploaded to `caseflow serve` and downloaded
again, with the server's memory watched — it must stay flat (issue 17: uploads stream, are checked
and stored in 1 MiB chunks; downloads stream chunk by chunk).

Seeds the demo agency into a fresh SQLite file (or a new database on the PostgreSQL server of
`--database-url`), opens a case and walks it to 调查取证, starts `caseflow serve --no-scheduler`, logs
in as the case's 调查岗 over the API and POSTs the file (httpx streams it from disk) to
`/api/cases/{案号}/evidence`, then GETs it back from `/api/evidence-files/{id}`. Printed: the time of
each, the throughput, and the server's peak RSS (VmHWM over its process tree) before and after each,
against the file's size — the reference measured in the same run. Not a test:

    .venv/bin/python bench/evidence_upload.py [--size-mib 200] [--database-url postgresql+psycopg://…]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # run from the repo root's view, as the other benches (bench/transitions.py would shadow the library)
# bench/web.py's server helpers, loaded by path
_spec = importlib.util.spec_from_file_location("bench_web", ROOT / "bench" / "web.py")
bench_web = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(bench_web)  # type: ignore[union-attr]
free_port, own_database, process_tree = bench_web.free_port, bench_web.own_database, bench_web.process_tree
start_server, stop_server = bench_web.start_server, bench_web.stop_server

PASSWORD = "bench-evidence-2026"


def _kib(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1])
    return 0


def peak_mib(pid: int) -> float:
    """The largest high-water mark (VmHWM) of the server's processes, in MiB."""
    return max(_kib(p, "VmHWM:") for p in process_tree(pid)) / 1024


def rss_mib(pid: int) -> float:
    return max(_kib(p, "VmRSS:") for p in process_tree(pid)) / 1024


class Sampler:
    """The server's largest RSS while a request runs, sampled every 20 ms."""

    def __init__(self, pid: int) -> None:
        self.pid, self.most, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.most = max(self.most, rss_mib(self.pid))
            time.sleep(0.02)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def make_video(path: Path, size: int) -> str:
    """An MP4 (its ftyp box: what the type is sniffed from) of `size` bytes; its SHA-256."""
    digest = hashlib.sha256()
    with path.open("wb") as f:
        head = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"
        f.write(head)
        digest.update(head)
        left = size - len(head)
        block = os.urandom(1 << 20)
        while left > 0:
            piece = block[: min(left, len(block))]
            f.write(piece)
            digest.update(piece)
            left -= len(piece)
    return digest.hexdigest()


def seed(url: str) -> str:
    """The demo agency, and a case walked to 调查取证; its 案号."""
    os.environ["CASEFLOW_DATABASE_URL"] = url
    from caseflow.auth.passwords import hash_password
    from caseflow.db import migrate
    from caseflow.db.session import make_engine
    from caseflow.demo import runner, scenarios
    from caseflow.demo.walk import sh, walk

    migrate.upgrade(url)
    engine = make_engine(url)
    runner.seed(engine, password_hash=hash_password(PASSWORD))
    no = runner._open(engine, by="lian", item=scenarios.PERSON_ITEM if hasattr(scenarios, "PERSON_ITEM")
                      else scenarios.INDIVIDUAL_ITEM, title="张某冒名就医骗取医保待遇案（基准）",
                      party=runner.PERSON, at=sh("2026-11-02 09:00"))
    walk(engine, no, scenarios.to_legal_review(sh("2026-11-02 09:00"), scenarios.PERSON_FINDING)[:3])
    engine.dispose()
    return no


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mib", type=int, default=200)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    size = args.size_mib << 20
    with tempfile.TemporaryDirectory(prefix="caseflow-upload-") as tmp:
        work = Path(tmp)
        drop = None
        if args.database_url:
            url, drop = own_database(args.database_url)
        else:
            url = f"sqlite:///{work / 'bench.db'}"
        try:
            case_no = seed(url)
            video = work / "现场执法录像.mp4"
            sha = make_video(video, size)
            port = free_port()
            os.environ["CASEFLOW_EVIDENCE_MAX_FILE_MIB"] = str(max(500, args.size_mib + 1))
            server = start_server(url, port, work / "server.log")
            try:
                base = f"http://127.0.0.1:{port}"
                with httpx.Client(base_url=base, timeout=600) as client:
                    login = client.post("/api/auth/login", json={"username": "diaocha1", "password": PASSWORD}).json()
                    headers = {"Authorization": f"Bearer {login['access_token']}", "X-CSRF-Token": login["csrf_token"]}
                    client.get(f"/api/cases/{case_no}/evidence", headers=headers)  # warm up
                    idle, idle_rss = peak_mib(server.pid), rss_mib(server.pid)
                    item = {"kind": "视听资料", "title": "现场执法录像", "source": "执法记录仪", "obtained_by": "录音录像",
                            "collected_on": "2026-11-03"}
                    started = time.perf_counter()
                    with Sampler(server.pid) as up, video.open("rb") as f:
                        r = client.post(f"/api/cases/{case_no}/evidence", headers=headers,
                                        data={"data": json.dumps(item, ensure_ascii=False)},
                                        files={"files": (video.name, f, "video/mp4")})
                    upload_s = time.perf_counter() - started
                    if r.status_code >= 300:
                        raise SystemExit(f"upload refused: {r.status_code} {r.text[:500]}")
                    after_upload = peak_mib(server.pid)
                    listing = client.get(f"/api/cases/{case_no}/evidence", headers=headers).json()
                    file_id = listing[-1]["files"][0]["id"]
                    started = time.perf_counter()
                    got = hashlib.sha256()
                    with Sampler(server.pid) as down, \
                            client.stream("GET", f"/api/evidence-files/{file_id}", headers=headers) as resp:
                        for chunk in resp.iter_bytes():
                            got.update(chunk)
                    download_s = time.perf_counter() - started
                    after_download = peak_mib(server.pid)
            finally:
                stop_server(server)
        finally:
            if drop:
                drop()
    mib = size / 2**20
    print(f"文件 {mib:.0f} MiB（SHA-256 {'一致' if got.hexdigest() == sha == listing[-1]['files'][0]['sha256'] else '不一致！'}）")
    print(f"上传 {upload_s:.1f} s（{mib / upload_s:.0f} MiB/s），下载 {download_s:.1f} s（{mib / download_s:.0f} MiB/s）")
    print(f"服务器内存：上传前 RSS {idle_rss:.0f} MiB；峰值（VmHWM）上传前 {idle:.0f} MiB → 上传后 {after_upload:.0f} MiB（+{after_upload - idle:.0f}）"
          f" → 下载后 {after_download:.0f} MiB（+{after_download - after_upload:.0f}）")
    print(f"请求进行中的 RSS 最大值：上传 {up.most:.0f} MiB（+{up.most - idle_rss:.0f}），"
          f"下载 {down.most:.0f} MiB（+{down.most - idle_rss:.0f}）")
    grown = max(up.most, down.most) - idle_rss
    print(f"内存增长与文件大小之比 {grown / mib:.2f}（持平：远小于 1；VmHWM 为启动时的高点，未被上传抬高）")


if __name__ == "__main__":
    main()
