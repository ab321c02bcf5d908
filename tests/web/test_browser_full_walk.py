"""The issue's "done means", in Debian's chromium (Playwright): a newcomer logs in with a printed
demo account and runs a penalty case (行政处罚普通程序) from 新建案件 to 归档 through the pages only,
each step by the demo user holding its post, while supervisors see the case's running limits.
Screenshots go to tests/artifacts/web/walk_NN_*.png for people to look at."""

from __future__ import annotations

import re
import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from caseflow.legal_time import SHANGHAI

from tests.web.test_browser import (  # noqa: F401 — `server` is a fixture
    ARGS,
    ARTIFACTS,
    CHROMIUM,
    _log_in,
    _log_out,
    server,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason="chromium is not installed"),
]

ITEM = "004-03"  # 对定点医药机构基金使用一般违法行为的处罚 (条例第三十八条: 罚款 1–2 × 造成损失金额)
USCC = "91410324MA5XJ8P9Q3"  # valid (GB 32100-2015 check character), unknown to the demo
FACTS = "当事人将应由个人负担的医药费用纳入医保基金支付，造成医保基金损失4,200.00元。"
# The violation ran from three months to one month ago: well inside the 追责时效 (第三十六条).
_TODAY = datetime.now(SHANGHAI).date()
VIOLATION = {"violation_from": (_TODAY - timedelta(days=90)).isoformat(),
             "violation_until": (_TODAY - timedelta(days=30)).isoformat()}
BASIS_RETURN = "《医疗保障基金使用监督管理条例》第三十八条（造成医疗保障基金损失的，责令退回）"
BASIS_FINE = "《医疗保障基金使用监督管理条例》第三十八条：处造成损失金额1倍以上2倍以下的罚款"

# The steps of the walk as the timeline names them (workflows/procedures/penalty_general.v1.yaml).
STEP_NAMES = ("提请立案审批", "批准立案", "开始调查（出示执法证件）", "登记证据：结算明细及现场照片",
              "制作询问笔录", "调查终结（提出处理建议）",
              "提交法制审核", "法制审核通过", "负责人批准拟处罚意见", "送达行政处罚事先告知书",
              "当事人书面放弃陈述、申辩（及听证）权利", "作出行政处罚决定", "送达处罚决定书",
              "当事人履行完毕", "批准结案", "归档")


