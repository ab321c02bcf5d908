"""执法公示 as steps of the procedure, from the statute and the issue:

- 《行政处罚法》第四十八条第一款: the decision is made public; practice publishes it within 七个工作日 of
  作出决定 (a configurable agency limit): the limit opens at 作出决定 and is met by the release;
- the 法制审核股·审查岗 releases it, once; a correction is a new version shown instead of the old;
- 第四十八条第二款 and 第八十五条: a published decision 撤销、变更 or 确认违法 is withdrawn within 三个工作日,
  the reason made public; a 撤销 that ends the case withdraws it in the same step;
- the 公示期限 (agency setting) hides a record from the public, never from the case;
- every release, correction and withdrawal is an audit event of the case; the rows are written once.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DatabaseError

from caseflow.cases import service as case_service
from caseflow.db.session import unit_of_work
from caseflow.demo.scenarios import HEARING_ANSWERS
from caseflow.errors import InvalidInput
from caseflow.publication import service as publication_service
from caseflow.publication.models import Publication, PublicationWithdrawal
from tests.helpers import deadlines, events, refused, sh
from tests.publication.cases import hospital_decided

RELEASE, WITHDRAWAL = "decision_publication", "publication_withdrawal"
REVIEW = {"kind": "行政复议", "filed_on": "2026-07-14", "body": "栾川县人民政府", "ref_no": "栾政复〔2026〕12号"}


def _status(engine, case_no: str) -> publication_service.Status:
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=case_no)
        st = publication_service.status_of(db_session=s, case_id=case.id)
        s.expunge_all()
        return st


def _public(engine, org, today: date = date(2026, 12, 1), **search: str) -> list:
    with unit_of_work(engine, write=False) as s:
        agency = next(a for a in publication_service.publishing_agencies(db_session=s) if a.id == org.agency_id)
        return publication_service.public_records(db_session=s, agency=agency, today=today,
                                                  search=publication_service.Search(**search))


def _limit(engine, case_no: str, rule: str):
    rows = deadlines(engine, case_no, rule)
    assert len(rows) == 1, (rule, rows)
    return rows[0]


def test_the_limit_opens_at_the_decision_and_the_release_meets_it(engine, org, runner):
    no = hospital_decided(engine, org, runner, upto="serve_decision")  # decided 07-07 (Tue), served 07-08
    limit = _limit(engine, no, RELEASE)
    assert limit.status.value == "open" and limit.started_at == sh("2026-07-07 09:00")
    assert limit.due_date == date(2026, 7, 16)  # 07-08, 09, 10, 13, 14, 15, 16: seven 工作日
    assert "第四十八条" in limit.basis and "待核实" in limit.basis
    assert runner.fire(no, "publish_decision", "shencha", "2026-07-09 10:00") == "enforcement"  # "@same"
    assert _limit(engine, no, RELEASE).status.value == "met"
    live = _status(engine, no).live
    assert live is not None and (live.series, live.version) == (1, 1)
    assert (live.party_name, live.party_kind, live.credit_code) == ("测试医院", "organisation", "91410324MA47T3Q8WY")
    assert live.doc_no.startswith("栾医保罚决〔2026〕") and live.decided_on == date(2026, 7, 7)
    assert live.penalty == "责令退回30,000.00元；罚款60,000.00元"
    assert live.basis == "《医疗保障基金使用监督管理条例》第四十条第一款" and live.agency_name == "栾川县医疗保障局"
    assert live.released_by_name == "陈审核"
    last = events(engine, no)[-1]
    assert (last.trigger, last.trigger_name, last.actor_name, last.post) == (
        "publish_decision", "发布行政处罚决定公示", "陈审核", "法制审核股·审查岗")
    assert last.payload["publication"]["action"] == "发布" and live.event_seq == last.seq
    assert [r.doc_no for r in _public(engine, org)] == [live.doc_no]


def test_the_reviewer_publishes_once_and_only_a_decision(engine, org, runner):
    no = hospital_decided(engine, org, runner, upto="conclude_hearing")  # not yet decided
    refused(engine, runner, no, "publish_decision", "shencha", "2026-07-06 12:00", code="TRANSITION_NOT_AVAILABLE")
    runner.fire(no, "decide_penalty", "jueding", "2026-07-07 09:00", payload={"answers": HEARING_ANSWERS})
    refused(engine, runner, no, "publish_decision", "songda", "2026-07-07 10:00", code="POST_REQUIRED")
    refused(engine, runner, no, "correct_publication", "shencha", "2026-07-07 10:00",
            payload={"reason": "错字"}, code="PUBLICATION_NOT_RELEASED")
    refused(engine, runner, no, "withdraw_publication", "shencha", "2026-07-07 10:00",
            payload={"reason": "撤销"}, code="PUBLICATION_NOT_RELEASED")
    runner.fire(no, "publish_decision", "shencha", "2026-07-07 10:00",
                payload={"summary": "当事人虚构康复理疗项目，骗取医疗保障基金支出30,000.00元。"})
    assert _status(engine, no).live.summary == "当事人虚构康复理疗项目，骗取医疗保障基金支出30,000.00元。"
    refused(engine, runner, no, "publish_decision", "shencha", "2026-07-08 09:00",
            code="PUBLICATION_ALREADY_RELEASED", phrases=("更正公示",))
    with unit_of_work(engine, write=False) as s:  # beside the main line: never "the next step"
        case = case_service.get_case(db_session=s, case_no=no)
        actions = {a.trigger: a for a in case_service.available_actions(db_session=s, case=case)}
    assert actions["publish_decision"].optional and actions["correct_publication"].optional
    assert not actions["serve_decision"].optional


def test_a_correction_is_a_new_version_shown_instead_of_the_old(engine, org, runner):
    no = hospital_decided(engine, org, runner, upto="serve_decision")
    runner.fire(no, "publish_decision", "shencha", "2026-07-09 10:00")
    refused(engine, runner, no, "correct_publication", "shencha", "2026-07-10 09:00",
            payload={"summary": "更正后的摘要。"}, exc=InvalidInput, code="INVALID_INPUT")  # 更正理由 required
    runner.fire(no, "correct_publication", "shencha", "2026-07-10 09:00",
                payload={"summary": "当事人2026年1月至4月虚构康复理疗项目12人次，骗取医疗保障基金支出30,000.00元。",
                         "reason": "摘要遗漏违法行为的方式，予以更正。"})
    with unit_of_work(engine, write=False) as s:
        versions = list(s.scalars(select(Publication).order_by(Publication.version)))
    assert [(v.version, v.supersedes_id) for v in versions] == [(1, None), (2, versions[0].id)]
    assert "康复理疗项目12人次" not in versions[0].summary  # the first version stays as released
    assert versions[1].reason == "摘要遗漏违法行为的方式，予以更正。"
    shown = _public(engine, org)
    assert [(r.version, r.summary) for r in shown] == [(2, versions[1].summary)]
    assert events(engine, no)[-1].payload["publication"] == {
        "action": "更正", "version": 2, "doc_no": versions[1].doc_no, "summary": versions[1].summary}


def test_a_revoked_decision_is_withdrawn_within_three_working_days(engine, org, runner):
    no = hospital_decided(engine, org, runner, upto="serve_decision")
    runner.fire(no, "publish_decision", "shencha", "2026-07-09 10:00")
    runner.fire(no, "record_remedy_filing", "shencha", "2026-07-15 09:00", payload=REVIEW)
    assert runner.fire(no, "record_remedy_outcome", "shencha", "2026-07-24 09:00",  # Friday
                       payload={"outcome": "撤销", "decided_on": "2026-07-23", "redo": True, "redo_by": "2026-09-30"},
                       opinion="复议机关以主要事实不清为由撤销，责令重新作出。") == "investigation"
    limit = _limit(engine, no, WITHDRAWAL)
    assert limit.status.value == "open" and limit.due_date == date(2026, 7, 29)  # 07-27, 28, 29 (第八十五条)
    assert _public(engine, org) != []  # still shown until withdrawn
    refused(engine, runner, no, "withdraw_publication", "shencha", "2026-07-27 09:00", payload={},
            exc=InvalidInput, code="INVALID_INPUT")  # the reason is made public: required
    runner.fire(no, "withdraw_publication", "shencha", "2026-07-27 09:00", payload={
        "reason": "该行政处罚决定已于2026年7月23日经栾川县人民政府行政复议决定撤销，撤回公示。"})
    assert _limit(engine, no, WITHDRAWAL).status.value == "met"
    assert _public(engine, org) == []
    st = _status(engine, no)
    assert st.current is not None and st.live is None and "行政复议决定撤销" in st.withdrawal.reason
    # Under investigation again, the step is offered only while a publication stands.
    refused(engine, runner, no, "withdraw_publication", "shencha", "2026-07-28 09:00",
            payload={"reason": "再撤回"}, code="NO_BRANCH_APPLIES")
    with unit_of_work(engine, write=False) as s:
        agency = next(a for a in publication_service.publishing_agencies(db_session=s) if a.id == org.agency_id)
        gone = publication_service.public_withdrawals(db_session=s, agency=agency, today=date(2026, 12, 1))
    assert [(g.doc_no, g.reason) for g in gone] == [(st.current.doc_no, st.withdrawal.reason)]


def test_a_revocation_that_ends_the_case_withdraws_in_the_same_step(engine, org, runner):
    no = hospital_decided(engine, org, runner, upto="serve_decision")
    runner.fire(no, "publish_decision", "shencha", "2026-07-09 10:00")
    runner.fire(no, "record_remedy_filing", "shencha", "2026-07-15 09:00", payload=REVIEW)
    assert runner.fire(no, "record_remedy_outcome", "shencha", "2026-09-02 09:00",
                       payload={"outcome": "撤销", "decided_on": "2026-09-01"},
                       opinion="违法事实不能成立，撤销。") == "terminated"
    st = _status(engine, no)
    assert st.withdrawal is not None and st.withdrawal.event_seq == events(engine, no)[-1].seq
    assert st.withdrawal.reason == ("该行政处罚决定已于2026年09月01日经栾川县人民政府行政复议决定撤销，"
                                    "依照《行政处罚法》第四十八条第二款撤回公示。")
    assert deadlines(engine, no, WITHDRAWAL) == []  # withdrawn at once: no limit to run
    assert _public(engine, org) == []


@pytest.mark.parametrize(("outcome", "opens"), [("变更", True), ("确认违法", True), ("维持", False)])
def test_only_a_changed_revoked_or_illegal_decision_is_to_be_withdrawn(engine, org, runner, outcome, opens):
    no = hospital_decided(engine, org, runner, upto="serve_decision")
    runner.fire(no, "publish_decision", "shencha", "2026-07-09 10:00")
    runner.fire(no, "record_remedy_filing", "shencha", "2026-07-15 09:00", payload=REVIEW)
    changed = [{"kind": "责令退回", "amount": "30000.00", "basis": "《医疗保障基金使用监督管理条例》第四十条第一款（责令退回）"},
               {"kind": "罚款", "amount": "45000.00",
                "basis": "《医疗保障基金使用监督管理条例》第四十条第一款：处骗取金额2倍以上5倍以下的罚款"}]
    runner.fire(no, "record_remedy_outcome", "shencha", "2026-09-02 09:00", opinion="复议决定。", payload={
        "outcome": outcome, "decided_on": "2026-09-01", **({"penalties": changed} if outcome == "变更" else {})})
    assert [d.status.value for d in deadlines(engine, no, WITHDRAWAL)] == (["open"] if opens else [])


def test_a_record_past_its_period_is_hidden_publicly_but_kept_in_the_case(engine, org, runner):
    no = hospital_decided(engine, org, runner)
    runner.fire(no, "publish_decision", "shencha", "2026-07-08 10:00")
    # Default 公示期限 three years from the 决定日期 (2026-07-07): shown to its last day, then not.
    assert len(_public(engine, org, today=date(2029, 7, 7))) == 1
    assert _public(engine, org, today=date(2029, 7, 8)) == []
    assert _status(engine, no).live is not None
    with unit_of_work(engine) as s:  # an agency that sets a shorter period: hidden sooner
        from caseflow.org.models import Agency
        from caseflow.org.service import set_agency_settings

        agency = s.get(Agency, org.agency_id)
        set_agency_settings(db_session=s, agency=agency, raw={**(agency.settings or {}),
                                                              "publication": {"slug": "luanchuan", "months": 6}})
    assert len(_public(engine, org, today=date(2027, 1, 7))) == 1
    assert _public(engine, org, today=date(2027, 1, 8)) == []


def test_publications_are_written_once(engine, org, runner):
    no = hospital_decided(engine, org, runner)
    runner.fire(no, "publish_decision", "shencha", "2026-07-08 10:00")
    with pytest.raises(RuntimeError), unit_of_work(engine) as s:
        row = s.scalars(select(Publication)).one()
        row.summary = "改写"
        s.flush()
    for sql in ("UPDATE publications SET summary = 'x'", "DELETE FROM publications"):
        with pytest.raises(DatabaseError), unit_of_work(engine) as s:
            s.execute(text(sql))
    with pytest.raises(RuntimeError), unit_of_work(engine) as s:
        s.delete(s.scalars(select(Publication)).one())
        s.flush()
    runner.fire(no, "withdraw_publication", "shencha", "2026-07-09 10:00", payload={"reason": "撤回。"})
    for step in ("withdraw_publication", "correct_publication"):
        refused(engine, runner, no, step, "shencha", "2026-07-10 10:00", payload={"reason": "再办理。"},
                code="PUBLICATION_WITHDRAWN")
    with pytest.raises(DatabaseError), unit_of_work(engine) as s:
        s.execute(update(PublicationWithdrawal).values(reason="改写"))
    assert _status(engine, no).current.summary != "x" and _status(engine, no).withdrawal.reason == "撤回。"


def test_a_decision_made_again_is_published_anew(engine, org, runner):
    from dataclasses import replace

    from tests.helpers import through

    no = hospital_decided(engine, org, runner, upto="serve_decision")
    runner.fire(no, "publish_decision", "shencha", "2026-07-09 10:00")
    runner.fire(no, "record_remedy_filing", "shencha", "2026-07-15 09:00", payload=REVIEW)
    runner.fire(no, "record_remedy_outcome", "shencha", "2026-09-01 09:00", opinion="撤销，责令重新作出。",
                payload={"outcome": "撤销", "decided_on": "2026-08-31", "redo": True, "redo_by": "2026-11-30"})
    assert deadlines(engine, no, RELEASE)[0].status.value == "met"
    again = {s.trigger: s for s in through("decide_penalty")}
    steps = [replace(again["conclude_investigation"], at=sh("2026-09-07 09:00")),
             replace(again["submit_legal_review"], at=sh("2026-09-07 10:00")),
             replace(again["approve_legal_review"], at=sh("2026-09-08 09:00")),
             replace(again["approve_penalty"], at=sh("2026-09-08 10:00")),
             replace(again["serve_notice"], at=sh("2026-09-09 09:00"))]
    # Under investigation again, the old publication is withdrawn within its three 工作日 (to 09-04).
    runner.fire(no, "withdraw_publication", "shencha", "2026-09-03 11:00",
                payload={"reason": "原行政处罚决定已被撤销，责令重新作出。"})
    assert [d.status.value for d in deadlines(engine, no, WITHDRAWAL)] == ["met"]
    for st in steps:
        runner.fire(no, st.trigger, st.user, st.at, payload=st.payload, opinion=st.opinion)
    runner.fire(no, "waive_statement", "gaozhi", "2026-09-09 10:00", payload={"waiver": "当事人书面放弃"})
    runner.fire(no, "decide_penalty", "jueding", "2026-09-10 09:00")
    assert [d.status.value for d in deadlines(engine, no, RELEASE)] == ["met", "open"]
    runner.fire(no, "publish_decision", "shencha", "2026-09-10 10:00")
    st = _status(engine, no)
    assert (st.live.series, st.live.version) == (2, 1) and st.live.decided_on == date(2026, 9, 10)
    assert [(r.doc_no, r.decided_on) for r in _public(engine, org)] == [(st.live.doc_no, date(2026, 9, 10))]
