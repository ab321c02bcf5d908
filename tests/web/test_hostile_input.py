"""What the independent test sent to end in a 500 now gets a clear refusal with a code: ids out of
range, digits that are not ASCII, NUL bytes and bad UTF-8 in paths and queries, impossible dates,
non-finite amounts, objects for strings, unpaired surrogates, a calculator start of 9999-12-31."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.helpers import Org, events, open_case
from tests.web.conftest import case_path, login


@pytest.mark.parametrize("path", [
    "/api/cases/99999999999999999999", "/api/cases/9223372036854775808", "/api/cases/²", "/api/cases/%C2%B2",
    "/api/documents/9223372036854775808", "/api/documents/99999999999999999999/pdf", "/api/cases?offset=9223372036854775808",
    "/api/cases/%00", "/api/cases?q=%00", "/api/cases/%FF", "/cases/%00", "/cases?offset=9223372036854775808",
    "/api/legal-time/due?start=9999-12-31&period=7工作日", "/api/legal-time/due?start=2026-02-30&period=7日",
    "/legal-time?start=9999-12-31&period=7工作日", "/api/cases/" + "长" * 5000,
])
def test_ids_and_queries_out_of_range_are_refused_not_a_500(client: TestClient, web_org: Org, path: str) -> None:
    login(client, "juzhang")
    r = client.get(path)
    assert 400 <= r.status_code < 500, (path, r.status_code, r.text[:300])
    if path.startswith("/api"):
        assert r.json()["code"] and r.json()["message"]


@pytest.mark.parametrize("payload", [
    {"facts": "事实", "violation_from": "2026-02-30"},
    {"facts": "事实", "violation_from": "tomorrow"},
    {"facts": "事实", "amount_involved": "NaN"},
    {"facts": "事实", "amount_involved": "Infinity"},
    {"facts": "事实", "amount_involved": "1" * 40},
    {"facts": {"text": "事实"}},
    {"facts": "事实\ud800"},
    {"facts": "事实\x00"},
    {"facts": "长" * 20001},
])
def test_step_payloads_that_broke_the_server_are_refused_field_by_field(
        client: TestClient, engine: Engine, web_org: Org, payload: dict) -> None:
    no = open_case(engine, web_org)
    csrf = login(client, "lian")
    body = json.dumps({"payload": payload}, ensure_ascii=True)  # \ud800 travels as JSON's escape
    r = client.post(f"/api/cases/{case_path(no)}/transitions/submit_filing", content=body,
                    headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["code"] == "INVALID_INPUT", r.text
    assert set(r.json()["details"]) <= set(payload)
    assert events(engine, no)[-1].trigger != "submit_filing"


def test_an_opinion_or_a_body_field_with_nul_or_surrogates_is_refused(client: TestClient, engine: Engine,
                                                                     web_org: Org) -> None:
    no = open_case(engine, web_org)
    csrf = login(client, "lian")
    for body in ({"payload": {"facts": "事实"}, "opinion": "意见\x00"},
                 {"payload": {"facts": "事实"}, "opinion": "意见\ud800"},
                 {"payload": {"facts": "事实"}, "expected_version": True},
                 {"payload": {"facts": "事实"}, "actor": "张局长"}):
        r = client.post(f"/api/cases/{case_path(no)}/transitions/submit_filing",
                        content=json.dumps(body, ensure_ascii=True),
                        headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"})
        assert r.status_code == 422 and r.json()["code"] == "INVALID_INPUT", (body, r.text)
    r = client.post("/api/cases", content=json.dumps({"item_key": "004-05", "title": "测\ud800", "party": {
        "kind": "individual", "name": "张\x00三", "address": "栾川县", "id_number": "x"}}, ensure_ascii=True),
        headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"})
    assert r.status_code == 422 and {"title", "party.name"} <= set(r.json()["details"]), r.text


def test_an_html_form_with_an_impossible_date_is_refused_on_the_page(client: TestClient, engine: Engine,
                                                                    web_org: Org) -> None:
    no = open_case(engine, web_org)
    login(client, "lian")
    page = client.get(f"/cases/{case_path(no)}").text
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    r = client.post(f"/cases/{case_path(no)}/actions/submit_filing",
                    data={"csrf_token": csrf, "facts": "事实", "violation_from": "2026-02-30"})
    assert r.status_code == 422 and "2026年2月30日不存在" in r.text


def test_a_blank_finding_of_facts_is_refused_at_the_conclusion(client: TestClient, engine: Engine,
                                                               web_org: Org) -> None:
    from tests.helpers import Runner, through, walk

    no = open_case(engine, web_org)
    runner = Runner(engine, web_org, reload=False)
    walk(runner, no, through("record_inquiry"))
    runner.close()
    conclude = through("conclude_investigation")[-1]
    csrf = login(client, "diaocha1")
    r = client.post(f"/api/cases/{case_path(no)}/transitions/conclude_investigation",
                    json={"payload": {**conclude.payload, "facts": "   "}}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 422 and r.json()["details"] == {"facts": "必填"}, r.text
    assert events(engine, no)[-1].trigger == "record_inquiry"
