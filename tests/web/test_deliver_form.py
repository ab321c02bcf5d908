"""再次送达 on the web: `POST /api/documents/{id}/deliveries` and the 「再次送达」 form of each current
document the procedure serves; the 送达回证 is issued with it and its PDF rendered after the
response; 留置送达 and 公告送达 need what the law asks; the serving post or the 局负责人 only."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.helpers import Org, case_walked_to, events
from tests.web.conftest import case_path, login
from tests.web.test_pages import csrf_of


@pytest.fixture
def decided(engine: Engine, web_org: Org) -> str:
    """A case walked up to the 送达 step of its 行政处罚决定书 (no PDFs rendered)."""
    return case_walked_to(engine, web_org, "serve_decision")


def _docs(client: TestClient, case_no: str) -> list[dict]:  # type: ignore[type-arg]
    return client.get(f"/api/cases/{case_path(case_no)}/documents").json()


def _decision(client: TestClient, case_no: str) -> dict:  # type: ignore[type-arg]
    return next(d for d in _docs(client, case_no) if d["doc_type"] == "penalty_decision")


def _deliver(client: TestClient, csrf: str, doc_id: int, **body: object):  # type: ignore[no-untyped-def]
    return client.post(f"/api/documents/{doc_id}/deliveries", json=body, headers={"X-CSRF-Token": csrf})


def test_the_api_records_a_delivery_with_its_receipt(client: TestClient, engine: Engine, decided: str,
                                                     renders: list[int | None]) -> None:
    csrf = login(client, "songda")
    decision = _decision(client, decided)
    r = _deliver(client, csrf, decision["id"], method="邮寄送达", signed_at="2026-07-11T15:00",
                 recipient="测试医院", server_names=["周送达", "王调查"])
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["method"], body["served_at"], body["recipient"], body["case_no"]) == (
        "邮寄送达", "2026-07-11 15:00", "测试医院", decided)
    assert body["document_id"] == decision["id"]
    assert body["receipt_pdf_url"] == f"/api/documents/{body['receipt_id']}/pdf"
    assert len(renders) == 1  # the 送达回证's PDF: after the response
    receipt = client.get(f"/api/documents/{body['receipt_id']}").json()
    assert receipt["title"] == "送达回证" and receipt["receipt_of"]["id"] == decision["id"]
    assert _decision(client, decided)["deliveries"][-1]["receipt_id"] == body["receipt_id"]
    last = events(engine, decided)[-1]
    assert (last.trigger, last.trigger_name, last.actor_name) == ("deliver_document", "送达行政处罚决定书", "周送达")


def test_the_api_refuses_what_the_law_does_not_allow(client: TestClient, engine: Engine, decided: str,
                                                     renders: list[int | None]) -> None:
    login(client, "songda")
    decision = _decision(client, decided)
    last = events(engine, decided)[-1].seq
    csrf = login(client, "songda")
    r = _deliver(client, csrf, decision["id"], method="留置送达")
    assert r.status_code == 422 and r.json()["code"] == "SERVICE_DETAILS_INVALID"
    assert set(r.json()["details"]) == {"witness", "refusal_reason"}
    r = _deliver(client, csrf, decision["id"], method="公告送达")
    assert r.status_code == 422 and "note" in r.json()["details"]
    r = _deliver(client, csrf, decision["id"], method="飞鸽传书")
    assert r.status_code == 422 and "method" in r.json()["details"]
    r = _deliver(client, csrf, decision["id"], served_at="明天下午")
    assert r.status_code == 422 and "served_at" in r.json()["details"]
    assert client.post(f"/api/documents/{decision['id']}/deliveries", json={}).status_code == 403  # no CSRF
    csrf = login(client, "lian")
    r = _deliver(client, csrf, decision["id"])
    assert r.status_code == 409 and r.json()["code"] == "POST_REQUIRED"
    csrf = login(client, "ps_head")
    r = _deliver(client, csrf, decision["id"])
    assert r.status_code == 404 and r.json()["code"] == "DOCUMENT_NOT_FOUND"
    assert events(engine, decided)[-1].seq == last and renders == []


def test_the_case_page_offers_another_service_of_the_documents_served(client: TestClient, engine: Engine,
                                                                      decided: str,
                                                                      renders: list[int | None]) -> None:
    login(client, "songda")
    docs = _docs(client, decided)
    html = client.get(f"/cases/{case_path(decided)}").text
    section = html[html.index('id="documents"'):html.index("办理记录")]
    action = "/cases/{}/documents/{}/deliveries".format
    decision = next(d for d in docs if d["doc_type"] == "penalty_decision")
    filing = next(d for d in docs if d["title"] == "立案审批表")  # an internal form: never served
    receipt = next(d for d in docs if d["title"] == "送达回证")
    assert f'action="{action(quote(decided), decision["id"])}"' in section
    for d in (filing, receipt):
        assert f'action="{action(quote(decided), d["id"])}"' not in section
    assert ">公告送达</option>" in section and 'name="witness"' in section

    url = action(case_path(decided), decision["id"])
    r = client.post(url, data={"csrf_token": csrf_of(html), "method": "留置送达", "recipient": "测试医院"})
    assert r.status_code == 422
    form = r.text[r.text.index(f'action="{action(quote(decided), decision["id"])}"') - 400:]
    assert '<details class="reissue deliver" open>' in form[:400]
    assert "留置送达须有见证人" in form and 'value="测试医院"' in form and renders == []
    r = client.post(url, follow_redirects=False,
                    data={"csrf_token": csrf_of(html), "method": "留置送达", "served_at": "2026-07-11T15:00",
                          "witness": "村委会李某", "refusal_reason": "当事人拒绝签收"})
    assert r.status_code == 303 and r.headers["location"].endswith("#documents"), r.text
    assert len(renders) == 1
    page = client.get(r.headers["location"]).text
    assert "已办理「送达行政处罚决定书」" in page and "2026-07-11 15:00 留置送达" in page
    assert re.search(r"留置送达<br>测试医院", page)


def test_a_decision_its_step_has_not_served_is_not_offered_for_another_service(
        client: TestClient, engine: Engine, web_org: Org, renders: list[int | None]) -> None:
    no = case_walked_to(engine, web_org, "decide_penalty")
    csrf = login(client, "songda")
    decision = _decision(client, no)
    html = client.get(f"/cases/{case_path(no)}").text
    section = html[html.index('id="documents"'):html.index("办理记录")]
    assert f'/documents/{decision["id"]}/deliveries"' not in section
    assert 'id="step-serve_decision"' in html  # the step is what serves it first
    r = _deliver(client, csrf, decision["id"])
    assert r.status_code == 409 and r.json()["code"] == "DOCUMENT_NOT_YET_SERVED" and renders == []
