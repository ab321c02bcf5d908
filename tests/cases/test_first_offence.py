"""首违不罚 (issue 13, item 11), from 《行政处罚法》第三十三条:

第一款: 违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚。初次违法且危害后果轻微并及时改正的，
可以不予行政处罚。 第三款: 对当事人的违法行为依法不予行政处罚的，行政机关应当对当事人进行教育。

"初次" is judged from the party's earlier cases in this agency — found by its 统一社会信用代码 or
身份证号, whatever name it was registered under.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select

from caseflow.cases import service as case_service
from caseflow.cases.presenters import case_detail
from caseflow.db.session import unit_of_work
from caseflow.documents import snapshot
from caseflow.documents.models import Document
from tests.helpers import HOSPITAL, PERSON, open_case, refused, sh, shifted, through, walk

EDUCATION = "向当事人宣讲《医疗保障基金使用监督管理条例》有关规定，当事人已退回款项并书面承诺整改。"


def _detail(engine, case_no: str) -> dict:
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=case_no, full=True)
        return case_detail(db_session=s, case=case, at=sh("2026-06-12 09:00"))


def test_earlier_cases_are_found_by_identifier_not_name(engine, org, runner):
    earlier = open_case(engine, org, party={**HOSPITAL, "name": "测试医院（原名称）"})
    other_party = open_case(engine, org, party=PERSON)
    case_no = open_case(engine, org, party={**HOSPITAL, "name_change": "typed"})  # the party was renamed
    walk(runner, case_no, through("approve_legal_review"))
    prior = _detail(engine, case_no)["prior_cases"]
    assert [p["case_no"] for p in prior] == [earlier]
    assert other_party not in [p["case_no"] for p in prior]


def test_first_offence_needs_no_earlier_penalty(engine, org, runner):
    punished = open_case(engine, org)
    walk(runner, punished, through("decide_penalty"))  # 2026-07-07: 罚款 decided
    case_no = open_case(engine, org, at=sh("2026-07-20 09:00"))
    later = shifted(through("approve_legal_review"), timedelta(days=49))
    walk(runner, case_no, later)
    refused(engine, runner, case_no, "decide_no_penalty", "juzhang", "2026-07-31 09:00",
            opinion="初次违法，危害后果轻微并及时改正。",
            payload={"ground": "first_offence", "education": EDUCATION}, code="NOT_FIRST_OFFENCE",
            phrases=(punished, "不属于初次违法"))
    assert _detail(engine, case_no)["prior_cases"][0]["penalised"] is True


def test_first_offence_without_education_is_refused_and_with_it_is_recorded(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("approve_legal_review"))
    refused(engine, runner, case_no, "decide_no_penalty", "juzhang", "2026-06-12 09:00",
            opinion="初次违法。", payload={"ground": "first_offence"}, code="NO_PENALTY_GROUND_MISSING",
            phrases=("对当事人进行教育的情况",))
    refused(engine, runner, case_no, "decide_no_penalty", "juzhang", "2026-06-12 09:00",
            opinion="情节轻微。", code="NO_PENALTY_GROUND_MISSING", phrases=("初次违法且危害后果轻微并及时改正",))
    assert runner.fire(case_no, "decide_no_penalty", "juzhang", "2026-06-12 09:00",
                       opinion="当事人初次违法，已全额退回，危害后果轻微。",
                       payload={"ground": "初次违法且危害后果轻微并及时改正", "education": EDUCATION}) == "decided"
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=case_no)
        doc = s.scalars(select(Document).where(Document.case_id == case.id,
                                               Document.doc_type == "no_penalty_decision")).one()
        data = snapshot.decode(doc.data)
    assert data["bases"][0]["citation"] == "《中华人民共和国行政处罚法》第三十三条第一款"
    assert data["ground"] == "初次违法且危害后果轻微并及时改正"
    assert data["education"] == EDUCATION
