"""One walk through the real pages in Debian's chromium (Playwright): log in, open the work list,
a case, the dashboard; screenshots go to tests/artifacts/web/ for people to look at."""

from __future__ import annotations

import re

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "web"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason="chromium is not installed"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(engine: Engine, password_hash: str) -> Iterator[str]:
    import uvicorn

    from caseflow.demo import runner
    from caseflow.web.app import create_app
    from caseflow.web.settings import WebSettings

    runner.seed(engine, password_hash=password_hash)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(engine, settings=WebSettings(secret_key="b")),
                                        host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def test_log_in_and_look_at_a_case(server: str) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    from tests.web.conftest import PASSWORD

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        page.goto(f"{server}/")
        assert "/login" in page.url
        page.fill("input[name=username]", "shencha")
        page.fill("input[name=password]", PASSWORD)
        page.click("button.primary")
        page.wait_for_selector("h1:has-text('我的待办')")
        page.screenshot(path=str(ARTIFACTS / "worklist.png"))
        page.click("td a[href^='/cases/']")
        page.wait_for_selector("section#actions")
        assert page.locator(".next-step").inner_text().startswith("下一步：")
        assert page.locator("form#step-approve_legal_review").count() == 1
        assert page.locator(".diagram svg").count() == 1
        page.screenshot(path=str(ARTIFACTS / "case.png"))
        page.screenshot(path=str(ARTIFACTS / "case_full.png"), full_page=True)
        page.goto(f"{server}/dashboard")  # 审查岗 is no supervisor
        page.wait_for_selector("text=仅供局负责人和股长查看")
        _log_out(page)
        _log_in(page, server, "juzhang")
        page.goto(f"{server}/dashboard")
        page.wait_for_selector("text=24小时期限")
        page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
        page.goto(f"{server}/cases-new?item=004-05")
        page.screenshot(path=str(ARTIFACTS / "new_case.png"))
        page.goto(f"{server}/legal-time?start=2026-09-30&period=7工作日")
        page.screenshot(path=str(ARTIFACTS / "calculator.png"))
        browser.close()


def _prepare(engine: Engine) -> tuple[str, str]:
    """Beside the demo: a case whose investigation is concluded (the officer sends it to 法制审核)
    and a case whose 线索核查 limit ran out weeks ago (the sweep raises its overdue alert)."""
    from datetime import timedelta

    from caseflow.alerts.sweep import sweep
    from caseflow.db.base import utcnow
    from caseflow.demo import runner
    from caseflow.demo import scenarios as sc
    from caseflow.demo.walk import walk

    now = utcnow()
    ready = runner._open(engine, by="lian", item=sc.GENERAL_ITEM, title="浏览器测试：串换药品案",
                         party=runner.PHARMACY, at=now - timedelta(days=5))
    walk(engine, ready, sc.to_legal_review(now - timedelta(days=5), sc.PHARMACY_FINDING)[:-1])
    late = runner._open(engine, by="lian", item=sc.GENERAL_ITEM, title="浏览器测试：逾期未核查的线索",
                        party=runner.PHARMACY, at=now - timedelta(days=60))
    sweep(engine, now=now)
    return ready, late


def _log_in(page, server: str, username: str) -> None:  # type: ignore[no-untyped-def]
    from tests.web.conftest import PASSWORD

    page.goto(f"{server}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_selector("h1:has-text('我的待办')")


def _log_out(page) -> None:  # type: ignore[no-untyped-def]
    page.click("header .who button:has-text('退出')")
    page.wait_for_selector("input[name=username]")


def test_officer_sends_to_review_reviewer_returns_supervisor_sees_the_overdue_alert(
        server: str, engine: Engine) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    from urllib.parse import quote

    ready, late = _prepare(engine)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")

        # 调查岗: the case waits in 我的待办; open it and submit it for 法制审核.
        _log_in(page, server, "diaocha1")
        page.click(f"a:has-text('{ready}')")
        page.wait_for_selector("form#step-submit_legal_review")
        page.click("form#step-submit_legal_review button.primary")
        page.wait_for_selector("text=已办理「提交法制审核」")
        page.screenshot(path=str(ARTIFACTS / "flow_1_officer_submitted.png"), full_page=True)
        _log_out(page)

        # 审查岗: the case is in the queue; return it with an opinion.
        _log_in(page, server, "shencha")
        page.goto(f"{server}/review")
        card = page.locator("section.card", has_text=ready)
        opinion = "证据不足：缺少进销存台账原件，请补充调查后重新提请。"
        card.locator("textarea[name=opinion]").fill(opinion)
        card.locator("button:has-text('退回')").click()
        page.wait_for_url(re.compile(re.escape(f"{server}/review") + r"(\?done=.*)?$"))
        assert page.locator("section.card", has_text=ready).count() == 0  # left the queue
        page.goto(f"{server}/cases/{quote(ready, safe='')}")
        page.wait_for_selector(f"ol.timeline >> text={opinion}")
        page.screenshot(path=str(ARTIFACTS / "flow_2_reviewer_returned.png"), full_page=True)
        _log_out(page)

        # 局负责人: the overdue alert is in 提醒, and the limit on the 监督看板.
        _log_in(page, server, "juzhang")
        assert int(page.locator("#nav-alerts .nav-count").inner_text()) >= 1
        page.click("#nav-alerts")
        page.wait_for_selector(f"text={late}")
        assert page.locator("li, tr", has_text=late).filter(has_text="已逾期").count() >= 1
        page.screenshot(path=str(ARTIFACTS / "flow_3_supervisor_alerts.png"), full_page=True)
        page.goto(f"{server}/dashboard")
        page.wait_for_selector("h2:has-text('已逾期')")
        assert page.locator("tr.late", has_text=late).count() == 1
        page.screenshot(path=str(ARTIFACTS / "flow_4_dashboard.png"), full_page=True)
        browser.close()
