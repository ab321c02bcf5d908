"""执法公示 in Debian's chromium (Playwright): the 审查岗 opens a decided case, reads the redacted
content in 「执法公示」 and releases it from the form; then, without logging in, a visitor opens
/public/, the agency, searches, and sees the published decisions — the person's only by the masked
name. Screenshots go to tests/artifacts/web/publication/ for people to look at."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from sqlalchemy import Engine, select

from caseflow.db.session import unit_of_work
from caseflow.demo.organisation import AGENCY_NAME, demo_users
from caseflow.org.models import Agency
from tests.helpers import Org, Runner
from tests.publication.cases import PERSON_SECRETS, person_decided
from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, _free_port, _log_in

SHOTS = ARTIFACTS / "publication"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason="chromium is not installed"),
]


@pytest.fixture
def server(engine: Engine, password_hash: str) -> Iterator[str]:
    """The demo (its main case published by the 审查岗) served on a free port."""
    import uvicorn

    from caseflow.demo import runner
    from caseflow.web.app import create_app
    from caseflow.web.settings import WebSettings

    runner.seed(engine, password_hash=password_hash)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(engine, settings=WebSettings(secret_key="p")),
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


def _person_case(engine: Engine) -> str:
    """Beside the demo: the person's case, decided and not yet published."""
    with unit_of_work(engine, write=False) as s:
        agency = s.scalar(select(Agency).where(Agency.name == AGENCY_NAME))
        assert agency is not None
        org = Org(agency.id, {k: u.id for k, u in demo_users(s, agency).items()}, 0, {})
    runner = Runner(engine, org, reload=True)
    try:
        return person_decided(engine, org, runner)
    finally:
        runner.close()


def test_reviewer_releases_and_the_public_finds_it_without_logging_in(server: str, engine: Engine) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    no = _person_case(engine)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        officer = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        _log_in(officer, server, "shencha")
        officer.goto(f"{server}/cases/{quote(no)}")
        section = officer.locator("section#publication")
        assert "待发布" in section.inner_text() and "张*（演示）" in section.inner_text()
        section.screenshot(path=str(SHOTS / "case_publication_pending.png"))
        form = officer.locator("form#step-publish_decision")
        if not form.is_visible():  # among 「我可办理的步骤」: a power beside the main line
            officer.locator("details.more-actions > summary").click()
        summary = form.locator("textarea[name=summary]").input_value()
        assert "王*梅" in summary and "410324199003150018" not in summary
        form.locator("button.primary").click()
        officer.wait_for_selector("text=已办理「发布行政处罚决定公示」")
        section = officer.locator("section#publication")
        assert "已发布" in section.inner_text()
        section.screenshot(path=str(SHOTS / "case_publication_released.png"))

        visitor = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN").new_page()
        visitor.goto(f"{server}/public/")
        visitor.click(f"a:has-text('{AGENCY_NAME}')")
        visitor.wait_for_selector("h1:has-text('行政处罚决定公示')")
        assert visitor.locator("article.record").count() == 2  # the demo's hospital and the person
        visitor.screenshot(path=str(SHOTS / "public_agency.png"), full_page=True)
        visitor.fill("input[name=party]", "张")
        visitor.click("button:has-text('查询')")
        visitor.wait_for_selector("text=清除条件")
        assert visitor.locator("article.record").count() == 1
        record = visitor.locator("article.record").inner_text()
        assert "张*（演示）" in record and "冒名就医" in record
        visitor.screenshot(path=str(SHOTS / "public_search.png"), full_page=True)
        content = visitor.content()
        for secret in PERSON_SECRETS:
            assert secret not in content, secret
        visitor.goto(f"{server}/public/")
        visitor.screenshot(path=str(SHOTS / "public_index.png"))
        assert "/login" not in visitor.url
        browser.close()
