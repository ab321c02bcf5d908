"""The side exits of 行政处罚普通程序: 不予立案, 退回, 撤销立案, 中止/恢复, 终结, 法制审核退回,
负责人退回, 不予处罚, 移送司法机关, 催告 and 申请法院强制执行 — states, audit trail, deadlines.

Each scenario runs twice (`runner`): in one session, and reloading the case between every step.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from caseflow.cases import service as case_service
from caseflow.cases.models import CaseEvent, PenaltyStage
from caseflow.db.session import unit_of_work
from caseflow.deadlines.models import Deadline
from caseflow.demo.scenarios import HEARING_ANSWERS
from caseflow.demo.walk import Step
from caseflow.errors import RuleViolation
from caseflow.org.service import get_user_by_username
from tests.helpers import (case_row, deadlines, events, open_case, refused, sh, snapshot,
                           through, walk)


# ── helpers ──────────────────────────────────────────────────────────────
def last_event(engine, case_no: str) -> CaseEvent:
    return events(engine, case_no)[-1]


def statuses(engine, case_no: str) -> dict[str, str]:
    """Limits after 立案 (the 线索核查 limit of registration is tested in test_limits.py)."""
    return {d.rule_code: d.status.value for d in deadlines(engine, case_no) if d.rule_code != "clue_check"}


def deadline(engine, case_no: str, rule: str) -> Deadline:
    found = deadlines(engine, case_no, rule)
    assert len(found) == 1, found
    return found[0]


def assert_event(e: CaseEvent, trigger: str, from_state: str, to_state: str, actor: str, *,
                 post: str | None = None, opinion: str | None = None, at: datetime | None = None,
                 **payload: Any) -> None:
    assert (e.trigger, e.from_state, e.to_state) == (trigger, from_state, to_state)
    assert e.actor_name == actor
    assert e.opinion == opinion
    if post is not None:
        assert e.post == post
    if at is not None:
        assert e.occurred_at == at
    for k, v in payload.items():
        assert e.payload.get(k) == v


# ── 立案 ─────────────────────────────────────────────────────────────────
def test_reject_filing_closes_the_case_as_not_filed(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("submit_filing"))
    refused(engine, runner, case_no, "reject_filing", "juzhang", "2026-06-02 09:00",
            code="OPINION_REQUIRED")
    opinion = "违法事实不清，不符合立案条件。"
    state = runner.fire(case_no, "reject_filing", "juzhang", "2026-06-02 09:00", opinion=opinion)
    assert state == "not_filed"
    case = case_row(engine, case_no)
    assert case.closed_at == sh("2026-06-02 09:00") and case.filed_at is None
    assert_event(last_event(engine, case_no), "reject_filing", "filing_approval", "not_filed",
                 "张局长", post="局负责人", opinion=opinion, at=sh("2026-06-02 09:00"))
    assert statuses(engine, case_no) == {}
    refused(engine, runner, case_no, "submit_filing", "lian", "2026-06-03 09:00",
            code="TRANSITION_NOT_AVAILABLE")


def test_returned_filing_goes_back_to_clue_registration(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("submit_filing"))
    refused(engine, runner, case_no, "return_filing", "juzhang", "2026-06-02 09:00",
            code="OPINION_REQUIRED")
    opinion = "请补充线索来源及涉案金额核实情况。"
    assert runner.fire(case_no, "return_filing", "juzhang", "2026-06-02 09:00",
                       opinion=opinion) == "clue_registered"
    case = case_row(engine, case_no)
    assert case.filed_at is None and case.closed_at is None
    assert_event(last_event(engine, case_no), "return_filing", "filing_approval", "clue_registered",
                 "张局长", opinion=opinion)
    assert statuses(engine, case_no) == {}
    assert runner.fire(case_no, "submit_filing", "lian", "2026-06-03 09:00",
                       payload={"facts": "补充核实后的违法事实。"}) == "filing_approval"
    assert runner.fire(case_no, "approve_filing", "juzhang", "2026-06-04 09:00") == "investigation"
    handling = deadline(engine, case_no, "case_handling")
    assert handling.started_at == sh("2026-06-04 09:00")
    assert handling.due_date == date(2026, 9, 2)  # 06-04 + 90 日 = 09-02 (Wed)


def test_revoke_filing_from_investigation_cancels_the_handling_period(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("start_investigation"))
    assert deadline(engine, case_no, "case_handling").status.value == "open"
    opinion = "经调查，违法事实不能成立。"
    assert runner.fire(case_no, "revoke_filing", "juzhang", "2026-06-05 09:00",
                       opinion=opinion) == "filing_revoked"
    case = case_row(engine, case_no)
    assert case.closed_at == sh("2026-06-05 09:00")
    handling = deadline(engine, case_no, "case_handling")
    assert (handling.status.value, handling.closed_at) == ("cancelled", sh("2026-06-05 09:00"))
    assert_event(last_event(engine, case_no), "revoke_filing", "investigation", "filing_revoked",
                 "张局长", opinion=opinion)


def test_revoke_filing_from_case_review(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("conclude_investigation"))
    assert runner.fire(case_no, "revoke_filing", "juzhang", "2026-06-11 09:00",
                       opinion="证据不足以认定违法事实。") == "filing_revoked"
    assert statuses(engine, case_no) == {"case_handling": "cancelled"}


def test_revoke_filing_is_not_available_after_legal_review_started(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("submit_legal_review"))
    refused(engine, runner, case_no, "revoke_filing", "juzhang", "2026-06-11 09:00",
            opinion="x", code="TRANSITION_NOT_AVAILABLE")


# ── 中止、恢复 ───────────────────────────────────────────────────────────
@pytest.mark.parametrize(("upto", "state"), [
    ("start_investigation", "investigation"),
    ("serve_notice", "notice"),
    ("request_hearing", "hearing"),
    ("serve_decision", "enforcement"),
])
def test_suspend_and_resume_return_to_the_same_state(engine, org, runner, upto, state):
    case_no = open_case(engine, org)
    assert walk(runner, case_no, through(upto)) == state
    before = statuses(engine, case_no)
    refused(engine, runner, case_no, "suspend", "juzhang", "2026-07-23 09:00",
            code="OPINION_REQUIRED")
    refused(engine, runner, case_no, "suspend", "diaocha1", "2026-07-23 09:00", opinion="x",
            code="POST_REQUIRED")
    assert runner.fire(case_no, "suspend", "juzhang", "2026-07-23 09:00",
                       opinion="当事人法定代表人因病无法配合调查。") == "suspended"
    assert case_row(engine, case_no).suspended_from == state
    assert_event(last_event(engine, case_no), "suspend", state, "suspended", "张局长",
                 opinion="当事人法定代表人因病无法配合调查。")
    refused(engine, runner, case_no, "resume", "juzhang", "2026-08-03 09:00",
            code="OPINION_REQUIRED")
    assert runner.fire(case_no, "resume", "juzhang", "2026-08-03 09:00",
                       opinion="中止事由已消除。") == state
    assert case_row(engine, case_no).suspended_from is None
    assert_event(last_event(engine, case_no), "resume", "suspended", state, "张局长",
                 opinion="中止事由已消除。")
    assert statuses(engine, case_no) == before


def test_resumed_case_continues_its_procedure(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("request_hearing"))
    runner.fire(case_no, "suspend", "juzhang", "2026-06-16 10:00", opinion="当事人申请延期听证。")
    runner.fire(case_no, "resume", "juzhang", "2026-06-16 15:00", opinion="恢复。")
    assert walk(runner, case_no, through("archive")[len(through("request_hearing")):]) == "archived"


def test_suspended_case_offers_only_resume_and_terminate(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_notice"))
    runner.fire(case_no, "suspend", "juzhang", "2026-06-16 09:00", opinion="中止。")
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=case_no)
        head = get_user_by_username(db_session=s, username="juzhang")
        acts = case_service.available_actions(db_session=s, case=case, actor=head,
                                              at=sh("2026-06-17 09:00"))
    assert [(a.trigger, a.name, a.allowed) for a in acts] == [
        ("resume", "恢复案件", True), ("terminate", "终结案件", True)]
    refused(engine, runner, case_no, "decide_penalty", "jueding", "2026-06-24 09:00",
            code="TRANSITION_NOT_AVAILABLE")


@pytest.mark.parametrize(("upto", "state"), [
    ("submit_filing", "filing_approval"), ("decide_penalty", "decided"),
    ("record_performance", "closing"),
])
def test_states_outside_the_suspendable_list_cannot_be_suspended(engine, org, runner, upto, state):
    case_no = open_case(engine, org)
    assert walk(runner, case_no, through(upto)) == state
    refused(engine, runner, case_no, "suspend", "juzhang", "2026-07-23 09:00", opinion="x",
            code="TRANSITION_NOT_AVAILABLE")


# ── 终结 ─────────────────────────────────────────────────────────────────
def test_terminate_an_active_case_cancels_every_open_deadline(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("request_hearing"))
    assert statuses(engine, case_no) == {"case_handling": "open", "statement_period": "open",
                                         "hearing_request": "met"}
    opinion = "当事人（法人）终止，无权利义务承受人。"
    state = runner.fire(case_no, "terminate", "juzhang", "2026-06-18 09:00", opinion=opinion)
    assert state == "terminated"
    assert statuses(engine, case_no) == {
        "case_handling": "cancelled", "statement_period": "cancelled", "hearing_request": "met"}
    assert all(d.closed_at is not None for d in deadlines(engine, case_no))
    assert case_row(engine, case_no).closed_at == sh("2026-06-18 09:00")
    assert_event(last_event(engine, case_no), "terminate", "hearing", "terminated", "张局长",
                 opinion=opinion)


def test_terminate_a_suspended_case(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_decision"))
    runner.fire(case_no, "suspend", "juzhang", "2026-07-10 09:00", opinion="当事人申请行政复议。")
    assert runner.fire(case_no, "terminate", "juzhang", "2026-07-30 09:00",
                       opinion="行政处罚决定被依法撤销。") == "terminated"
    assert statuses(engine, case_no) == {"case_handling": "met", "statement_period": "met",
                                         "hearing_request": "met", "decision_service": "met",
                                         "payment": "cancelled", "fund_return": "cancelled",
                                         "decision_publication": "cancelled",  # never published
                                         # the party's remedy windows are not the agency's to end
                                         "review_window": "open", "suit_window": "open"}
    assert case_row(engine, case_no).closed_at == sh("2026-07-30 09:00")
    assert_event(last_event(engine, case_no), "terminate", "suspended", "terminated", "张局长",
                 opinion="行政处罚决定被依法撤销。")
    refused(engine, runner, case_no, "resume", "juzhang", "2026-07-31 09:00", opinion="x",
            code="TRANSITION_NOT_AVAILABLE")


# ── 法制审核退回、负责人退回 ───────────────────────────────────────────────
def test_legal_review_returns_the_case_with_its_opinion(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("submit_legal_review"))
    opinion = "证据链不完整：缺少当事人签字确认的结算明细，请补充调查。"
    assert runner.fire(case_no, "return_from_legal_review", "shencha", "2026-06-11 09:00",
                       opinion=opinion) == "case_review"
    assert_event(last_event(engine, case_no), "return_from_legal_review", "legal_review",
                 "case_review", "陈审核", post="法制审核股·审查岗", opinion=opinion)
    assert case_row(engine, case_no).penalties_at(PenaltyStage.reviewed) == []
    assert runner.fire(case_no, "resume_investigation", "diaocha1", "2026-06-11 10:00",
                       opinion="按法制审核意见补充调查。") == "investigation"
    conclude = through("conclude_investigation")[-1]
    runner.fire(case_no, "conclude_investigation", "diaocha1", "2026-06-15 09:00",
                payload=conclude.payload)
    runner.fire(case_no, "submit_legal_review", "diaocha1", "2026-06-15 10:00")
    assert runner.fire(case_no, "approve_legal_review", "shencha", "2026-06-16 09:00",
                       opinion="补充证据后事实清楚。") == "head_approval"


def test_head_returns_the_case_to_legal_review(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("approve_legal_review"))
    opinion = "处罚幅度请法制审核股再予斟酌。"
    assert runner.fire(case_no, "return_from_head_approval", "juzhang", "2026-06-12 09:00",
                       opinion=opinion) == "legal_review"
    assert_event(last_event(engine, case_no), "return_from_head_approval", "head_approval",
                 "legal_review", "张局长", post="局负责人", opinion=opinion)
    assert runner.fire(case_no, "approve_legal_review", "shencha", "2026-06-12 15:00",
                       opinion="维持原审核意见。") == "head_approval"


def test_collective_discussion_returns_the_case_to_legal_review(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("approve_legal_review"))
    runner.fire(case_no, "refer_collective_discussion", "juzhang", "2026-06-12 09:00")
    assert runner.fire(case_no, "return_from_head_approval", "juzhang", "2026-06-15 09:00",
                       opinion="集体讨论认为适用依据有误。") == "legal_review"
    assert last_event(engine, case_no).from_state == "collective_discussion"


# ── 不予处罚 ─────────────────────────────────────────────────────────────
def test_no_penalty_decision_is_served_and_goes_to_closing(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("approve_legal_review"))
    refused(engine, runner, case_no, "decide_no_penalty", "juzhang", "2026-06-12 09:00",
            code="OPINION_REQUIRED")
    opinion = "违法行为轻微并及时改正，没有造成危害后果，不予行政处罚。"
    assert runner.fire(case_no, "decide_no_penalty", "juzhang", "2026-06-12 09:00", opinion=opinion,
                       payload={"ground": "minor_and_corrected",
                                "education": "向当事人宣讲《医疗保障基金使用监督管理条例》，当事人书面承诺整改。"}
                       ) == "decided"
    case = case_row(engine, case_no)
    assert (case.decision_kind, case.decided_at) == ("no_penalty", sh("2026-06-12 09:00"))
    assert case.penalties_at(PenaltyStage.decided) == []
    assert statuses(engine, case_no) == {"case_handling": "met", "decision_service": "open"}
    # 06-12 (Fri) + 7 工作日: 15, 16, 17, 18, (19–21 端午), 22, 23, 24
    assert deadline(engine, case_no, "decision_service").due_date == date(2026, 6, 24)
    assert runner.fire(case_no, "serve_decision", "songda", "2026-06-15 10:00",
                       payload={"method": "直接送达"}) == "closing"
    e = last_event(engine, case_no)
    assert_event(e, "serve_decision", "decided", "closing", "周送达", method="直接送达")
    assert e.trigger_name == "送达不予处罚决定书"
    assert statuses(engine, case_no) == {"case_handling": "met", "decision_service": "met"}
    assert runner.fire(case_no, "approve_closure", "juzhang", "2026-06-16 09:00") == "closed"
    assert case_row(engine, case_no).closed_at == sh("2026-06-16 09:00")


# ── 移送司法机关 ─────────────────────────────────────────────────────────
def test_referral_to_the_judiciary_is_closed_after_approval(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("record_inquiry"))
    opinion = "涉嫌诈骗罪，依法移送县公安局。"
    assert runner.fire(case_no, "refer_to_judiciary", "juzhang", "2026-06-05 09:00",
                       opinion=opinion) == "referred"
    case = case_row(engine, case_no)
    assert (case.decision_kind, case.closed_at) == ("referral", None)
    assert statuses(engine, case_no) == {"case_handling": "met"}
    assert_event(last_event(engine, case_no), "refer_to_judiciary", "investigation", "referred",
                 "张局长", opinion=opinion)
    refused(engine, runner, case_no, "close_referral", "lian", "2026-06-20 09:00",
            code="OPINION_REQUIRED")
    assert runner.fire(case_no, "close_referral", "lian", "2026-06-20 09:00",
                       opinion="县公安局已立案侦查（立案告知书附卷）。") == "closing"
    assert_event(last_event(engine, case_no), "close_referral", "referred", "closing", "李立安",
                 post="基金监管股·立案岗", opinion="县公安局已立案侦查（立案告知书附卷）。")
    assert runner.fire(case_no, "approve_closure", "juzhang", "2026-06-22 09:00") == "closed"
    assert case_row(engine, case_no).closed_at == sh("2026-06-22 09:00")
    assert runner.fire(case_no, "archive", "zhixing", "2026-06-23 09:00") == "archived"


# ── 催告、申请法院强制执行 ───────────────────────────────────────────────
# Decision served 2026-07-08: 复议 60 日 and 诉讼 6 个月 (行政诉讼法 第四十六条) end 2027-01-08; the
# court may be asked within 3 months after that (行政强制法 第五十三条), once a 催告书 served at least
# 10 工作日 before has gone unheeded (第五十四条).
DUNNING = [
    Step("issue_dunning", "zhixing", sh("2026-07-24 09:00"), payload={"method": "直接送达"}),
    Step("apply_court_enforcement", "zhixing", sh("2027-01-11 09:00"),
         opinion="催告书送达十日后当事人仍未履行，复议、诉讼期限届满，申请县人民法院强制执行。"),
    Step("record_court_outcome", "zhixing", sh("2027-02-15 09:00"),
         opinion="县人民法院裁定准予执行，罚款已划拨到账。"),
]


def test_dunning_then_court_enforcement_reaches_closing(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_decision"))
    payment = deadline(engine, case_no, "payment")
    assert payment.due_date == date(2026, 7, 23)  # 07-08 + 15 日
    issue, apply, outcome = DUNNING
    state = runner.fire(case_no, issue.trigger, issue.user, issue.at, payload=issue.payload)
    assert state == "dunning"
    dunning = deadline(engine, case_no, "dunning_period")
    # 07-24 (Fri) + 10 工作日: 07-27 … 07-31, 08-03 … 08-07
    assert (dunning.status.value, dunning.started_at, dunning.due_date) == (
        "open", sh("2026-07-24 09:00"), date(2026, 8, 7))
    assert dunning.due_at == sh("2026-08-08 00:00")
    assert_event(last_event(engine, case_no), "issue_dunning", "enforcement", "dunning", "吴执行",
                 post="基金监管股·执行岗", method="直接送达")
    refused(engine, runner, case_no, "apply_court_enforcement", "zhixing", "2027-01-11 09:00",
            code="OPINION_REQUIRED")
    state = runner.fire(case_no, apply.trigger, apply.user, apply.at, opinion=apply.opinion)
    assert state == "court_enforcement"
    assert_event(last_event(engine, case_no), "apply_court_enforcement", "dunning",
                 "court_enforcement", "吴执行", opinion=apply.opinion, at=apply.at)
    refused(engine, runner, case_no, "record_court_outcome", "zhixing", "2027-02-15 09:00",
            code="OPINION_REQUIRED")
    assert runner.fire(case_no, outcome.trigger, outcome.user, outcome.at,
                       opinion=outcome.opinion) == "closing"
    assert_event(last_event(engine, case_no), "record_court_outcome", "court_enforcement",
                 "closing", "吴执行", opinion=outcome.opinion)
    assert runner.fire(case_no, "approve_closure", "juzhang", "2027-02-16 09:00") == "closed"
    assert [e.trigger for e in events(engine, case_no)][-5:] == [
        "serve_decision", "issue_dunning", "apply_court_enforcement", "record_court_outcome",
        "approve_closure"]
    st = statuses(engine, case_no)
    assert {k: st[k] for k in ("case_handling", "statement_period", "hearing_request",
                               "decision_service")} == dict.fromkeys(
        ("case_handling", "statement_period", "hearing_request", "decision_service"), "met")


def test_party_pays_after_dunning(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_decision"))
    runner.fire(case_no, "issue_dunning", "zhixing", "2026-07-24 09:00")
    assert runner.fire(case_no, "record_performance", "zhixing", "2026-07-30 09:00",
                       payload={"receipt": "非税收入缴款书 4103000799"}) == "closing"
    st = statuses(engine, case_no)
    assert st["dunning_period"] == "met"
    # Paid after the 15 日 ended 07-23: the party's window had closed (加处罚款 ran), but nobody at the
    # agency was late — a party window is never "overdue" (issue 13, item 5).
    assert st["payment"] == "met" and st["fund_return"] == "met"


CLOSED_BY_OTHER_ROUTES = {
    # 催告 → 申请法院强制执行 → 登记法院执行结果 → 结案: payment and dunning_period are never closed
    "court_enforcement": [*through("serve_decision"), *DUNNING,
                          Step("approve_closure", "juzhang", sh("2027-02-16 09:00"))],
    # 听证后不予处罚: decide_no_penalty meets only case_handling, the statement period stays open
    "no_penalty_after_hearing": [
        *through("conclude_hearing"),
        Step("decide_no_penalty", "juzhang", sh("2026-07-07 09:00"), opinion="听证后认为违法事实不能成立。",
             payload={"ground": "facts_not_established",  # the hearing's arguments answered (第四十五条)
                      "answers": [{"argument": a["argument"], "answer": "采纳"} for a in HEARING_ANSWERS]}),
        Step("serve_decision", "songda", sh("2026-07-08 09:00")),
        Step("approve_closure", "juzhang", sh("2026-07-09 09:00")),
    ],
    # 陈述申辩后移送司法机关: refer_to_judiciary meets only case_handling, the hearing window stays open
    "referral_after_statement": [
        *through("serve_notice"),
        Step("receive_statement", "gaozhi", sh("2026-06-16 09:00"), opinion="当事人提交书面申辩。"),
        Step("refer_to_judiciary", "juzhang", sh("2026-06-17 09:00"), opinion="涉嫌犯罪，移送公安机关。"),
        Step("close_referral", "lian", sh("2026-06-18 09:00"), opinion="公安机关已受理。"),
        Step("approve_closure", "juzhang", sh("2026-06-19 09:00")),
    ],
}


@pytest.mark.parametrize("route", list(CLOSED_BY_OTHER_ROUTES))
def test_closed_case_has_no_deadline_running(engine, org, runner, route):
    """Only the party's 复议/诉讼 windows may outlive the closure; no limit of the agency does."""
    case_no = open_case(engine, org)
    assert walk(runner, case_no, CLOSED_BY_OTHER_ROUTES[route]) == "closed"
    running = {d.rule_code for d in deadlines(engine, case_no) if d.status.value == "open"}
    assert running <= {"review_window", "suit_window"}


def test_court_enforcement_cannot_be_applied_before_the_dunning_period_ends(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_decision"))
    runner.fire(case_no, "issue_dunning", "zhixing", "2027-01-11 09:00")  # after 复议/诉讼 windows
    before = snapshot(engine, case_no)
    with pytest.raises(RuleViolation) as refused_dunning_period_running:
        runner.fire(case_no, "apply_court_enforcement", "zhixing", "2027-01-13 09:00",
                    opinion="申请强制执行。")
    assert refused_dunning_period_running.value.code == "DUNNING_PERIOD_RUNNING"
    assert snapshot(engine, case_no) == before


def test_court_enforcement_cannot_be_applied_while_review_and_suit_periods_run(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_decision"))
    runner.fire(case_no, "issue_dunning", "zhixing", "2026-07-24 09:00")
    before = snapshot(engine, case_no)
    with pytest.raises(RuleViolation) as refused_remedy_periods_running:  # 08-10: dunning period over, 复议 window open until 09-06
        runner.fire(case_no, "apply_court_enforcement", "zhixing", "2026-08-10 09:00",
                    opinion="申请强制执行。")
    assert refused_remedy_periods_running.value.code == "REMEDY_PERIODS_RUNNING"
    assert snapshot(engine, case_no) == before
