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
import hashlib
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # run from the repo root's view, as the other benches

import httpx  # noqa: E402
from sqlalchemy import create_engine, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from stdnum.cn import uscc  # noqa: E402

from caseflow.cli.serve_command import DEMO_PASSWORD  # noqa: E402
from caseflow.legal_time import SHANGHAI  # noqa: E402

CASEFLOW = [sys.executable, "-m", "caseflow.cli.main"]
STARTED = "Application startup complete."  # uvicorn's line, once per worker process
ITEM = "004-03"  # 对定点医药机构基金使用一般违法行为的处罚 (条例第三十八条: 罚款 1–2 × 损失金额)
FACTS = "当事人将应由个人负担的医药费用纳入医保基金支付，造成医保基金损失4,200.00元。"
SERVED = {"method": "直接送达", "recipient": "孙某（法定代表人）"}


def walk_steps() -> list[tuple[str, str, dict[str, Any], str | None]]:
    """(trigger, user, payload, opinion): a whole 普通程序 case, as tests/web/test_browser_full_walk.py
    takes it in the browser (the party waives 陈述、申辩, so nothing waits for a period)."""
    today = datetime.now(SHANGHAI).date()
    violation = {"violation_from": (today - timedelta(days=90)).isoformat(),
                 "violation_until": (today - timedelta(days=30)).isoformat()}
    basis = "《医疗保障基金使用监督管理条例》第三十八条"
    return [
        ("submit_filing", "lian", {"facts": FACTS, "amount_involved": "4200.00",
                                   "amount_loss": "4200.00", **violation}, None),
        ("approve_filing", "juzhang", {}, None),
        ("start_investigation", "diaocha1",
         {"credentials_shown": ["豫41032026002", "豫41032026003"]}, None),
        ("conclude_investigation", "diaocha1", {
            "facts": FACTS, "evidence": "结算明细\n询问笔录2份", "amount_loss": "4200.00", **violation,
            "penalties": [
                {"kind": "责令退回", "amount": "4200.00", "basis": f"{basis}（造成医疗保障基金损失的，责令退回）"},
                {"kind": "罚款", "amount": "4200.00", "basis": f"{basis}：处造成损失金额1倍以上2倍以下的罚款"}]},
         None),
        ("submit_legal_review", "diaocha1", {}, None),
        ("approve_legal_review", "shencha", {}, "事实清楚，证据确凿，适用依据正确，程序合法，处罚幅度适当。"),
        ("approve_penalty", "juzhang", {}, None),
        ("serve_notice", "gaozhi", SERVED, None),
        ("waive_statement", "gaozhi", {}, "当事人于送达当日书面声明放弃陈述、申辩权利。"),
        ("decide_penalty", "jueding", {}, None),
        ("serve_decision", "songda", SERVED, None),
        ("record_performance", "zhixing",
         {"receipt": "非税收入缴款书 4103000815", "amount_paid": "8400.00"}, None),
        ("approve_closure", "juzhang", {}, None),
        ("archive", "zhixing", {}, None),
    ]


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


# ── the clients ──────────────────────────────────────────────────────────────────────────────────

def _status(r: httpx.Response) -> str:
    """How an answer is counted: its status, and the refusal's code when it gives one."""
    try:
        body = r.json() if r.status_code >= 400 else None
    except ValueError:
        body = None
    code = body.get("code") if isinstance(body, dict) else None
    return f"状态码 {r.status_code}" + (f" {code}" if isinstance(code, str) else "")


