"""The party's arguments on the step forms (issue 19 §4): 听证结束 records the party's words — three rows
without script, 「添加一条」 with it, no 复核结论 offered (a hearing does not decide); 作出行政处罚决定 shows
each argument recorded, read-only, with its 复核结论 and 理由; a refusal is shown under its row and
what was typed stays."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from caseflow.cases import service as case_service
from caseflow.db.session import unit_of_work
from caseflow.demo.scenarios import HEARING_ANSWERS
from tests.helpers import Org, case_walked_to
from tests.web.conftest import case_path, login
from tests.web.test_discretion_web import csrf_of, form_of, visible


def test_the_hearing_form_records_the_party_words_only(client: TestClient, engine: Engine, web_org: Org) -> None:
    case_no = case_walked_to(engine, web_org, "schedule_hearing")
    login(client, "shencha")
    form = form_of(client.get(f"/cases/{case_path(case_no)}").text, "conclude_hearing")
    assert form.count('<textarea name="arguments[') == 3 and 'name="arguments[2].argument"' in form
    assert 'name="arguments[0].answer"' not in form and "readonly" not in form  # the hearing answers nothing
    assert "data-arguments-add" in form and 'src="/static/arguments.js"' in form
    assert client.get("/static/arguments.js").status_code == 200


def test_the_decision_form_answers_each_argument_recorded(client: TestClient, engine: Engine, web_org: Org) -> None:
    case_no = case_walked_to(engine, web_org, "conclude_hearing")
    login(client, "jueding")
    page = client.get(f"/cases/{case_path(case_no)}").text
    form = form_of(page, "decide_penalty")
    assert form.count('name="answers[') == 6 and "data-arguments-add" not in form  # two rows of three fields
    said = re.search(r'<textarea name="answers\[0\]\.argument" rows="2" readonly>([^<]*)</textarea>', form)
    assert said and said.group(1) == HEARING_ANSWERS[0]["argument"]
    assert '<select name="answers[1].answer"><option value=""></option><option >采纳</option>' in form

    csrf = csrf_of(page)
    fields = {"csrf_token": csrf}
    for i, a in enumerate(HEARING_ANSWERS):
        fields |= {f"answers[{i}].argument": a["argument"], f"answers[{i}].answer": a["answer"]}
    fields["answers[1].reason"] = HEARING_ANSWERS[1]["reason"]
    url = f"/cases/{case_path(case_no)}/actions/decide_penalty"
    r = client.post(url, data=fields, follow_redirects=False)
    assert r.status_code == 422  # INVALID_INPUT, the form again
    form = form_of(r.text, "decide_penalty")
    first = form[form.index('data-index="0"'):form.index('data-index="1"')]
    assert '<div class="ferr">不采纳的，须写明理由</div>' in first
    assert "<option selected>不采纳</option>" in first and HEARING_ANSWERS[1]["reason"] in form  # typed, kept

    fields["answers[0].reason"] = HEARING_ANSWERS[0]["reason"]
    r = client.post(url, data=fields, follow_redirects=False)
    assert r.status_code == 303, visible(r.text)[:2000]
    with unit_of_work(engine, write=False) as s:
        recorded = case_service.get_case(db_session=s, case_no=case_no).arguments
    assert [(a["answer"], a["reason"]) for a in recorded] == [(a["answer"], a["reason"]) for a in HEARING_ANSWERS]
