"""承办人员 on the web: the API to replace an officer and to decide a 回避申请 (the signed-in 局负责人
only; 404 for another agency; 409 with the rule's code; 422 field by field), the 「承办人员」 section
of the case page with the head's forms and their errors in place; and opening a case page reads the
viewer's own unread alerts of that case, nobody else's."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from caseflow.alerts import inbox as alert_inbox
from caseflow.alerts.sweep import sweep
from caseflow.db.session import unit_of_work
from tests.helpers import Org, Runner, events, open_case, sh, through, walk
from tests.web.conftest import case_path, login
from tests.web.test_alert_inbox import nav_count
from tests.web.test_pages import csrf_of

REPLACE = {"remove": "diaocha1", "add": "gaozhi", "reason": "工作调动"}
RECUSAL = {"officer": "diaocha1", "applicant": "测试医院", "decision": "granted", "reason": "系当事人法定代表人近亲属",
           "replacement": "gaozhi"}


def post(client: TestClient, csrf: str, case_no: str, what: str,  # type: ignore[no-untyped-def]
         body: dict[str, object]):
    return client.post(f"/api/cases/{case_path(case_no)}/{what}", json=body, headers={"X-CSRF-Token": csrf})


def test_the_head_replaces_an_officer_through_the_api(client: TestClient, engine: Engine,
                                                      web_org: Org) -> None:
    no = open_case(engine, web_org)
    csrf = login(client, "juzhang")
    r = post(client, csrf, no, "officers/replace", REPLACE)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["step"] == "更换承办人员" and body["case_no"] == no
    assert [(o["username"], o["role"], o["removed"]) for o in body["officers"]] == [
        ("diaocha1", "承办人", True), ("diaocha2", "协办人", False), ("gaozhi", "承办人", False)]
    assert body["officers"][0]["removed_reason"] == "更换承办人员：工作调动"
    decided = next(e for e in events(engine, no) if e.seq == body["event_seq"])
    assert decided.actor_id == web_org.users["juzhang"] and decided.trigger == "replace_officer"
    assert client.get(f"/api/cases/{case_path(no)}").json()["officers"] == body["officers"]


def test_api_refusals_carry_the_rule_code_and_change_nothing(client: TestClient, engine: Engine,
                                                             web_org: Org) -> None:
    no = open_case(engine, web_org)
    last = events(engine, no)[-1].seq
    csrf = login(client, "lian")
    for what, body in (("officers/replace", REPLACE), ("recusals", RECUSAL)):
        r = post(client, csrf, no, what, body)
        assert r.status_code == 409 and r.json()["code"] == "POST_REQUIRED", r.text
        assert "局负责人" in r.json()["message"]
    csrf = login(client, "ps_head")  # another agency's head: the case is not there
    for what, body in (("officers/replace", REPLACE), ("recusals", RECUSAL)):
        r = post(client, csrf, no, what, body)
        assert r.status_code == 404 and r.json()["code"] == "NOT_FOUND"
    csrf = login(client, "juzhang")
    r = post(client, csrf, no, "officers/replace", {"remove": "diaocha2", "reason": "调岗"})
    assert r.status_code == 409 and r.json()["code"] == "OFFICERS_BELOW_MINIMUM"
    assert r.json()["details"] == {"add": "须指定接替人员"}
    r = post(client, csrf, no, "recusals", {**RECUSAL, "replacement": None})
    assert r.status_code == 409 and r.json()["code"] == "OFFICERS_BELOW_MINIMUM"
    r = post(client, csrf, no, "officers/replace", {**REPLACE, "expected_version": 1})
    assert r.status_code == 409 and r.json()["code"] == "CASE_CONFLICT" and r.json()["reload"] is True
    assert client.post(f"/api/cases/{case_path(no)}/officers/replace", json=REPLACE).status_code == 403
    assert events(engine, no)[-1].seq == last


def test_api_bad_input_is_422_field_by_field(client: TestClient, engine: Engine, web_org: Org) -> None:
    no = open_case(engine, web_org)
    csrf = login(client, "juzhang")
    r = post(client, csrf, no, "officers/replace", {**REPLACE, "reason": " "})
    assert r.status_code == 422 and r.json()["details"] == {"reason": "不能为空"}
    r = post(client, csrf, no, "officers/replace", {"add": "gaozhi"})
    assert r.status_code == 422 and r.json()["details"] == {"remove": "必填", "reason": "必填"}
    r = post(client, csrf, no, "recusals", {**RECUSAL, "applicant": "某某"})
    assert r.status_code == 422 and r.json()["details"] == {"applicant": "须为本案当事人"}
    r = post(client, csrf, no, "recusals", {**RECUSAL, "decision": "maybe"})
    assert r.status_code == 422 and "decision" in r.json()["details"]
    r = post(client, csrf, no, "recusals", {**RECUSAL, "officer": "songda"})
    assert r.status_code == 422 and r.json()["details"] == {"officer": "不是本案在办的承办人员"}


def test_a_granted_recusal_stops_the_officer_and_a_refused_one_is_only_recorded(
        client: TestClient, engine: Engine, web_org: Org) -> None:
    no = open_case(engine, web_org)
    runner = Runner(engine, web_org, reload=True)
    walk(runner, no, through("approve_filing"))
    csrf = login(client, "juzhang")
    r = post(client, csrf, no, "recusals", {**RECUSAL, "officer": "diaocha2", "decision": "refused",
                                            "replacement": None, "reason": "申请理由不成立"})
    assert r.status_code == 200 and r.json()["step"] == "驳回回避申请", r.text
    assert [o["removed"] for o in r.json()["officers"]] == [False, False]
    r = post(client, csrf, no, "recusals", RECUSAL)
    assert r.status_code == 200 and r.json()["step"] == "决定回避", r.text
    state = r.json()
    detail = client.get(f"/api/cases/{case_path(no)}").json()
    assert detail["state"] == "investigation" and detail["version"] == state["version"]

    csrf = login(client, "diaocha1")
    r = client.post(f"/api/cases/{case_path(no)}/transitions/start_investigation",
                    json={"payload": {"credentials_shown": ["豫41032026002"]}}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 409 and r.json()["code"] == "ACTOR_RECUSED", r.text
    csrf = login(client, "diaocha2")
    r = client.post(f"/api/cases/{case_path(no)}/transitions/start_investigation",
                    json={"payload": {"credentials_shown": ["豫41032026003"]}}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200, r.text
    runner.close()


# ── the case page ────────────────────────────────────────────────────────
def _officers_section(html: str) -> str:
    return html[html.index('id="officers"'):html.index("案情与处罚")]


def test_the_officer_section_shows_everyone_and_the_forms_only_to_the_head(client: TestClient, engine: Engine,
                                                                           web_org: Org) -> None:
    no = open_case(engine, web_org)
    login(client, "lian")
    section = _officers_section(client.get(f"/cases/{case_path(no)}").text)
    assert "王调查" in section and "赵取证" in section and "豫41032026002" in section
    assert "/officers/replace" not in section and "/recusals" not in section
    login(client, "juzhang")
    html = client.get(f"/cases/{case_path(no)}").text
    section = _officers_section(html)
    assert f'action="/cases/{quote(no)}/officers/replace"' in section
    assert f'action="/cases/{quote(no)}/recusals"' in section
    assert '<option value="gaozhi"' in section and '<option value="juzhang"' not in section  # no 执法证

    r = client.post(f"/cases/{case_path(no)}/officers/replace", follow_redirects=False,
                    data={"csrf_token": csrf_of(html), **REPLACE})
    assert r.status_code == 303 and r.headers["location"].endswith("#officers")
    page = client.get(r.headers["location"]).text
    assert "已办理「更换承办人员」" in page
    section = _officers_section(page)
    assert '<tr class="removed">' in section and "更换承办人员：工作调动" in section and "已调离" in section


def test_the_head_s_forms_show_their_refusals_in_place(client: TestClient, engine: Engine, web_org: Org) -> None:
    no = open_case(engine, web_org)
    login(client, "juzhang")
    html = client.get(f"/cases/{case_path(no)}").text
    last = events(engine, no)[-1].seq
    r = client.post(f"/cases/{case_path(no)}/officers/replace",
                    data={"csrf_token": csrf_of(html), "remove": "diaocha2", "reason": "调岗"})
    assert r.status_code == 409
    section = _officers_section(r.text)
    assert '<details class="op" open>' in section and "OFFICERS_BELOW_MINIMUM" in section
    assert "须指定接替人员" in section and ">调岗</textarea>" in section  # what was typed stays
    r = client.post(f"/cases/{case_path(no)}/recusals",
                    data={"csrf_token": csrf_of(html), "officer": "diaocha1", "applicant": "测试医院",
                          "reason": "理由"})
    assert r.status_code == 422 and "请选择准予回避或驳回申请" in _officers_section(r.text)
    r = client.post(f"/cases/{case_path(no)}/recusals",
                    data={"csrf_token": csrf_of(html), "officer": "diaocha1", "applicant": "测试医院",
                          "decision": "refused", "reason": "申请理由不成立"}, follow_redirects=False)
    assert r.status_code == 303
    assert "已办理「驳回回避申请」" in client.get(r.headers["location"]).text
    assert events(engine, no)[-1].seq == last + 1
    r = client.post(f"/cases/{case_path(no)}/recusals", data={"officer": "diaocha1"})
    assert r.status_code == 403


# ── alerts read on opening the case ──────────────────────────────────────
def test_opening_a_case_reads_only_my_alerts_of_that_case(client: TestClient, engine: Engine,
                                                          web_org: Org) -> None:
    no = open_case(engine, web_org)
    other = open_case(engine, web_org, at=sh("2026-06-01 09:30"))
    runner = Runner(engine, web_org, reload=True)
    walk(runner, no, through("decide_penalty"))
    runner.close()
    assert sweep(engine, now=sh("2026-07-15 08:00")).reminders >= 1
    me, head = web_org.users["diaocha1"], web_org.users["juzhang"]

    def unread(user_id: int, case_no: str | None = None) -> int:
        with unit_of_work(engine, write=False) as s:
            return len([r for r in alert_inbox.inbox(s, user_id=user_id, unread_only=True)
                        if case_no is None or r.case_no == case_no])

    mine, heads, elsewhere = unread(me, no), unread(head, no), unread(me, other)
    assert mine >= 1 and heads >= 1 and elsewhere >= 1  # the other case's 线索核查 ran out too
    login(client, "diaocha1")
    html = client.get(f"/cases/{case_path(no)}").text
    assert unread(me, no) == 0 and unread(me, other) == elsewhere  # that case's alerts only
    assert nav_count(html) == elsewhere  # the badge counts after marking
    assert unread(head, no) == heads  # the head's copies of the same alerts stay unread
    client.get(f"/api/cases/{case_path(other)}")  # the API read marks nothing
    assert unread(me, other) == elsewhere
    client.get(f"/cases/{case_path(other)}")
    assert unread(me) == 0 and unread(head, no) == heads
