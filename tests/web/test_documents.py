"""执法文书 on the web: the case's documents (every version, their service), one document's metadata
and PDF, a correction as a new version, the documents a step issued, their PDFs rendered after the
response, and the 执法文书 table of the case page. Another agency's documents are simply not there.

PDF renders take ≈0.3 s each, so most tests replace the background renderer with a recorder
(`renders`); one test per path lets the real one run on a single document.
"""

from __future__ import annotations

import hashlib
import inspect
import io
import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import Engine

from caseflow.demo.scenarios import FULL_PATH
from tests.helpers import Org, Runner, events, open_case, through, walk
from tests.web.conftest import case_path, login

NUMBERS = ["栾医保审核〔2026〕1号", "栾医保听告〔2026〕1号", "栾医保听通〔2026〕1号", "栾医保罚决〔2026〕1号"]
DECISION_NO = "栾医保罚决〔2026〕1号"


@pytest.fixture
def decided(engine: Engine, web_org: Org) -> str:
    """A case walked (through the services, no PDFs rendered) up to its 行政处罚决定书."""
    no = open_case(engine, web_org)
    runner = Runner(engine, web_org, reload=True)
    walk(runner, no, through("decide_penalty"))
    runner.close()
    return no


def _documents(client: TestClient, case_no: str) -> list[dict]:  # type: ignore[type-arg]
    r = client.get(f"/api/cases/{case_path(case_no)}/documents")
    assert r.status_code == 200, r.text
    return r.json()


def _decision(client: TestClient, case_no: str) -> dict:  # type: ignore[type-arg]
    return next(d for d in _documents(client, case_no) if d["doc_type"] == "penalty_decision")


def _case_id(engine: Engine, case_no: str) -> int:
    from caseflow.cases.service import get_case
    from caseflow.db.session import unit_of_work

    with unit_of_work(engine, write=False) as s:
        return get_case(db_session=s, case_no=case_no).id


def test_the_list_shows_every_document_with_its_number_and_service(client: TestClient, decided: str) -> None:
    login(client, "diaocha1")
    docs = _documents(client, decided)
    assert [d["doc_no"] for d in docs if d["doc_no"]] == NUMBERS
    assert [d["title"] for d in docs][:5] == ["立案审批表", "现场检查笔录", "询问笔录", "证据清单", "法制审核意见书"]
    assert all(d["pdf_url"] == f"/api/documents/{d['id']}/pdf" for d in docs)
    assert all(d["status"] == "pending" and d["status_name"] == "待生成PDF" for d in docs)  # nothing rendered yet
    notice = next(d for d in docs if d["doc_no"] == "栾医保听告〔2026〕1号")
    (served,) = notice["deliveries"]
    assert served["method"] == "直接送达" and served["served_at"] == "2026-06-15 09:00"
    receipt = next(d for d in docs if d["id"] == served["receipt_id"])
    assert served["receipt_pdf_url"] == f"/api/documents/{receipt['id']}/pdf"
    assert receipt["title"] == "送达回证" and receipt["receipt_of"]["doc_no"] == "栾医保听告〔2026〕1号"
    assert _decision(client, decided)["superseded_by"] is None


def test_the_pdf_is_rendered_on_first_download_and_served_with_its_sha256(client: TestClient,
                                                                          decided: str) -> None:
    login(client, "diaocha1")
    decision = _decision(client, decided)
    r = client.get(decision["pdf_url"])
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and len(PdfReader(io.BytesIO(r.content)).pages) >= 1
    digest = hashlib.sha256(r.content).hexdigest()
    assert r.headers["x-content-sha256"] == digest
    name = quote(f"行政处罚决定书{DECISION_NO}.pdf", safe="")
    assert r.headers["content-disposition"] == f"inline; filename*=UTF-8''{name}"
    meta = client.get(f"/api/documents/{decision['id']}").json()
    assert (meta["status"], meta["sha256"], meta["size"]) == ("rendered", digest, len(r.content))
    assert meta["case_no"] == decided and meta["doc_no"] == DECISION_NO
    again = client.get(decision["pdf_url"])  # the stored file, not a new rendering
    assert again.content == r.content and again.headers["x-content-sha256"] == digest