class Walk:
    """The browser page with the case under way, and the numbered screenshots taken of it."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.page, self.server, self.case_no, self.shots = page, base_url, "", 0

    def shot(self, name: str, focus: Any = None) -> None:
        """The whole page, or the window (1366×768) scrolled to the `focus` locator."""
        self.shots += 1
        if focus is not None:
            focus.evaluate("e => e.scrollIntoView({block: 'start'})")
        self.page.screenshot(path=str(ARTIFACTS / f"walk_{self.shots:02d}_{name}.png"),
                             full_page=focus is None)

    def as_user(self, username: str, *, to_act: bool = True) -> None:
        """Log out whoever is in, log in `username` and, when they are `to_act`, open the case from
        我的待办 (a supervisor opens it by its 案号 instead: see `open_case`)."""
        if self.page.locator("header .who button").count():
            _log_out(self.page)
        _log_in(self.page, self.server, username)
        if self.case_no and to_act:
            exact = re.compile(f"^{re.escape(self.case_no)}$")
            self.page.locator("td a", has_text=exact).click()  # the case waits in 我的待办
            self.page.wait_for_selector("section#actions")

    def open_case(self) -> None:
        self.page.goto(f"{self.server}/cases/{_quoted(self.case_no)}")
        self.page.wait_for_selector("h2:has-text('期限')")

    def submit(self, trigger: str, fields: dict[str, str] | None = None, opinion: str | None = None,
               shot: str | None = None) -> str:
        """Fill the step's form on the case page, screenshot it if asked, submit; its name."""
        page = self.page
        form = page.locator(f"form#step-{trigger}")
        assert form.count() == 1, f"no form for {trigger}: {_blocked(page)}"
        if not form.is_visible():  # under 「更多操作」: open it as a person would
            page.locator("details.more-actions > summary").click()
        title = form.locator(".step-head b").inner_text()
        _fill(form, fields or {})
        if opinion:
            form.locator("textarea[name=opinion]").fill(opinion)
        if shot:
            self.shot(shot, focus=form)
        with page.expect_navigation():
            form.locator("button.primary").click()
        return str(title)

    def refused(self, trigger: str, fields: dict[str, str], shot: str | None = None) -> str:
        """Submit the step's form expecting a refusal: the message shown in the form."""
        self.submit(trigger, fields)
        error = self.page.locator(f"form#step-{trigger} .alert.error")
        assert error.count() == 1, f"{trigger} was not refused"
        if shot:
            self.shot(shot, focus=self.page.locator(f"form#step-{trigger}"))
        return str(error.inner_text())

    def step(self, trigger: str, fields: dict[str, str] | None = None, opinion: str | None = None,
             shot: str | None = None) -> None:
        """Take the step through its form; the page says 已办理「…」."""
        page = self.page
        title = self.submit(trigger, fields, opinion, shot)
        if page.locator(".alert.ok").count() == 0:
            pytest.fail(f"{trigger} refused: {_error(page)}")
        assert page.locator(".alert.ok").inner_text() == f"已办理「{title}」。"

    def limits(self) -> Any:
        return self.page.locator("section.card:has(h2:has-text('期限'))")

    def limit_row(self, name: str) -> Any:
        return self.limits().locator("tbody tr", has_text=name)

    def assert_running(self, name: str) -> None:
        row = self.limit_row(name)
        assert row.count() == 1, f"no limit {name}"
        assert "进行中" in row.inner_text()
        assert row.locator("span.cd").inner_text().startswith("剩余")


def _quoted(case_no: str) -> str:
    return quote(case_no, safe="")


def _fill(scope: Any, fields: dict[str, str]) -> None:
    for name, value in fields.items():
        el = scope.locator(f"[name='{name}']")
        if el.evaluate("e => e.tagName") == "SELECT":
            el.select_option(value)
        elif el.get_attribute("type") == "checkbox":
            el.set_checked(bool(value))
        else:
            el.fill(value)


def _evidence_files(folder: Any) -> list[str]:
    """A two-page scan (PDF) and two photos (JPEG), as an officer's computer would hold them."""
    from PIL import Image

    pages = [Image.new("RGB", (620, 877), (250, 250, 245)) for _ in range(2)]
    scan = folder / "结算明细扫描件.pdf"
    pages[0].save(scan, "PDF", save_all=True, append_images=pages[1:])
    photos = []
    for n, tint in enumerate(((200, 220, 240), (230, 210, 190)), 1):
        photo = folder / f"现场照片{n}.jpg"
        Image.new("RGB", (1200, 800), tint).save(photo, "JPEG")
        photos.append(str(photo))
    return [str(scan), *photos]


