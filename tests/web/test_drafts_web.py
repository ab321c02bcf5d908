"""The step form's 「预览草稿」 and the API's draft: a printable PDF of what the step would issue, with
the values typed so far; nothing kept."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import Engine

from tests.helpers import FULL_PATH, Org, Runner, events, open_case, through, walk
from tests.web.conftest import case_path, login
from tests.web.test_pages import csrf_of


def _at_notice(engine: Engine, web_org: Org) -> str:
    runner = Runner(engine, web_org, reload=False)
    no = open_case(engine, web_org)
    walk(runner, no, through("serve_notice", FULL_PATH)[:-1])
    runner.close()
    return no


def _text(pdf: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace(" ", "").replace("\u3000", "")


def test_the_officer_previews_and_prints_the_notice_before_serving_it(client: TestClient, engine: Engine,
                                                                      web_org: Org) -> None:
    no = _at_notice(engine, web_org)
    login(client, "gaozhi")
    page = client.get(f"/cases/{case_path(no)}").text
    form = page[page.index('id="step-serve_notice"'):]
    form = form[:form.index("</form>")]
    assert "预览草稿" in form and f'formaction="/cases/{case_path(no)}/actions/serve_notice/draft"' in form
    before = len(events(engine, no))
    r = client.post(f"/cases/{case_path(no)}/actions/serve_notice/draft",
                    data={"csrf_token": csrf_of(page), "method": "直接送达", "recipient": "刘某（法定代表人）"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"].startswith("inline;") and "no-store" in r.headers["cache-control"]
    text = _text(r.content)
    assert "草稿" in text and "文号于出具时编定" in text and "送达回证" in text and "刘某（法定代表人）" in text
    assert len(events(engine, no)) == before  # nothing kept


def test_the_api_drafts_too_and_a_refused_step_has_no_draft(client: TestClient, engine: Engine, web_org: Org) -> None:
    no = _at_notice(engine, web_org)
    csrf = login(client, "gaozhi")
    r = client.post(f"/api/cases/{case_path(no)}/transitions/serve_notice/draft",
                    json={"payload": {"method": "直接送达"}}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200 and "草稿" in _text(r.content)
    csrf = login(client, "lian")
    r = client.post(f"/api/cases/{case_path(no)}/transitions/serve_notice/draft",
                    json={"payload": {"method": "直接送达"}}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 409 and r.json()["code"] == "POST_REQUIRED"

