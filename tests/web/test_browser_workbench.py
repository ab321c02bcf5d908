"""The workbench in Debian's chromium, as an officer would use it: preview (and print) the 告知书 as a
draft before serving it, find a case by its party's 统一社会信用代码, export the list to Excel, read the
API at /docs. Screenshots go to tests/artifacts/web/."""

from __future__ import annotations

import io
from datetime import timedelta
from urllib.parse import quote

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import Engine

from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, _log_in, _log_out, server  # noqa: F401

pytestmark = [pytest.mark.browser]


def _at_notice(engine: Engine) -> str:
    """A case approved by the head: its 告知书 is issued and served by the next step (送达)."""
    from caseflow.db.base import utcnow
    from caseflow.demo import runner
    from caseflow.demo import scenarios as sc
    from caseflow.demo.walk import Step, walk

    start = utcnow() - timedelta(days=6)
    no = runner._open(engine, by="lian", item=sc.GENERAL_ITEM, title="浏览器测试：告知书草稿",
                      party=runner.PHARMACY, at=start)
    walk(engine, no, [*sc.to_legal_review(start, sc.PHARMACY_FINDING),
                      Step("approve_legal_review", "shencha", start + timedelta(days=4), opinion="同意。"),
                      Step("approve_penalty", "juzhang", start + timedelta(days=5))])
    return no


def test_an_officer_previews_the_notice_finds_by_credit_code_exports_and_reads_the_api(
        server: str, engine: Engine) -> None:  # noqa: F811 — the fixture imported above
    playwright = pytest.importorskip("playwright.sync_api")
    from caseflow.demo import runner

    no = _at_notice(engine)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN", accept_downloads=True)
        _log_in(page, server, "gaozhi")
        page.goto(f"{server}/cases/{quote(no)}")
        assert page.locator(".next-step").inner_text().startswith("下一步：")
        form = page.locator("form#step-serve_notice")
        form.locator("input[name=recipient]").fill("孙某（法定代表人）")
        page.screenshot(path=str(ARTIFACTS / "workbench_draft_form.png"))
        # The draft opens in a new tab (formtarget=_blank), ready to print; headless chromium hands a
        # PDF to its viewer, so the test asks for the same form again to read what the tab got.
        with page.context.expect_event("request", lambda r: r.url.endswith("/actions/serve_notice/draft")) as sent:
            form.locator("button:has-text('预览草稿')").click()
        again = page.context.request.post(sent.value.url, data=sent.value.post_data,
                                          headers={"Content-Type": sent.value.headers["content-type"]})
        assert again.status == 200 and again.headers["content-type"] == "application/pdf"
        pdf = again.body()
        text = "".join(pg.extract_text() for pg in PdfReader(io.BytesIO(pdf)).pages).replace(" ", "")
        assert "草\u3000稿" in text or "草稿" in text.replace("\u3000", "")
        assert "孙某（法定代表人）" in text and "文号于出具时编定" in text
        page.goto(f"{server}/cases/{quote(no)}")  # nothing was served: the step still waits
        assert page.locator("form#step-serve_notice").count() == 1

        page.goto(f"{server}/cases")
        page.fill("input[name=q]", runner.PHARMACY["uscc"].lower())  # typed as it comes
        page.click("form.filters button.primary")
        page.wait_for_selector(f"td a:has-text('{no}')")
        page.screenshot(path=str(ARTIFACTS / "workbench_search.png"))
        with page.expect_download() as download:
            page.click("a:has-text('导出 Excel')")
        assert download.value.suggested_filename.endswith(".xlsx")
        with open(download.value.path(), "rb") as f:
            rows = list(load_workbook(io.BytesIO(f.read())).active.iter_rows(values_only=True))
        assert rows[0][0] == "案号" and no in [r[0] for r in rows[1:]]

        page.goto(f"{server}/docs")
        page.wait_for_selector(".opblock-summary-path:has-text('/api/cases/{case_no}/transitions/{trigger}/draft')")
        _log_out_if_possible(page, server)
        browser.close()


def _log_out_if_possible(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/")
    if page.locator("header .who button").count():
        _log_out(page)