def _contents_match_pages(pdf: bytes) -> int:
    """Read the bound 案卷: every 卷内目录 row's first 页号 is stamped on the page where its part
    starts (the stamp is the only text in the page's top band). The number of rows."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    text = [(p.extract_text() or "") for p in reader.pages]
    contents_pages = [i for i, t in enumerate(text) if "卷内目录" in t.replace(" ", "")]
    rows = re.findall(r"(\d+)(?:-(\d+))?\n", "\n".join(text[i] for i in contents_pages))
    first_numbered = contents_pages[-1] + 1
    numbered = len(reader.pages) - first_numbered - 1  # the 备考表 is last
    starts = sorted({int(a) for a, _ in rows if 1 <= int(a) <= numbered})
    assert starts and starts[0] == 1, starts
    for n in starts:
        page = reader.pages[first_numbered + n - 1]
        top = float(page.mediabox.top)
        found: list[str] = []
        page.extract_text(visitor_text=lambda t, cm, tm, f, s: found.append(t.strip())
                          if t.strip() and tm[5] * cm[3] + cm[5] > top - 60 else None)
        assert " ".join(found) == str(n), (n, found)
    return len(starts)


def _error(page: Any) -> str:
    errors = page.locator(".alert.error")
    return " / ".join(errors.all_inner_texts()) or page.locator("main").inner_text()[:500]


def _blocked(page: Any) -> str:
    return " / ".join(page.locator("details.blocked li").all_inner_texts()) or "（无）"


def test_newcomer_runs_a_case_from_filing_to_archive_while_supervisors_watch_its_limits(
        server: str) -> None:  # noqa: F811 — the fixture imported above
    playwright = pytest.importorskip("playwright.sync_api")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("walk_*.png"):  # numbered afresh each run
        old.unlink()
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        page.set_default_timeout(15_000)
        w = Walk(page, server)

        # ── 立案岗: 新建案件 from the catalog, the party's code checked ─────────────────
        w.as_user("lian")
        page.click("nav a:has-text('新建案件')")
        page.fill("input[name=q]", "一般违法")
        with page.expect_navigation():
            page.click("form.inline-form button")
        page.click(f"ul.items a[href^='/cases-new?item={ITEM}']")
        page.wait_for_selector("ul.items li.on")
        assert page.locator("input[name=item_key]").input_value() == ITEM
        party = {"title": "栾川县仁和大药房将个人负担费用纳入基金支付案",
                 "source": "医保智能监控系统预警", "party_name": "栾川县仁和大药房（演示）",
                 "party_uscc": USCC[:-1] + "0", "party_legal_representative": "孙某",
                 "party_address": "河南省洛阳市栾川县城关镇示范路18号", "party_phone": "0379-66800018",
                 "lead": "diaocha1", "assistant": "diaocha2"}
        _fill(page.locator("form[action='/cases-new']"), party)
        with page.expect_navigation():
            page.click("button:has-text('登记案件')")
        assert "统一社会信用代码校验位不正确" in page.locator(".ferr").inner_text()  # a typo is caught
        page.fill("input[name=party_uscc]", USCC)  # the rest of the form was kept
        assert page.locator("input[name=party_name]").input_value() == party["party_name"]
        w.shot("new_case")
        with page.expect_navigation():
            page.click("button:has-text('登记案件')")
        page.wait_for_selector(".alert.ok")
        w.case_no = page.locator("h1").evaluate("e => e.firstChild.textContent.trim()")
        assert w.case_no and "线索登记" in page.locator("h1 .state").inner_text()
        assert USCC in page.locator("section.card:has(h2:has-text('当事人'))").inner_text()
        w.assert_running("线索核查期限")
        w.step("submit_filing", {"facts": FACTS, "amount_involved": "4200.00",
                                 "amount_loss": "4200.00", **VIOLATION}, shot="submit_filing")

        # ── 局负责人 批准立案 ───────────────────────────────────────────────────────────
        w.as_user("juzhang")
        w.step("approve_filing", shot="approve_filing")

        # ── 调查岗: two officers with valid 执法证, then the proposal within the lawful range ──
        w.as_user("diaocha1")
        w.step("start_investigation", {"credentials_shown": "豫41032026002，豫41032026003"})

        # ── the evidence: a scanned 书证 and photos uploaded (a progress bar while they go up),
        #    and a 询问笔录 made in caseflow, which registers itself as evidence ────────────
        add = page.locator("form#evidence-add")
        if not add.is_visible():
            page.locator("details.ev-add > summary").click()
        _fill(add, {"kind": "书证", "title": "结算明细及现场照片", "source": "调取自当事人医保结算系统",
                    "obtained_by": "复制", "collected_on": _TODAY.isoformat(),
                    "proves": "证明将个人负担费用纳入基金支付的事实"})
        add.locator("input[type=file]").set_input_files(_evidence_files(Path(tempfile.mkdtemp())))
        w.shot("evidence_form", focus=add)
        with page.expect_navigation():
            add.locator("button.primary").click()
        row = page.locator("#evidence tr#evidence-1")
        assert row.count() == 1 and "现场照片2.jpg" in row.inner_text(), _error(page)
        w.shot("evidence_registered", focus=page.locator("#evidence"))
        now = datetime.now(SHANGHAI)
        w.step("record_inquiry", {
            # the case entered 调查取证 a minute ago: the 笔录 is typed as it is made
            "acted_at": now.strftime("%Y-%m-%d %H:%M"),
            "ended_at": (now + timedelta(minutes=2)).strftime("%Y-%m-%d %H:%M"),
            "place": "栾川县医疗保障局询问室", "credentials_shown": "1", "person_name": "孙某",
            "person_role": "当事人的法定代表人或负责人",
            "qa[0].q": "执法人员已出示执法证件。你是否申请回避？", "qa[0].a": "不申请。",
            "qa[1].q": "个人负担的费用为何纳入基金支付？", "qa[1].a": "系收费员操作失误，共4,200元。",
        }, shot="record_inquiry")
        assert "询问笔录（孙某）" in page.locator("#evidence").inner_text()
        ranges = page.locator(".ranges").inner_text()
        assert "罚款" in ranges and "4200" in ranges.replace(",", ""), ranges  # 损失金额 × 1–2
        proposal = {
            "facts": FACTS,
            "amount_loss": "4200.00", **VIOLATION,
            "penalties[0].kind": "责令退回", "penalties[0].amount": "4200.00",
            "penalties[0].basis": BASIS_RETURN,
            "penalties[1].kind": "罚款", "penalties[1].amount": "10000.00",  # > 2 × 损失
            "penalties[1].basis": BASIS_FINE,
        }
        refusal = w.refused("conclude_investigation", proposal, shot="proposal_refused")
        assert "8,400.00" in refusal or "8400" in refusal, refusal
        form = page.locator("form#step-conclude_investigation")
        assert form.locator(".ferr").count() == 0  # a refusal, not a field's error (under 理由)
        assert form.locator("[name='penalties[0].basis']").input_value() == BASIS_RETURN  # kept
        w.step("conclude_investigation", {**proposal, "penalties[1].amount": "4200.00"},
               shot="proposal")
        w.step("submit_legal_review")

        # ── 审查岗 (法制审核股) from the 法制审核队列 ────────────────────────────────────
        w.as_user("shencha")
        page.click("nav a:has-text('法制审核')")
        card = page.locator("section.card.review", has_text=w.case_no)
        assert "4,200.00" in card.inner_text() or "4200.00" in card.inner_text()
        card.locator("textarea[name=opinion]").fill(
            "事实清楚，证据确凿，适用依据正确，程序合法，处罚幅度适当（损失金额1倍）。")
        w.shot("legal_review_queue")
        with page.expect_navigation():
            card.locator("button.primary:has-text('审核通过')").click()
        page.wait_for_url(re.compile(re.escape(f"{server}/review") + r"(\?done=.*)?$"))
        assert page.locator("section.card.review", has_text=w.case_no).count() == 0

        # ── 局负责人 approves; 告知岗 serves the 事先告知书 ─────────────────────────────
        w.as_user("juzhang")
        w.step("approve_penalty")
        w.as_user("gaozhi")
        w.step("serve_notice", {"method": "直接送达", "recipient": "孙某（法定代表人）"},
               shot="serve_notice")
        assert page.locator("#documents", has_text="行政处罚事先告知书").count() == 1

        # ── supervisor (局负责人): the 陈述、申辩期限 runs; the case list shows the nearest limit ──
        w.as_user("juzhang", to_act=False)
        w.open_case()
        w.assert_running("陈述、申辩期限")
        w.assert_running("办案期限")
        assert w.limit_row("听证申请期限").count() == 0  # 罚款4,200元 to an organisation: no hearing
        w.shot("supervisor_statement_period", focus=w.limits())
        page.goto(f"{server}/cases?q={_quoted(w.case_no)}")
        row = page.locator("tbody tr", has_text=w.case_no)
        assert "事先告知" in row.inner_text() and row.locator("span.cd").inner_text().startswith("剩余")
        page.click("nav a:has-text('监督看板')")
        page.wait_for_selector("h1:has-text('监督看板')")
        w.shot("supervisor_dashboard")

        # ── 告知岗: the party waives in writing; 决定岗 decides without waiting for the period ──
        w.as_user("gaozhi")
        w.step("waive_statement", opinion="当事人于送达当日书面声明放弃陈述、申辩权利。")
        assert "已结束" in w.limit_row("陈述、申辩期限").inner_text()  # the party's window: never 逾期
        w.as_user("jueding")
        w.step("decide_penalty", shot="decide_penalty")

        # ── supervisor (基金监管股股长): the 七日送达 limit runs ──────────────────────────
        w.as_user("jjgz", to_act=False)
        w.open_case()
        w.assert_running("处罚决定书送达期限（七日送达）")
        assert "已履行" in w.limit_row("办案期限").inner_text()
        w.shot("supervisor_decision_service", focus=w.limits())

        # ── 送达岗 serves the 决定书; the 履行期限 starts ────────────────────────────────
        w.as_user("songda")
        w.step("serve_decision", {"method": "直接送达", "recipient": "孙某（法定代表人）"})
        w.as_user("juzhang", to_act=False)
        w.open_case()
        w.assert_running("履行期限（十五日内缴纳罚款）")
        w.assert_running("申请行政复议期限")
        assert "已履行" in w.limit_row("处罚决定书送达期限").inner_text()
        w.shot("supervisor_payment", focus=w.limits())

        # ── 执行岗 records the payment, 局负责人 closes, 执行岗 archives ────────────────
        w.as_user("zhixing")
        w.step("record_performance", {"receipt": "非税收入缴款书 4103000815", "amount_paid": "8400.00"})
        w.as_user("juzhang")
        w.step("approve_closure")
        w.as_user("zhixing")
        w.step("archive")

        # ── the end: 归档, 结案 dated, every step in the timeline, the 决定书 downloads ──
        assert page.locator("h1 .state").inner_text() == "归档"
        assert page.locator(".case-head dl.dates dd").nth(2).inner_text() != "—"  # 结案
        timeline = page.locator("ol.timeline").inner_text()
        missing = [s for s in STEP_NAMES if s not in timeline]
        assert not missing, missing
        assert page.locator("form.step").count() == 0  # nothing left to do
        w.shot("archived")
        w.shot("timeline", focus=page.locator("section.card:has(ol.timeline)"))
        w.shot("documents", focus=page.locator("#documents"))
        title_cell = page.locator("td:first-child", has_text=re.compile(r"^\s*行政处罚决定书"))
        decision = page.locator("#documents tbody tr").filter(has=title_cell)
        assert decision.count() == 1
        href = decision.locator("a:has-text('下载')").get_attribute("href")
        response = page.request.get(f"{server}{href}")  # the link the page offers, with its cookie
        assert response.status == 200
        assert response.headers["content-type"] == "application/pdf"
        assert response.body()[:5] == b"%PDF-"
        # …and the 案卷 bound at 归档: its 卷内目录's 页号 are the bound pages' own.
        link = page.locator("a:has-text('下载案卷')").first
        casefile = page.request.get(f"{server}{link.get_attribute('href')}")
        assert casefile.status == 200 and casefile.headers["content-type"] == "application/pdf"
        assert _contents_match_pages(casefile.body()) >= 10
        browser.close()