class Tally:
    """What the clients saw, shared between their threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.acked: list[dict[str, Any]] = []  # every step answered 200
        self.counts: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()  # "状态码 500", "状态码 409 CASE_CONFLICT", "连接…" …
        self.samples: dict[str, str] = {}

    def count(self, what: str, n: int = 1) -> None:
        with self.lock:
            self.counts[what] += n

    def error(self, key: str, sample: str = "") -> None:
        with self.lock:
            self.errors[key] += 1
            self.samples.setdefault(key, sample[:300])


class Client(threading.Thread):
    """Registers cases and walks each to 归档, as each demo user in turn (a session per user)."""

    def __init__(self, base: str, tally: Tally, stop: threading.Event, hard_stop: float,
                 rnd: random.Random, pdf_share: float) -> None:
        super().__init__(daemon=True)
        self.base, self.tally, self.stop, self.hard_stop = base, tally, stop, hard_stop
        self.rnd, self.pdf_share = rnd, pdf_share
        self.sessions: dict[str, tuple[httpx.Client, str]] = {}
        self.sent = False  # whether the last request that got no answer had reached the server
        self.steps = walk_steps()

    def _over(self) -> bool:
        return self.stop.is_set() or time.monotonic() > self.hard_stop

    def _session(self, user: str) -> tuple[httpx.Client, str] | None:
        while user not in self.sessions and not self._over():
            http = httpx.Client(base_url=self.base, timeout=60)
            try:
                r = http.post("/api/auth/login", json={"username": user, "password": DEMO_PASSWORD})
            except httpx.TransportError:
                http.close()
                time.sleep(0.3)
                continue
            if r.status_code != 200:
                self.tally.error(f"登录 {r.status_code}", r.text)
                http.close()
                time.sleep(1)
                continue
            self.sessions[user] = (http, r.json()["csrf_token"])
        return self.sessions.get(user)

    def call(self, user: str, method: str, path: str, **kw: Any) -> httpx.Response | None:
        """One request as `user`; None when the connection failed (the server may be down)."""
        for _ in range(3):  # a lost session (401) is logged in again and the request repeated
            got = self._session(user)
            if got is None:
                return None
            http, csrf = got
            try:
                r = http.request(method, path, headers={"X-CSRF-Token": csrf}, **kw)
            except httpx.ConnectError:  # nothing was sent: the server is down or restarting
                self.tally.error("连接被拒绝（服务未运行）")
                self.sent = False
                return None
            except httpx.TransportError as exc:  # sent, answer lost: it may have been done
                self.tally.error("连接中断（请求中被杀）", f"{method} {path}: {type(exc).__name__}")
                self.sent = True
                return None
            if r.status_code != 401:
                return r
            self.tally.error("状态码 401", r.text)
            self.sessions.pop(user)[0].close()
        return None

    def run(self) -> None:
        try:
            while not self._over():
                case = self.register()
                if case is not None:
                    self.walk(case)
        except Exception as exc:  # a bug of the bench: counted, and the run fails
            self.tally.error("客户端异常", repr(exc))
            raise
        finally:
            for http, _ in self.sessions.values():
                http.close()

    def register(self) -> dict[str, Any] | None:
        code = f"91410324MA{self.rnd.randrange(10**7):07d}"
        body = {"item_key": ITEM, "title": "骗取医保基金（混沌测试）", "source": "医保智能监控系统预警",
                "officers": [{"username": "diaocha1", "role": "lead"}, {"username": "diaocha2"}],
                "party": {"kind": "organisation", "name": f"混沌测试药店{code[-7:]}", "address": "栾川县城关镇",
                          "uscc": code + uscc.calc_check_digit(code), "legal_representative": "孙某"}}
        r = self.call("lian", "POST", "/api/cases", json=body)
        if r is None or r.status_code != 201:  # answer lost: the case may exist (案号 checked)
            if r is None:
                if self.sent:
                    self.tally.count("登记未收到应答")
            else:
                self.tally.error(_status(r), r.text)
            time.sleep(0.3)
            return None
        self.tally.count("登记案件")
        case = {"case_no": r.json()["case_no"]}
        return case if self.resync(case) else None

    def resync(self, case: dict[str, Any]) -> bool:
        """Read the case until the server answers: its version and last event."""
        while not self._over():
            r = self.call("lian", "GET", f"/api/cases/{quote(case['case_no'])}")
            if r is not None and r.status_code == 200:
                body = r.json()
                last = body["events"][-1]
                case.update(version=body["version"], seq=last["seq"], trigger=last["trigger"])
                return True
            if r is not None:
                self.tally.error(_status(r), r.text)
            time.sleep(0.3)
        return False

    def walk(self, case: dict[str, Any]) -> None:
        for trigger, user, payload, opinion in self.steps:
            if not self.step(case, trigger, user, payload, opinion):
                return
        self.tally.count("归档案件")

    def step(self, case: dict[str, Any], trigger: str, user: str, payload: dict[str, Any],
             opinion: str | None) -> bool:
        path = f"/api/cases/{quote(case['case_no'])}/transitions/{trigger}"
        while not self._over():
            seq = case["seq"]
            r = self.call(user, "POST", path, json={"payload": payload, "opinion": opinion,
                                                    "expected_version": case["version"]})
            if r is not None and r.status_code == 200:
                out = r.json()
                with self.tally.lock:
                    self.tally.acked.append({
                        "case_no": case["case_no"], "trigger": trigger, "seq": out["event_seq"],
                        "version": out["version"], "state": out["state"],
                        "documents": [d["id"] for d in out["documents"]]})
                case.update(version=out["version"], seq=out["event_seq"], trigger=trigger)
                self.pdfs(user, out["documents"])
                return True
            if r is not None:
                self.tally.error(_status(r), f"{trigger}: {r.text}")
                conflict = _status(r) == "状态码 409 CASE_CONFLICT"
                if r.status_code < 500 and not conflict:  # the walk (or the server) is wrong
                    self.tally.count("步骤被拒绝（案件中止）")
                    return False
            if not self.resync(case):  # the answer was lost: was the step taken?
                return False
            if case["seq"] == seq + 1 and case["trigger"] == trigger:
                self.tally.count("已提交但未收到应答")
                return True
            if case["seq"] != seq:
                self.tally.error("案件被他人改动", f"{case['case_no']} {trigger}")
                return False
            self.tally.count("重试步骤")
            time.sleep(0.2)
        return False

    def pdfs(self, user: str, documents: list[dict[str, Any]]) -> None:
        for d in documents:
            if self.rnd.random() < self.pdf_share and not self.stop.is_set():
                r = self.call(user, "GET", d["pdf_url"])
                if r is not None and r.status_code == 200 and r.content.startswith(b"%PDF"):
                    self.tally.count("下载PDF")
                elif r is not None:
                    self.tally.error(_status(r), f"PDF: {r.text}")


# ── after the run: the checks ────────────────────────────────────────────────────────────────────

def run_scheduler_once(server: Server) -> tuple[bool, str]:
    r = subprocess.run([*CASEFLOW, "scheduler", "--once"], env=server.env, cwd=ROOT, check=False,
                       capture_output=True, text=True, timeout=600)
    return r.returncode == 0, (r.stdout + r.stderr).strip()


NUMBER = re.compile(r"〔(\d{4})〕(\d+)号$")
Check = tuple[str, bool, str]  # name, passed, figures


def check(url: str, acked: list[dict[str, Any]]) -> list[Check]:
    engine = create_engine(url)
    with engine.connect() as conn:
        out = [*_steps_and_states(conn, acked), _documents(conn), _numbers(conn)]
    engine.dispose()
    return out


def _steps_and_states(conn: Any, acked: list[dict[str, Any]]) -> list[Check]:
    from caseflow.cases.models import Case, CaseEvent
    from caseflow.documents.models import Document

    cases = {no: (cid, state) for cid, no, state in conn.execute(
        select(Case.id, Case.case_no, Case.state))}
    events = {(cid, seq): (trigger, to) for cid, seq, trigger, to in conn.execute(
        select(CaseEvent.case_id, CaseEvent.seq, CaseEvent.trigger, CaseEvent.to_state))}
    docs = {i: (cid, seq) for i, cid, seq in conn.execute(
        select(Document.id, Document.case_id, Document.event_seq))}

    def kept(a: dict[str, Any]) -> bool:  # its event (trigger, state reached) and its documents
        cid = cases.get(a["case_no"], (None,))[0]
        return (events.get((cid, a["seq"])) == (a["trigger"], a["state"])
                and all(docs.get(d) == (cid, a["seq"]) for d in a["documents"]))

    lost = [a for a in acked if not kept(a)]
    last: dict[int, tuple[int, str]] = {}
    for (cid, seq), (_, to) in events.items():
        if seq > last.get(cid, (0, ""))[0]:
            last[cid] = (seq, to)
    wrong = [no for no, (cid, state) in cases.items() if last.get(cid, (0, None))[1] != state]
    return [("确认的步骤均有办理记录及文书", not lost,
             f"确认 {len(acked)} 步，丢失 {len(lost)} 步" + (f"：{lost[:3]}" if lost else "")),
            ("案件状态与最后一条办理记录一致", not wrong,
             f"{len(cases)} 件案件，不一致 {len(wrong)} 件" + (f"：{wrong[:5]}" if wrong else ""))]


def _documents(conn: Any) -> Check:
    from caseflow.documents.models import Document, DocumentStatus

    counts = Counter(s for (s,) in conn.execute(select(Document.status)))
    bad = sum(1 for pdf, sha in conn.execute(select(Document.pdf, Document.sha256)
                                             .where(Document.status == DocumentStatus.rendered))
              if not pdf or hashlib.sha256(pdf).hexdigest() != sha)
    pending = counts[DocumentStatus.pending]
    return ("scheduler --once 之后无待生成文书，PDF 与 SHA-256 相符", pending == 0 and bad == 0,
            f"{sum(counts.values())} 份文书，待生成 {pending} 份，PDF 不符 {bad} 份")


def _numbers(conn: Any) -> Check:
    """Each sequence (agency, kind, year) of number_sequences is used exactly once for 1…last:
    案号 by the cases (kind case:penalty …), 文号 by the first version of each document."""
    from caseflow.cases.models import Case
    from caseflow.cases.numbering import KIND_WORD
    from caseflow.documents.models import Document
    from caseflow.documents.types import get_doc_type
    from caseflow.numbering.models import NumberSequence

    used: dict[tuple[int, str, int], list[int]] = defaultdict(list)
    for agency, no in conn.execute(select(Case.agency_id, Case.case_no)):
        m, kind = NUMBER.search(no), next((k for k, w in KIND_WORD.items() if f"{w}案〔" in no), None)
        if m and kind:
            used[(agency, f"case:{kind}", int(m[1]))].append(int(m[2]))
    for agency, no, doc_type in conn.execute(
            select(Document.agency_id, Document.doc_no, Document.doc_type)
            .where(Document.supersedes_id.is_(None), Document.doc_no.is_not(None))):
        m, code = NUMBER.search(no), get_doc_type(doc_type).number_code
        if m and code:
            used[(agency, f"doc:{code}", int(m[1]))].append(int(m[2]))
    seqs = {(a, k, y): n for a, k, y, n in conn.execute(select(
        NumberSequence.agency_id, NumberSequence.kind, NumberSequence.year,
        NumberSequence.last_value))}
    gaps = [f"{k}/{y}: 用 {sorted(used.get((a, k, y), []))[:8]}… 至 {n}"
            for (a, k, y), n in seqs.items()
            if sorted(used.get((a, k, y), [])) != list(range(1, n + 1))]
    gaps += [f"{k}/{y} 无序号记录" for (a, k, y) in used if (a, k, y) not in seqs]
    figures = f"{len(seqs)} 个序号，已用 {sum(map(len, used.values()))} 个号"
    return ("案号、文号连续无缺号、无重号", not gaps, figures + (f"；{gaps[:5]}" if gaps else ""))


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
