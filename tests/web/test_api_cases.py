"""The case API: the same service calls as the CLI, errors translated, the agency enforced."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from caseflow.demo.scenarios import FRAUD_BASIS_FINE
from tests.helpers import Org, events, open_case
from tests.web.conftest import case_path, login

FACTS = {"facts": "线索反映的违法事实。"}


def fire(client: TestClient, csrf: str, case_no: str, trigger: str, **body: object):  # type: ignore[no-untyped-def]
    return client.post(f"/api/cases/{case_path(case_no)}/transitions/{trigger}", json=body,
                       headers={"X-CSRF-Token": csrf})


def test_a_step_records_the_signed_in_user_whatever_the_body_says(client: TestClient, engine: Engine,
                                                                 web_org: Org) -> None:
    no = open_case(engine, web_org)
    csrf = login(client, "lian")
    r = fire(client, csrf, no, "submit_filing",
             payload={"source": "举报", "facts": "线索反映的违法事实。", "actor_id": web_org.users["juzhang"], "actor": "张局长"})
    assert r.status_code == 422 and r.json()["code"] == "INVALID_INPUT"  # who acts is never taken from the body
    assert set(r.json()["details"]) == {"actor_id", "actor"}
    assert events(engine, no)[-1].trigger != "submit_filing"
    r = fire(client, csrf, no, "submit_filing", payload={"source": "举报", "facts": "线索反映的违法事实。"})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "filing_approval" and r.json()["state_name"] == "立案审批"
    last = events(engine, no)[-1]
    assert last.trigger == "submit_filing"
    assert last.actor_id == web_org.users["lian"] and last.actor_name == "李立安"


def test_cookie_call_without_csrf_header_is_refused(client: TestClient, engine: Engine, web_org: Org) -> None:
    no = open_case(engine, web_org)
    login(client, "lian")
    r = client.post(f"/api/cases/{case_path(no)}/transitions/submit_filing", json={"payload": {}})
    assert r.status_code == 403 and r.json()["code"] == "CSRF_REFUSED"
    r = client.post(f"/api/cases/{case_path(no)}/transitions/submit_filing", json={"payload": {}},
                    headers={"X-CSRF-Token": "forged"})
    assert r.status_code == 403
    assert events(engine, no)[-1].trigger != "submit_filing"


def test_refused_step_is_409_with_the_rule_code(client: TestClient, engine: Engine, web_org: Org) -> None:
    no = open_case(engine, web_org)
    csrf = login(client, "lian")
    assert fire(client, csrf, no, "submit_filing", payload=FACTS).status_code == 200
    r = fire(client, csrf, no, "approve_filing")
    assert r.status_code == 409
    assert r.json()["code"] == "POST_REQUIRED" and "局负责人" in r.json()["message"]
    csrf = login(client, "juzhang")
    r = fire(client, csrf, no, "reject_filing")
    assert r.status_code == 409 and r.json()["code"] == "OPINION_REQUIRED"


def test_stale_version_is_a_409_conflict_asking_to_reload(client: TestClient, engine: Engine,
                                                          web_org: Org) -> None:
    no = open_case(engine, web_org)
    csrf = login(client, "lian")
    seen = client.get(f"/api/cases/{case_path(no)}").json()["version"]
    assert fire(client, csrf, no, "submit_filing", payload=FACTS, expected_version=seen).status_code == 200
    csrf = login(client, "juzhang")
    r = fire(client, csrf, no, "approve_filing", expected_version=seen)
    assert r.status_code == 409
    body = r.json()
    assert body["code"] == "CASE_CONFLICT" and body["reload"] is True and "刷新" in body["message"]


def test_bad_penalties_are_422_field_by_field(client: TestClient, engine: Engine, web_org: Org) -> None:
    no = open_case(engine, web_org)
    for user, trigger, payload in (("lian", "submit_filing", FACTS), ("juzhang", "approve_filing", {}),
                                   ("diaocha1", "start_investigation", {})):
        assert fire(client, login(client, user), no, trigger, payload=payload).status_code == 200
    r = fire(client, login(client, "diaocha1"), no, "conclude_investigation", payload={
        "facts": "事实", "amount_defrauded": "1000.00",
        "penalties": [{"kind": "罚款", "amount": "abc", "basis": FRAUD_BASIS_FINE}]})
    assert r.status_code == 422
    assert r.json()["details"] == {"penalties[0].amount": "金额须为数字（单位：元），如 12,680.50"}


def test_register_case_checks_the_party_field_by_field(client: TestClient, web_org: Org) -> None:
    csrf = login(client, "lian")
    body = {"item_key": "004-05", "title": "测试", "officers": [{"username": "diaocha1", "role": "lead"}],
            "party": {"kind": "organisation", "name": "某医院", "address": "栾川县",
                      "uscc": "91410324MA47T3Q8WX", "legal_representative": "刘某"}}
    r = client.post("/api/cases", json=body, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 422
    assert set(r.json()["details"]) == {"party.uscc"}
    assert r.json()["details"]["party.uscc"] == "统一社会信用代码校验位不正确"
    body["party"]["uscc"] = "91410324MA47T3Q8WY"
    r = client.post("/api/cases", json=body, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201, r.text
    assert r.json()["state_name"] == "线索登记"
    listed = client.get("/api/cases", params={"officer": "diaocha1"}).json()
    assert listed["total"] == 1 and listed["items"][0]["lead_officer"] == "王调查"


def test_malformed_body_is_422_in_chinese(client: TestClient, web_org: Org) -> None:
    csrf = login(client, "lian")
    r = client.post("/api/cases", json={"title": 5}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 422
    details = r.json()["details"]
    assert details["item_key"] == "必填" and details["party"] == "必填"


def test_another_agencys_case_is_404_everywhere(client: TestClient, engine: Engine, web_org: Org) -> None:
    no = open_case(engine, web_org)
    csrf = login(client, "ps_head")
    assert client.get(f"/api/cases/{case_path(no)}").status_code == 404
    assert client.get(f"/cases/{case_path(no)}").status_code == 404
    r = fire(client, csrf, no, "submit_filing")
    assert r.status_code == 404 and r.json()["code"] == "NOT_FOUND"
    assert client.get("/api/cases").json()["total"] == 0
    assert events(engine, no)[-1].trigger != "submit_filing"


def test_lists_deadlines_catalog_and_legal_time(client: TestClient, engine: Engine, web_org: Org) -> None:
    open_case(engine, web_org)
    login(client, "juzhang")
    assert client.get("/api/cases", params={"state": "clue_registered"}).json()["total"] == 1
    late = client.get("/api/cases", params={"overdue": True}).json()["total"]
    on_time = client.get("/api/cases", params={"overdue": False}).json()["total"]
    assert late + on_time == 1
    assert client.get("/api/deadlines", params={"status": "overdue"}).status_code == 200
    items = client.get("/api/catalog/items", params={"q": "骗取"}).json()
    assert items and all(i["agency"] == "栾川县医疗保障局" for i in items)
    r = client.get("/api/legal-time/due", params={"start": "2026-09-30", "period": "7工作日"})
    assert r.status_code == 200 and r.json()["reasoning"]
    r = client.get("/api/legal-time/due", params={"start": "明天", "period": "7工作日"})
    assert r.status_code == 422 and "start" in r.json()["details"]
    assert client.get("/docs").status_code == 200


def test_a_known_credit_code_under_another_name_is_confirmed_not_silently_reused(
        client: TestClient, engine: Engine, web_org: Org) -> None:
    csrf = login(client, "lian")
    party = {"kind": "organisation", "name": "某医院", "address": "栾川县", "uscc": "91410324MA47T3Q8WY",
             "legal_representative": "刘某"}
    body = {"item_key": "004-05", "title": "测试", "officers": [{"username": "diaocha1", "role": "lead"}],
            "party": party}
    assert client.post("/api/cases", json=body, headers={"X-CSRF-Token": csrf}).status_code == 201
    renamed = {**body, "party": {**party, "name": "某医院有限公司"}}
    r = client.post("/api/cases", json=renamed, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 422 and r.json()["code"] == "PARTY_NAME_DIFFERS"
    assert "已登记为「某医院」" in r.json()["message"] and "party.name_change" in r.json()["details"]
    # The registered name stands: the case is opened for 某医院.
    r = client.post("/api/cases", json={**renamed, "party": {**renamed["party"], "name_change": "registered"}},
                    headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201
    assert client.get(f"/api/cases/{case_path(r.json()['case_no'])}").json()["parties"][0]["name"] == "某医院"
    # The party changed its name: the record takes the new one and the opening event keeps the old.
    r = client.post("/api/cases", json={**renamed, "party": {**renamed["party"], "name_change": "typed"}},
                    headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201
    assert client.get(f"/api/cases/{case_path(r.json()['case_no'])}").json()["parties"][0]["name"] == "某医院有限公司"
    assert events(engine, r.json()["case_no"])[0].payload["party_renamed_from"] == "某医院"