def test_another_agency_finds_neither_the_documents_nor_their_pdfs(client: TestClient, decided: str) -> None:
    login(client, "diaocha1")
    decision = _decision(client, decided)
    csrf = login(client, "ps_head")
    assert client.get(f"/api/cases/{case_path(decided)}/documents").status_code == 404
    for path in (f"/api/documents/{decision['id']}", decision["pdf_url"]):
        r = client.get(path)
        assert r.status_code == 404 and r.json()["code"] == "DOCUMENT_NOT_FOUND", (path, r.text)
    r = client.post(f"/api/documents/{decision['id']}/reissue", json={"reason": "笔误"},
                    headers={"X-CSRF-Token": csrf})
    assert r.status_code == 404 and r.json()["code"] == "DOCUMENT_NOT_FOUND"
    assert client.get("/api/documents/999999").status_code == 404


def test_a_correction_is_a_new_version_with_the_same_number(client: TestClient, engine: Engine, decided: str,
                                                            renders: list[int | None]) -> None:
    csrf = login(client, "lian")
    decision = _decision(client, decided)
    url = f"/api/documents/{decision['id']}/reissue"
    r = client.post(url, json={"reason": "笔误"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 409 and r.json()["code"] == "POST_REQUIRED", r.text
    csrf = login(client, "jueding")
    r = client.post(url, json={"reason": "  "}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 422 and r.json()["details"] == {"reason": "不能为空"}
    r = client.post(url, json={"reason": "笔误", "corrections": ["facts"]}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 422 and "corrections" in r.json()["details"]
    assert client.post(url, json={"reason": "笔误"}).status_code == 403  # cookie without CSRF
    assert renders == []

    r = client.post(url, json={"reason": "违法事实表述笔误", "corrections": {"facts": "更正后的违法事实。"}},
                    headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201, r.text
    new = r.json()
    assert (new["doc_no"], new["version"], new["supersedes_id"]) == (DECISION_NO, 2, decision["id"])
    assert (new["reason"], new["issued_by"], new["trigger"]) == ("违法事实表述笔误", "孙决定", "reissue_document")
    assert new["pdf_url"] == f"/api/documents/{new['id']}/pdf" and new["case_no"] == decided
    assert renders == [_case_id(engine, decided)]  # its PDF: rendered after the response
    last = events(engine, decided)[-1]
    assert (last.trigger, last.actor_name, last.opinion) == ("reissue_document", "孙决定", "违法事实表述笔误")

    old = client.get(f"/api/documents/{decision['id']}").json()
    assert old["superseded_by"] == {"id": new["id"], "version": 2}
    r = client.post(url, json={"reason": "再改"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 409 and r.json()["code"] == "DOCUMENT_SUPERSEDED"


def test_a_step_returns_its_documents_and_renders_them_after_the_response(client: TestClient, engine: Engine,
                                                                          web_org: Org) -> None:
    no = open_case(engine, web_org)
    r = client.post(f"/api/cases/{case_path(no)}/transitions/submit_filing",
                    headers={"X-CSRF-Token": login(client, "lian")},
                    json={"payload": {"facts": "线索反映的违法事实。"}})
    assert r.status_code == 200 and r.json()["documents"] == []
    r = client.post(f"/api/cases/{case_path(no)}/transitions/approve_filing",
                    headers={"X-CSRF-Token": login(client, "juzhang")}, json={})
    assert r.status_code == 200, r.text
    body = r.json()
    (issued,) = body["documents"]
    assert issued["title"] == "立案审批表" and issued["doc_no"] is None
    assert issued["status"] == "pending"  # the response did not wait for the PDF …
    assert issued["pdf_url"] == f"/api/documents/{issued['id']}/pdf"
    assert events(engine, no)[-1].seq == body["event_seq"]
    meta = client.get(f"/api/documents/{issued['id']}").json()
    assert meta["status"] == "rendered" and len(meta["sha256"]) == 64  # … the background task made it


def test_a_step_taken_with_the_page_form_renders_its_pdfs_afterwards(client: TestClient, engine: Engine,
                                                                      web_org: Org,
                                                                      renders: list[int | None]) -> None:
    no = open_case(engine, web_org)
    runner = Runner(engine, web_org, reload=True)
    walk(runner, no, through("submit_filing"))
    login(client, "juzhang")
    html = client.get(f"/cases/{case_path(no)}").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    r = client.post(f"/cases/{case_path(no)}/actions/approve_filing", data={"csrf_token": csrf},
                    follow_redirects=False)
    assert r.status_code == 303
    assert renders == [_case_id(engine, no)]
    page = client.get(r.headers["location"]).text
    assert "立案审批表" in page and "待生成PDF" in page  # the recorder rendered nothing


def test_the_case_page_lists_the_documents_and_corrects_them_in_place(client: TestClient, engine: Engine,
                                                                      decided: str,
                                                                      renders: list[int | None]) -> None:
    login(client, "jueding")
    decision = _decision(client, decided)
    html = client.get(f"/cases/{case_path(decided)}").text
    section = html[html.index('id="documents"'):html.index("办理记录")]
    for number in NUMBERS:
        assert number in section
    assert f'href="/api/documents/{decision["id"]}/pdf" target="_blank"' in section
    receipt_id = next(d for d in _documents(client, decided) if d["title"] == "送达回证")["id"]
    assert f'href="/api/documents/{receipt_id}/pdf"' in section and "直接送达" in section
    action = f'/cases/{quote(decided)}/documents/{decision["id"]}/reissue'
    assert f'action="{action}"' in section and "执法文书功能即将接入" not in html

    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    form = section[section.index(f'action="{action}"'):]
    form = form[:form.index("</form>")]
    assert 'name="c.facts"' in form and "JSON" not in form  # the document's own fields, as they read now
    assert 'name="c.parties.0.address"' in form and 'name="c.case' not in form
    r = client.post(action, data={"csrf_token": csrf, "reason": "笔误", "c.facts": "违法\x00事实"})
    assert r.status_code == 422 and "不可见的控制字符" in r.text
    assert '<details class="reissue" open>' in r.text  # the form stays open, with the message
    r = client.post(action, data={"csrf_token": csrf, "reason": "违法事实表述笔误",
                                  "c.facts": "更正后的违法事实。"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("#documents")
    assert renders == [_case_id(engine, decided)]
    page = client.get(r.headers["location"]).text
    assert "已办理「更正行政处罚决定书」" in page and "已被第2版更正" in page and "更正理由：违法事实表述笔误" in page

    login(client, "lian")  # without the post: refused in place, with the rule's reason
    html = client.get(f"/cases/{case_path(decided)}").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    current = next(d for d in _documents(client, decided)
                   if d["doc_type"] == "penalty_decision" and d["version"] == 2)
    r = client.post(f'/cases/{quote(decided)}/documents/{current["id"]}/reissue',
                    data={"csrf_token": csrf, "reason": "再改"})
    assert r.status_code == 409 and "POST_REQUIRED" in r.text and "再改" in r.text


def test_pdf_and_correction_routes_run_in_the_threadpool() -> None:
    """Rendering is CPU-bound: those endpoints must be plain functions (FastAPI runs them in its
    threadpool), not coroutines that would hold the event loop."""
    from caseflow.web.routes import api_documents, pages_case

    for endpoint in (api_documents.document_pdf, api_documents.reissue):
        assert not inspect.iscoroutinefunction(endpoint), endpoint.__name__
    # The page's 更正 reads its form asynchronously and runs the service in the threadpool.
    assert "run_in_threadpool" in inspect.getsource(pages_case.reissue)


def test_the_archived_case_offers_no_correction(client: TestClient, engine: Engine, web_org: Org) -> None:
    no = open_case(engine, web_org)
    runner = Runner(engine, web_org, reload=True)
    walk(runner, no, FULL_PATH)
    login(client, "juzhang")
    html = client.get(f"/cases/{case_path(no)}").text
    assert DECISION_NO in html and "案件已归档，文书不得更正" in html and 'class="reissue"' not in html


def test_a_document_is_viewed_inline_or_downloaded_as_a_file(client: TestClient, engine: Engine, decided: str) -> None:
    login(client, "jueding")
    decision = _decision(client, decided)
    assert client.get(decision["pdf_url"]).headers["content-disposition"].startswith("inline;")
    saved = client.get(decision["pdf_url"], params={"download": "true"})
    assert saved.status_code == 200 and saved.headers["content-disposition"].startswith("attachment;")
    page = client.get(f"/cases/{case_path(decided)}").text
    assert f'href="{decision["pdf_url"]}?download=true" download' in page and ">查看</a>" in page
