"""账号管理 in Debian's chromium: the head adds a user (a mistake first), hands over the one-time
password; the newcomer is sent to change it; the head disables the account. No page — the case
page and Swagger UI at /docs included — trips the Content-Security-Policy. Screenshots go to
tests/artifacts/web/accounts_*.png for people to look at."""

from __future__ import annotations

import pytest

from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, _log_in, _log_out, server  # noqa: F401

pytestmark = [pytest.mark.browser]

NEW_PASSWORD = "医保基金须依法依规监管"


def test_the_head_adds_a_user_who_changes_the_one_time_password(server: str) -> None:  # noqa: F811
    playwright = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    blocked: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
        shot = lambda name, full=False: page.screenshot(  # noqa: E731
            path=str(ARTIFACTS / f"accounts_{name}.png"), full_page=full)

        _log_in(page, server, "juzhang")
        page.click("nav a:has-text('账号管理')")
        page.wait_for_selector("h1:has-text('账号管理')")
        shot("list", full=True)
        page.click("a:has-text('新增用户')")
        page.fill("#f-full_name", "王芳")
        page.fill("#f-username", "wangfang")
        page.check("input[value='基金监管股·调查岗']")
        page.check("input[value='基金监管股·告知岗']")
        page.fill("#f-credential_number", "豫41032026077")
        page.fill("#f-valid_from", "2026年1月1日")
        page.fill("#f-valid_until", "2030年2月30日")  # a day that does not exist
        page.click("button:has-text('新增用户')")
        page.wait_for_selector(".error-summary")
        assert page.input_value("#f-full_name") == "王芳" and page.is_checked("input[value='基金监管股·告知岗']")
        shot("new_error", full=True)
        page.click(".error-summary a")  # the summary leads to the field
        page.fill("#f-valid_until", "2030年12月31日")
        page.click("button:has-text('新增用户')")
        page.wait_for_selector(".secret")
        password = page.inner_text(".secret").strip()
        shot("one_time_password")
        page.click("a:has-text('返回 王芳 的账号')")
        page.wait_for_selector("h2:has-text('岗位')")
        shot("user", full=True)
        _log_out(page)

        page.goto(f"{server}/login")
        page.fill("input[name=username]", "wangfang")
        page.fill("input[name=password]", password)
        page.click("button.primary")
        page.wait_for_selector("h1:has-text('修改密码')")  # sent here, not to the work list
        assert "/account/password" in page.url
        page.fill("#f-current_password", password)
        page.fill("#f-new_password", "1234567890")  # long enough for the browser, too common for us
        page.fill("#f-repeat_password", "1234567890")
        page.click("button:has-text('修改密码')")
        page.wait_for_selector(".error-summary")
        shot("password_refused")
        page.fill("#f-current_password", password)
        page.fill("#f-new_password", NEW_PASSWORD)
        page.fill("#f-repeat_password", NEW_PASSWORD)
        page.click("button:has-text('修改密码')")
        page.wait_for_selector("text=密码已修改")
        shot("password_changed")
        page.click("a:has-text('继续到我的待办')")
        page.wait_for_selector("h1:has-text('我的待办')")
        _log_out(page)

        _log_in(page, server, "juzhang")
        page.goto(f"{server}/accounts")
        page.click("a:has-text('王芳')")
        page.fill("#f-reason", "调离")
        page.click("button:has-text('停用账号')")
        page.wait_for_selector("text=账号已停用")
        shot("disabled", full=True)

        page.goto(f"{server}/cases")  # a case page with its diagram, forms and the 法定幅度 select
        page.click("td a[href^='/cases/']")
        page.wait_for_selector(".diagram")
        page.goto(f"{server}/docs")
        page.wait_for_selector(".swagger-ui .info")
        # Swagger UI 5 reads OpenAPI 3.1: the operations are listed, not an error.
        page.wait_for_selector(".opblock-summary-path:has-text('/api/cases/{case_no}/transitions/{trigger}')")
        assert "Unable to render this definition" not in page.content()
        shot("docs")
        browser.close()
    assert blocked == []
