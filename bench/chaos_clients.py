"""The clients of bench/chaos.py: threads that log in as the demo users, register cases through the
API and walk each to 归档, fetching some PDFs; every answer tallied, every acknowledged step kept
for the checks. A step whose answer was lost is found again (the case's version and last event)
before it is retried, so no step is taken twice."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx
from stdnum.cn import uscc

from caseflow.cli.serve_command import DEMO_PASSWORD
from caseflow.legal_time import SHANGHAI

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
