"""One walk through the real pages in Debian's chromium (Playwright): log in, open the work list,
a case, the dashboard; screenshots go to tests/artifacts/web/ for people to look at."""

from __future__ import annotations

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
        page.wait_for_selector("text=我可办理的步骤")
        assert page.locator("form#step-approve_legal_review").count() == 1
        assert page.locator(".diagram svg").count() == 1
        page.screenshot(path=str(ARTIFACTS / "case.png"))
        page.screenshot(path=str(ARTIFACTS / "case_full.png"), full_page=True)
        page.goto(f"{server}/dashboard")
        page.wait_for_selector("text=24小时期限")
        page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
        page.goto(f"{server}/cases-new?item=004-05")
        page.screenshot(path=str(ARTIFACTS / "new_case.png"))
        page.goto(f"{server}/legal-time?start=2026-09-30&period=7工作日")
        page.screenshot(path=str(ARTIFACTS / "calculator.png"))
        browser.close()
