"""Every guard of 行政处罚普通程序 refusing a step: the error's type and code, the rule named in its
Chinese message, and the case left exactly as it was (case row, last event, deadlines, penalties).

Each scenario runs twice (`runner`): in one session, and reloading the case between every step.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from caseflow.cases import service as case_service
from caseflow.cases.models import Case, OfficerRole, PenaltyStage
from caseflow.db.session import unit_of_work
from caseflow.deadlines import service as deadline_service
from caseflow.demo.scenarios import FRAUD_BASIS_FINE, FRAUD_BASIS_RETURN, FULL_PATH, HEARING_ANSWERS
from caseflow.demo.walk import Step
from caseflow.errors import Conflict, InvalidInput, NotFound, RuleViolation
from caseflow.org.models import Agency
from caseflow.org.service import create_user, get_user_by_username, grant_post, issue_credential
from tests.helpers import PERSON, case_row, open_case, refused, sh, shifted, snapshot, through, walk


# ── helpers ──────────────────────────────────────────────────────────────
def penalties(fine: str, ret: str | None = None) -> list[dict[str, str]]:
    """责令退回 (by default the whole 骗取金额 the fine implies: half of a 2倍 fine) and a fine."""
    ret = ret or str((Decimal(fine) / 2).quantize(Decimal("0.01"), rounding="ROUND_FLOOR"))
    return [
        {"kind": "责令退回", "amount": ret, "basis": FRAUD_BASIS_RETURN},
        {"kind": "罚款", "amount": fine, "basis": FRAUD_BASIS_FINE},
    ]

HEARING_PLACE = {"place": "局三楼会议室", "host": "陈审核"}  # the 听证通知书 names them


def lawful_defrauded(pen: list[dict[str, str]]) -> str:
    """A 骗取金额 that puts the proposed fine inside 条例第四十条's 2–5 倍 (half the fine)."""
    fine = next(Decimal(p["amount"]) for p in pen if p["kind"] == "罚款")
    return str((fine / 2).quantize(Decimal("0.01"), rounding="ROUND_FLOOR"))


def path_with(pen: list[dict[str, str]]) -> list[Step]:
    """FULL_PATH with other proposed penalties, as far as 送达告知书 (2026-06-15 09:00)."""
    i = next(i for i, s in enumerate(FULL_PATH) if s.trigger == "conclude_investigation")
    conclude = replace(FULL_PATH[i], payload={**FULL_PATH[i].payload, "penalties": pen,
                                              "amount_defrauded": lawful_defrauded(pen)})
    return [*FULL_PATH[:i], conclude, *through("serve_notice")[i + 1:]]


SMALL = path_with(penalties("8400.00"))  # 罚款8,400元 < 50,000元: no hearing right for a 法人
# serve_notice 2026-06-15 (Mon) 09:00 → 5 工作日: 16, 17, 18, (19–21 端午), 22, 23 → ends 06-23 24:00
STATEMENT_DUE = "2026年06月23日"
PERIOD_END = sh("2026-06-24 00:00")


def declare(engine, case_no: str, username: str, reason: str, at: str) -> None:
    with unit_of_work(engine) as s:
        case = case_service.get_case(db_session=s, case_no=case_no)
        user = get_user_by_username(db_session=s, username=username)
        case_service.declare_interest(db_session=s, user=user, party=case.parties[0].party,
                                      reason=reason, at=sh(at))


def add_investigator(engine, org, username: str, full_name: str, *, valid_from: date,
                     valid_until: date, number: str) -> None:
    with unit_of_work(engine) as s:
        agency = s.get(Agency, org.agency_id)
        user = create_user(db_session=s, agency=agency, username=username, full_name=full_name)
        grant_post(db_session=s, user=user, post="调查岗", section_name="基金监管股")
        issue_credential(db_session=s, user=user, number=number, valid_from=valid_from,
                         valid_until=valid_until)
        org.users[username] = user.id


# ── POST_REQUIRED ────────────────────────────────────────────────────────
def test_investigator_cannot_approve_filing(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("submit_filing"))
    refused(engine, runner, case_no, "approve_filing", "diaocha1", "2026-06-02 09:00",
            code="POST_REQUIRED",
            phrases=("「批准立案」须由局负责人办理", "您的岗位为：基金监管股·调查岗"))


def test_same_post_name_in_wrong_section_cannot_archive_penalty_case(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("approve_closure"))
    refused(engine, runner, case_no, "archive", "fengcun", "2026-07-22 09:00",
            code="POST_REQUIRED",
            phrases=("「归档」须由基金监管股·执行岗办理", "您的岗位为：法制审核股·执行岗"))
    assert runner.fire(case_no, "archive", "zhixing", "2026-07-22 09:00") == "archived"


# ── ACTOR_RECUSED ────────────────────────────────────────────────────────
def test_recused_officer_cannot_act_on_the_party_case(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("approve_filing"))
    declare(engine, case_no, "diaocha1", "与当事人法定代表人系近亲属", "2026-06-02 15:00")
    refused(engine, runner, case_no, "start_investigation", "diaocha1", "2026-06-03 09:00",
            code="ACTOR_RECUSED",
            phrases=("您已就当事人「测试医院」申报回避", "与当事人法定代表人系近亲属", "不得办理本案"))


def test_recused_head_cannot_approve_filing(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("submit_filing"))
    declare(engine, case_no, "juzhang", "曾在当事人处任职", "2026-06-01 11:00")
    refused(engine, runner, case_no, "approve_filing", "juzhang", "2026-06-02 09:00",
            code="ACTOR_RECUSED", phrases=("申报回避（曾在当事人处任职）",))


def test_recused_user_cannot_be_assigned_to_the_case(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("approve_filing"))
    declare(engine, case_no, "lian", "与当事人存在利害关系", "2026-06-02 10:00")
    before = snapshot(engine, case_no)
    with pytest.raises(RuleViolation) as info, unit_of_work(engine) as s:
        case = case_service.get_case(db_session=s, case_no=case_no)
        user = get_user_by_username(db_session=s, username="lian")
        actor = get_user_by_username(db_session=s, username="juzhang")
        case_service.assign_officer(db_session=s, case=case, user=user,
                                    role=OfficerRole.assistant, actor=actor,
                                    at=sh("2026-06-02 11:00"))
    assert info.value.code == "ACTOR_RECUSED"
    assert "李立安已就当事人「测试医院」申报回避（与当事人存在利害关系），不得办理本案" in info.value.message
    assert snapshot(engine, case_no) == before


def test_declaring_interest_is_recorded_on_the_open_case(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("approve_filing"))
    declare(engine, case_no, "diaocha2", "与当事人法定代表人系同学", "2026-06-02 15:00")
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=case_no)
        last = case_service.events_of(db_session=s, case_id=case.id)[-1]
    assert (last.trigger, last.actor_name, last.opinion) == (
        "declare_interest", "赵取证", "与当事人法定代表人系同学")
    assert last.from_state == last.to_state == "investigation"


# ── OPINION_REQUIRED ─────────────────────────────────────────────────────
@pytest.mark.parametrize("opinion", [None, "", "   "])
def test_return_from_legal_review_needs_an_opinion(engine, org, runner, opinion):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("submit_legal_review"))
    refused(engine, runner, case_no, "return_from_legal_review", "shencha", "2026-06-11 09:00",
            opinion=opinion, code="OPINION_REQUIRED", phrases=("「法制审核退回」须填写意见或理由",))


# ── CREDENTIALS_INSUFFICIENT ─────────────────────────────────────────────
def test_one_officer_cannot_start_investigation(engine, org, runner):
    case_no = open_case(engine, org, officers=("diaocha1",))
    walk(runner, case_no, through("approve_filing"))
    refused(engine, runner, case_no, "start_investigation", "diaocha1", "2026-06-03 09:00",
            code="CREDENTIALS_INSUFFICIENT",
            phrases=("执法人员不得少于两人", "当日持有效证件的承办人员为1人（王调查）"))


def test_officer_with_credential_expired_the_day_before_does_not_count(engine, org, runner):
    add_investigator(engine, org, "diaocha3", "钱过期", valid_from=date(2024, 1, 1),
                     valid_until=date(2026, 6, 2), number="豫41032026020")
    case_no = open_case(engine, org, officers=("diaocha1", "diaocha3"))
    walk(runner, case_no, through("approve_filing"))
    refused(engine, runner, case_no, "start_investigation", "diaocha1", "2026-06-03 09:00",
            code="CREDENTIALS_INSUFFICIENT", phrases=("1人（王调查）",))


def test_credential_day_is_the_shanghai_day(engine, org, runner):
    # 2026-06-03 00:30 in Shanghai is still 06-02 in UTC: the credential ending 06-02 is not valid.
    add_investigator(engine, org, "diaocha3", "钱过期", valid_from=date(2024, 1, 1),
                     valid_until=date(2026, 6, 2), number="豫41032026020")
    case_no = open_case(engine, org, officers=("diaocha1", "diaocha3"))
    walk(runner, case_no, through("approve_filing"))
    refused(engine, runner, case_no, "start_investigation", "diaocha1", "2026-06-03 00:30",
            code="CREDENTIALS_INSUFFICIENT", phrases=("1人（王调查）",))


def test_credential_not_yet_valid_does_not_count(engine, org, runner):
    add_investigator(engine, org, "diaocha3", "孙新证", valid_from=date(2026, 6, 4),
                     valid_until=date(2029, 6, 3), number="豫41032026021")
    case_no = open_case(engine, org, officers=("diaocha1", "diaocha3"))
    walk(runner, case_no, through("approve_filing"))
    refused(engine, runner, case_no, "start_investigation", "diaocha1", "2026-06-03 09:00",
            code="CREDENTIALS_INSUFFICIENT", phrases=("1人（王调查）",))
    state = runner.fire(case_no, "start_investigation", "diaocha1", "2026-06-04 09:00")
    assert state == "investigation"


def test_credential_valid_until_that_very_day_counts(engine, org, runner):
    add_investigator(engine, org, "diaocha3", "钱到期", valid_from=date(2024, 1, 1),
                     valid_until=date(2026, 6, 3), number="豫41032026022")
    case_no = open_case(engine, org, officers=("diaocha1", "diaocha3"))
    walk(runner, case_no, through("approve_filing"))
    state = runner.fire(case_no, "start_investigation", "diaocha1", "2026-06-03 23:30")
    assert state == "investigation"
    # …but the next day the same pair may no longer act on the spot.
    refused(engine, runner, case_no, "record_onsite_act", "diaocha1", "2026-06-04 09:00",
            payload={"record": "询问笔录"}, code="CREDENTIALS_INSUFFICIENT", phrases=("1人（王调查）",))


def test_recused_officer_does_not_count_towards_two(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("approve_filing"))
    declare(engine, case_no, "diaocha1", "与当事人法定代表人系近亲属", "2026-06-02 15:00")
    refused(engine, runner, case_no, "start_investigation", "diaocha2", "2026-06-03 09:00",
            code="CREDENTIALS_INSUFFICIENT", phrases=("1人（赵取证）",))


# ── INVESTIGATION_NOT_STARTED ────────────────────────────────────────────
def test_onsite_act_and_conclusion_need_investigation_started(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("approve_filing"))
    refused(engine, runner, case_no, "record_onsite_act", "diaocha1", "2026-06-03 10:00",
            payload={"record": "现场检查笔录"}, code="INVESTIGATION_NOT_STARTED",
            phrases=("尚未记录开始调查（出示执法证件）",))
    conclude = through("conclude_investigation")[-1]
    refused(engine, runner, case_no, "conclude_investigation", "diaocha1", conclude.at,
            payload=conclude.payload, code="INVESTIGATION_NOT_STARTED")


# ── PROPOSAL_INCOMPLETE ──────────────────────────────────────────────────
def test_conclusion_without_penalties_is_incomplete(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("record_inquiry"))
    conclude = through("conclude_investigation")[-1]
    payload = {k: v for k, v in conclude.payload.items() if k != "penalties"}
    refused(engine, runner, case_no, "conclude_investigation", "diaocha1", conclude.at,
            payload=payload, code="PROPOSAL_INCOMPLETE",
            phrases=("处理建议不完整：拟处罚内容（种类、数额、依据）",))


def test_conclusion_without_registered_evidence_is_refused(engine, org, runner):
    # 《行政处罚法》第四十条: 违法事实不清、证据不足的，不得给予行政处罚. The facts came with the
    # filing (filing_facts_given); no 证据材料 has been registered.
    case_no = open_case(engine, org)
    walk(runner, case_no, [
        Step("submit_filing", "lian", sh("2026-06-01 10:00"),
             payload={"source": "群众举报", "facts": "线索反映的违法事实。"}),
        *FULL_PATH[1:3],
    ])
    refused(engine, runner, case_no, "conclude_investigation", "diaocha1", "2026-06-10 09:00",
            payload={"penalties": penalties("8400.00")}, code="EVIDENCE_NOT_REGISTERED",
            phrases=("本案尚未登记任何证据材料",))


def test_malformed_penalties_are_refused_field_by_field(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("record_inquiry"))
    conclude = through("conclude_investigation")[-1]
    # What is not a value of its type is refused by the step's declared inputs, every row at once …
    malformed = [
        {"kind": "罚款", "amount": "-5", "basis": FRAUD_BASIS_FINE},
        {"kind": "罚款", "amount": "100.001", "basis": FRAUD_BASIS_FINE},
        {"kind": "罚款", "amount": "一万元", "basis": FRAUD_BASIS_FINE},
        {"kind": "罚款", "amount": "NaN", "basis": FRAUD_BASIS_FINE},
        {"kind": "暂停医药服务", "months": "六", "basis": "《条例》第四十条"},
        "罚款10000元",
    ]
    err = refused(engine, runner, case_no, "conclude_investigation", "diaocha1", conclude.at,
                  payload={**conclude.payload, "penalties": malformed}, exc=InvalidInput,
                  code="INVALID_INPUT", phrases=("「拟处罚内容」第1行金额不能为负", "第6行格式不正确"))
    assert err.details == {
        "penalties[0].amount": "金额不能为负",
        "penalties[1].amount": "金额须精确到分",
        "penalties[2].amount": "金额须为数字（单位：元），如 12,680.50",
        "penalties[3].amount": "金额须为小于一万亿元的金额",
        "penalties[4].months": "期限（月）须为整数",
        "penalties[5]": "格式不正确",
    }
    # … and what is well-formed but not a lawful penalty, by the penalty rules, every row at once.
    bad = [
        {"kind": "罚金", "amount": "100.00", "basis": "x"},
        {"kind": "罚款", "amount": "0", "basis": FRAUD_BASIS_FINE},
        {"kind": "警告"},
        {"kind": "暂停医药服务", "basis": "《条例》第四十条"},
    ]
    err = refused(engine, runner, case_no, "conclude_investigation", "diaocha1", conclude.at,
                  payload={**conclude.payload, "penalties": bad}, exc=InvalidInput,
                  code="INVALID_INPUT", phrases=("拟处罚内容有误",))
    assert err.details == {
        "penalties[0].kind": "处罚种类「罚金」不在可选范围内",
        "penalties[1].amount": "金额须大于零且精确到分",
        "penalties[2].basis": "须写明处罚依据（法律法规及条款）",
        "penalties[3].months": "须填写期限（月）",
    }


def test_bad_amount_in_filing_facts_leaves_case_unchanged(engine, org, runner):
    case_no = open_case(engine, org)
    first = FULL_PATH[0]
    err = refused(engine, runner, case_no, "submit_filing", "lian", first.at,
                  payload={**first.payload, "amount_involved": "3万"}, exc=InvalidInput,
                  code="INVALID_INPUT")
    assert err.details == {"amount_involved": "须为数字（单位：元），如 12,680.50"}
    assert runner.state(case_no) == "clue_registered"


def test_refused_step_caught_by_the_caller_commits_nothing(engine, org, runner):
    case_no = open_case(engine, org)
    before = snapshot(engine, case_no)
    first = FULL_PATH[0]
    with unit_of_work(engine) as s:  # the caller catches the error and commits its unit of work
        with pytest.raises(InvalidInput):
            case_service.fire(db_session=s, case_no=case_no, trigger="submit_filing",
                              actor_id=org.users["lian"], at=first.at,
                              payload={**first.payload, "amount_involved": "-1"})
    assert snapshot(engine, case_no) == before


# ── REVIEWER_IS_INVESTIGATOR ─────────────────────────────────────────────
def test_reviewer_assigned_as_assistant_cannot_review(engine, org, runner):
    case_no = open_case(engine, org, officers=("diaocha1", "diaocha2", "shencha"))
    walk(runner, case_no, through("submit_legal_review"))
    review = through("approve_legal_review")[-1]
    refused(engine, runner, case_no, "approve_legal_review", "shencha", review.at,
            opinion=review.opinion, code="REVIEWER_IS_INVESTIGATOR",
            phrases=("您是本案的调查人员（协办人）", "不得对本案进行法制审核"))
    refused(engine, runner, case_no, "return_from_legal_review", "shencha", review.at,
            opinion="证据不足", code="REVIEWER_IS_INVESTIGATOR")


# ── COLLECTIVE_DISCUSSION_REQUIRED ───────────────────────────────────────
def test_major_case_needs_collective_discussion(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("submit_legal_review"))
    review = through("approve_legal_review")[-1]
    runner.fire(case_no, "approve_legal_review", "shencha", review.at,
                payload={"major_case": True}, opinion=review.opinion)
    assert case_row(engine, case_no).major_case is True
    refused(engine, runner, case_no, "approve_penalty", "juzhang", "2026-06-12 09:00",
            code="COLLECTIVE_DISCUSSION_REQUIRED",
            phrases=("本案为重大案件", "须经行政机关负责人集体讨论决定"))
    assert runner.fire(case_no, "refer_collective_discussion", "juzhang",
                       "2026-06-12 09:00") == "collective_discussion"
    refused(engine, runner, case_no, "conclude_collective_discussion", "juzhang",
            "2026-06-12 15:00", code="OPINION_REQUIRED")
    assert runner.fire(case_no, "conclude_collective_discussion", "juzhang", "2026-06-12 15:00",
                       opinion="局务会集体讨论，同意拟处罚意见。") == "notice"


def test_case_not_marked_major_is_approved_by_the_head_alone(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("approve_legal_review"))
    assert case_row(engine, case_no).major_case is False
    assert runner.fire(case_no, "approve_penalty", "juzhang", "2026-06-12 09:00") == "notice"


# ── NOTICE_NOT_SERVED / NOTICE_ALREADY_SERVED ────────────────────────────
def test_no_decision_before_the_notice_is_served(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("approve_penalty"))
    refused(engine, runner, case_no, "decide_penalty", "jueding", "2026-07-07 09:00",
            code="NOTICE_NOT_SERVED", phrases=("尚未送达事先告知书",))
    refused(engine, runner, case_no, "waive_statement", "gaozhi", "2026-06-12 10:00",
            code="NOTICE_NOT_SERVED")


def test_notice_cannot_be_served_twice(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_notice"))
    refused(engine, runner, case_no, "serve_notice", "gaozhi", "2026-06-16 09:00",
            code="NOTICE_ALREADY_SERVED",
            phrases=("已于2026年06月15日 09:00送达，不能重复送达",))


# ── STATEMENT_PERIOD_RUNNING ─────────────────────────────────────────────
def test_no_decision_within_the_statement_period(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, SMALL)
    assert case_row(engine, case_no).hearing_entitled is False
    refused(engine, runner, case_no, "decide_penalty", "jueding", "2026-06-23 17:00",
            code="STATEMENT_PERIOD_RUNNING",
            phrases=(f"陈述、申辩期限至{STATEMENT_DUE}届满", "期限内不得作出处罚决定"))
    one_hour_after = PERIOD_END + timedelta(hours=1)
    assert runner.fire(case_no, "decide_penalty", "jueding", one_hour_after) == "decided"


def test_written_waiver_lets_the_decision_proceed_at_once(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, SMALL)
    runner.fire(case_no, "waive_statement", "gaozhi", "2026-06-16 09:00",
                payload={"waiver": "当事人书面放弃陈述、申辩"})
    assert runner.fire(case_no, "decide_penalty", "jueding", "2026-06-16 10:00") == "decided"
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=case_no)
        period = deadline_service.latest(db_session=s, case_id=case.id,
                                         rule_code="statement_period")
        assert period.status.value == "met" and period.due_date == date(2026, 6, 23)
        window = deadline_service.latest(db_session=s, case_id=case.id, rule_code="hearing_request")
        assert window is None  # no hearing right: no hearing window was opened


def test_statement_period_runs_from_the_day_the_party_received_the_notice(engine, org, runner):
    case_no = open_case(engine, org)
    late_entry = replace(SMALL[-1], at=sh("2026-06-17 16:00"),
                         payload={**SMALL[-1].payload, "served_at": "2026-06-15T09:00:00+08:00"})
    walk(runner, case_no, [*SMALL[:-1], late_entry])
    assert case_row(engine, case_no).notice_served_at == sh("2026-06-15 09:00")
    refused(engine, runner, case_no, "decide_penalty", "jueding", "2026-06-23 17:00",
            code="STATEMENT_PERIOD_RUNNING", phrases=(f"陈述、申辩期限至{STATEMENT_DUE}届满",))
    assert runner.fire(case_no, "decide_penalty", "jueding", "2026-06-24 09:00") == "decided"


@pytest.mark.parametrize(("served", "due"), [
    ("2026-09-17", "2026-09-23"),  # 18 (Fri), 20 (Sun, 国庆调休上班), 21, 22, 23
    ("2026-09-29", "2026-10-12"),  # 30, (10-01..10-07 国庆), 10-08, 10-09, 10-10 (Sat, 调休), 10-12
])
def test_statement_period_counts_2026_working_days(engine, org, runner, served, due):
    shift = date.fromisoformat(served) - date(2026, 6, 15)
    case_no = open_case(engine, org, at=sh("2026-06-01 09:00") + shift)
    walk(runner, case_no, shifted(SMALL, shift))
    y, m, d = due.split("-")
    refused(engine, runner, case_no, "decide_penalty", "jueding", f"{due} 17:00",
            code="STATEMENT_PERIOD_RUNNING", phrases=(f"陈述、申辩期限至{y}年{m}月{d}日届满",))
    end = datetime.combine(date.fromisoformat(due) + timedelta(days=1), datetime.min.time(),
                           tzinfo=sh("2026-06-01 00:00").tzinfo)
    assert runner.fire(case_no, "decide_penalty", "jueding", end + timedelta(hours=1)) == "decided"


# ── HEARING_WINDOW_OPEN ──────────────────────────────────────────────────
def test_no_decision_while_the_hearing_request_window_is_open(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_notice"))  # 罚款60,000元: hearing right
    assert runner.fire(case_no, "receive_statement", "gaozhi", "2026-06-16 09:00",
                       opinion="当事人提交书面申辩，称系系统误操作。") == "re_examination"
    refused(engine, runner, case_no, "decide_penalty", "jueding", "2026-06-18 09:00",
            code="HEARING_WINDOW_OPEN", phrases=(f"听证申请期限至{STATEMENT_DUE}届满",))
    assert runner.fire(case_no, "decide_penalty", "jueding", "2026-06-24 09:00") == "decided"


# ── HEARING_PENDING / HEARING_NOT_SCHEDULED / HEARING_NOTICE_TOO_LATE ────
def test_no_decision_while_a_hearing_is_pending(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("request_hearing"))
    refused(engine, runner, case_no, "decide_penalty", "jueding", "2026-07-07 09:00",
            code="HEARING_PENDING", phrases=("当事人已要求听证", "听证结束（或当事人撤回听证申请）前不得作出处罚决定"))
    walk(runner, case_no, [through("schedule_hearing")[-1]])
    refused(engine, runner, case_no, "decide_penalty", "jueding", "2026-07-07 09:00",
            code="HEARING_PENDING")


def test_hearing_cannot_be_concluded_before_it_is_scheduled(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("request_hearing"))
    refused(engine, runner, case_no, "conclude_hearing", "shencha", "2026-06-30 11:00",
            opinion="听证结束", code="HEARING_NOT_SCHEDULED", phrases=("尚未送达听证通知书",))


def test_hearing_notice_must_be_seven_working_days_ahead(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("request_hearing"))
    # notified 06-17 (Wed): 18, (19–21 端午), 22, 23, 24, 25, 26, 29 → earliest hearing day 06-30
    for day in ("2026-06-24", "2026-06-29"):
        refused(engine, runner, case_no, "schedule_hearing", "shencha", "2026-06-17 09:00",
                payload={"hearing_date": f"{day}T09:00:00+08:00", "place": "局三楼会议室"},
                code="HEARING_NOTICE_TOO_LATE",
                phrases=("听证通知须在听证七个工作日前送达", "2026年06月17日送达通知",
                         "听证最早可定于2026年06月30日"))
    refused(engine, runner, case_no, "schedule_hearing", "shencha", "2026-06-17 09:00",
            payload={"place": "局三楼会议室"}, code="HEARING_NOTICE_TOO_LATE",
            phrases=("未填写听证日期",))
    assert runner.fire(case_no, "schedule_hearing", "shencha", "2026-06-17 09:00",
                       payload={"hearing_date": "2026-06-30T09:00:00+08:00", **HEARING_PLACE}) == "hearing"
    assert case_row(engine, case_no).hearing_date == sh("2026-06-30 09:00")


def test_withdrawn_hearing_request_lets_the_decision_proceed(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("schedule_hearing"))
    refused(engine, runner, case_no, "withdraw_hearing", "gaozhi", "2026-06-22 09:00",
            code="OPINION_REQUIRED", phrases=("「当事人撤回听证申请」须填写意见或理由",))
    assert runner.fire(case_no, "withdraw_hearing", "gaozhi", "2026-06-22 09:00",
                       opinion="当事人书面撤回听证申请。") == "re_examination"
    assert case_row(engine, case_no).hearing_closed_at == sh("2026-06-22 09:00")
    refused(engine, runner, case_no, "decide_penalty", "jueding", "2026-06-23 09:00",
            code="STATEMENT_PERIOD_RUNNING")
    assert runner.fire(case_no, "decide_penalty", "jueding", "2026-06-24 09:00") == "decided"


def test_hearing_cannot_be_concluded_before_the_scheduled_day(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("request_hearing"))
    runner.fire(case_no, "schedule_hearing", "shencha", "2026-06-17 09:00",
                payload={"hearing_date": "2026-06-30T09:00:00+08:00", **HEARING_PLACE})
    before = snapshot(engine, case_no)
    with pytest.raises(RuleViolation) as refused_hearing_not_yet_held:
        runner.fire(case_no, "conclude_hearing", "shencha", "2026-06-18 11:00", opinion="听证结束。")
    assert refused_hearing_not_yet_held.value.code == "HEARING_NOT_YET_HELD"
    assert snapshot(engine, case_no) == before


# ── PENALTY_DIFFERS_FROM_REVIEW ──────────────────────────────────────────
def test_decision_must_match_the_reviewed_penalties(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("conclude_hearing"))
    refused(engine, runner, case_no, "decide_penalty", "jueding", "2026-07-07 09:00",
            payload={"penalties": penalties("50000.00", "30000.00")},
            code="PENALTY_DIFFERS_FROM_REVIEW",
            phrases=("拟决定的处罚（测试医院：责令退回30,000.00元；测试医院：罚款50,000.00元）",
                     "与法制审核通过的处罚（测试医院：责令退回30,000.00元；测试医院：罚款60,000.00元）不一致"))
    refused(engine, runner, case_no, "decide_penalty", "jueding", "2026-07-07 09:00",
            payload={"penalties": [*penalties("60000.00", "30000.00"),
                                   {"kind": "警告", "basis": "《行政处罚法》第九条"}]},
            code="PENALTY_DIFFERS_FROM_REVIEW")
    same = list(reversed(penalties("60000.00", "30000.00")))  # order does not matter
    assert runner.fire(case_no, "decide_penalty", "jueding", "2026-07-07 09:00",  # the hearing's arguments answered
                       payload={"penalties": same, "answers": HEARING_ANSWERS}) == "decided"
    case = case_row(engine, case_no)
    decided = {(p.kind, p.amount) for p in case.penalties_at(PenaltyStage.decided)}
    assert decided == {("责令退回", Decimal("30000.00")), ("罚款", Decimal("60000.00"))}


def test_revised_proposal_goes_back_to_legal_review_and_clears_the_notice(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_notice"))
    refused(engine, runner, case_no, "revise_proposal", "diaocha1", "2026-06-16 09:00",
            payload={"penalties": penalties("45000.00", "30000.00")}, code="OPINION_REQUIRED")
    # A changed 骗取金额 is not 变更拟处罚意见's to record: it is its own step, with its reason.
    refused(engine, runner, case_no, "revise_proposal", "diaocha1", "2026-06-16 09:00",
            payload={"penalties": penalties("45000.00", "22500.00"), "amount_defrauded": "22500.00"},
            opinion="复核查明骗取金额为22,500元，调整罚款数额。", code="AMOUNT_CHANGE_NEEDS_OWN_STEP",
            phrases=("骗取金额：30,000.00元 → 22,500.00元", "变更认定金额"))
    assert runner.fire(case_no, "amend_amounts", "diaocha1", "2026-06-16 09:00",
                       payload={"penalties": penalties("45000.00", "22500.00"),
                                "amount_defrauded": "22500.00"},  # 2倍 of the re-checked amount
                       opinion="复核查明骗取金额为22,500元，调整罚款数额。") == "legal_review"
    case = case_row(engine, case_no)
    assert case.notice_served_at is None and case.hearing_entitled is None
    assert case.amount_defrauded == Decimal("22500.00")
    assert {(p.kind, p.amount) for p in case.penalties_at(PenaltyStage.proposed)} == {
        ("责令退回", Decimal("22500.00")), ("罚款", Decimal("45000.00"))}
    assert case.penalties_at(PenaltyStage.reviewed) == []
    assert [d for d in snapshot(engine, case_no)["deadlines"] if d[0] not in ("case_handling", "clue_check")] == [
        ("statement_period", "cancelled"), ("hearing_request", "cancelled")]
    walk(runner, case_no, [replace(through("approve_legal_review")[-1], at=sh("2026-06-17 09:00")),
                           replace(through("approve_penalty")[-1], at=sh("2026-06-17 10:00"))])
    refused(engine, runner, case_no, "decide_penalty", "jueding", "2026-06-30 09:00",
            code="NOTICE_NOT_SERVED")
    runner.fire(case_no, "serve_notice", "gaozhi", "2026-06-18 09:00")
    case = case_row(engine, case_no)
    assert case.hearing_entitled is False  # 罚款45,000元 < 50,000元
    assert case.notice_served_at == sh("2026-06-18 09:00")
    # 06-18 → 22, 23, 24, 25, 26: the new statement period ends 06-26
    refused(engine, runner, case_no, "decide_penalty", "jueding", "2026-06-26 09:00",
            code="STATEMENT_PERIOD_RUNNING", phrases=("陈述、申辩期限至2026年06月26日届满",))
    assert runner.fire(case_no, "decide_penalty", "jueding", "2026-06-29 09:00") == "decided"


# ── HEARING_NOT_ENTITLED / HEARING_REQUEST_LATE ──────────────────────────
def test_small_fine_for_an_organisation_grants_no_hearing(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, path_with(penalties("49999.99")))
    refused(engine, runner, case_no, "request_hearing", "gaozhi", "2026-06-16 09:00",
            code="HEARING_NOT_ENTITLED",
            phrases=("本案拟作出的处罚（测试医院：责令退回24,999.99元；测试医院：罚款49,999.99元）",
                     "不属于应当告知听证权利的情形"))


@pytest.mark.parametrize(("party", "fine"), [(None, "50000.00"), (PERSON, "5000.00")],
                         ids=["organisation_50000", "individual_5000"])
def test_fine_at_the_threshold_grants_a_hearing(engine, org, runner, party, fine):
    case_no = open_case(engine, org, party=party)
    walk(runner, case_no, path_with(penalties(fine)))
    assert case_row(engine, case_no).hearing_entitled is True
    assert runner.fire(case_no, "request_hearing", "gaozhi", "2026-06-16 09:00") == "hearing"


def test_hearing_request_after_five_working_days_is_late(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_notice"))
    refused(engine, runner, case_no, "request_hearing", "gaozhi", "2026-06-24 09:00",
            code="HEARING_REQUEST_LATE",
            phrases=(f"听证申请期限已于{STATEMENT_DUE}届满", "逾期提出的听证要求不予受理"))
    assert runner.fire(case_no, "request_hearing", "gaozhi", "2026-06-23 17:00") == "hearing"


# ── TRANSITION_NOT_AVAILABLE / UNKNOWN_TRIGGER ───────────────────────────
def test_step_not_available_from_the_current_state(engine, org, runner):
    case_no = open_case(engine, org)
    err = refused(engine, runner, case_no, "decide_penalty", "jueding", "2026-06-01 10:00",
                  code="TRANSITION_NOT_AVAILABLE",
                  phrases=("案件当前处于「线索登记」，不能执行「作出行政处罚决定」。",))
    assert err.details == {"state": "clue_registered", "trigger": "decide_penalty"}


def test_archived_case_takes_no_more_steps(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, FULL_PATH)
    refused(engine, runner, case_no, "suspend", "juzhang", "2026-07-23 09:00", opinion="x",
            code="TRANSITION_NOT_AVAILABLE", phrases=("案件当前处于「归档」",))


@pytest.mark.parametrize("trigger", ["fly", "seal_on_the_spot"])
def test_unknown_trigger(engine, org, runner, trigger):
    case_no = open_case(engine, org)
    refused(engine, runner, case_no, trigger, "lian", "2026-06-01 10:00", code="UNKNOWN_TRIGGER",
            phrases=(f"「行政处罚普通程序」没有名为「{trigger}」的步骤。",))


# ── other agencies, concurrent edits ─────────────────────────────────────
@pytest.mark.parametrize("user", ["ps_head", "ps_lian"])
def test_user_of_another_agency_does_not_find_the_case(engine, org, runner, user):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("submit_filing"))
    err = refused(engine, runner, case_no, "approve_filing", user, "2026-06-02 09:00",
                  exc=NotFound, code="NOT_FOUND", phrases=(f"未找到案件「{case_no}」",))
    assert not isinstance(err, RuleViolation)


def test_stale_expected_version_is_a_conflict(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("submit_filing"))
    before = snapshot(engine, case_no)
    seen = before["case"]["version"]

    def approve(version: int):
        with unit_of_work(engine) as s:
            return case_service.fire(db_session=s, case_no=case_no, trigger="approve_filing",
                                     actor_id=org.users["juzhang"], expected_version=version,
                                     at=sh("2026-06-02 09:00")).case.version

    for stale in (seen - 1, seen + 1):
        with pytest.raises(Conflict) as info:
            approve(stale)
        assert info.value.code == "CASE_CONFLICT"
        assert f"已被他人修改（版本{seen}）" in info.value.message
        assert snapshot(engine, case_no) == before
    assert approve(seen) == seen + 1
    assert runner.state(case_no) == "investigation"


# ── available_actions ────────────────────────────────────────────────────
def actions(engine, case_no: str, username: str | None,
            at: str) -> dict[str, case_service.ActionInfo]:
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=case_no)
        actor = get_user_by_username(db_session=s, username=username) if username else None
        return {a.trigger: a for a in case_service.available_actions(
            db_session=s, case=case, actor=actor, at=sh(at))}


def test_available_actions_show_the_refusing_guard(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, SMALL)
    during = actions(engine, case_no, "jueding", "2026-06-16 09:00")
    decide = during["decide_penalty"]
    assert (decide.allowed, decide.code) == (False, "STATEMENT_PERIOD_RUNNING")
    assert f"陈述、申辩期限至{STATEMENT_DUE}届满" in (decide.reason or "")
    assert "opinion_required" in decide.needs_input
    assert during["serve_notice"].code == "POST_REQUIRED"  # 决定岗 does not serve notices

    after = actions(engine, case_no, "jueding", "2026-06-24 09:00")["decide_penalty"]
    assert (after.allowed, after.code, after.reason) == (True, None, None)

    by_gaozhi = actions(engine, case_no, "gaozhi", "2026-06-16 09:00")
    assert by_gaozhi["decide_penalty"].code == "POST_REQUIRED"
    assert by_gaozhi["serve_notice"].code == "NOTICE_ALREADY_SERVED"
    assert by_gaozhi["waive_statement"].allowed is True
    assert by_gaozhi["request_hearing"].code == "HEARING_NOT_ENTITLED"
    assert set(by_gaozhi) == {"serve_notice", "waive_statement", "receive_statement",
                              "request_hearing", "revise_proposal", "amend_amounts", "decide_penalty",
                              "suspend", "terminate", "extend_case_handling"}
    assert snapshot(engine, case_no)["case"]["state"] == "notice"


def test_available_actions_for_a_recused_actor(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("approve_filing"))
    declare(engine, case_no, "diaocha1", "与当事人法定代表人系近亲属", "2026-06-02 15:00")
    start = actions(engine, case_no, "diaocha1", "2026-06-03 09:00")["start_investigation"]
    assert (start.allowed, start.code) == (False, "ACTOR_RECUSED")
    other = actions(engine, case_no, "diaocha2", "2026-06-03 09:00")["start_investigation"]
    assert (other.allowed, other.code) == (False, "CREDENTIALS_INSUFFICIENT")
    anyone = actions(engine, case_no, None, "2026-06-03 09:00")["revoke_filing"]
    assert anyone.allowed is True and anyone.requires_opinion is True


def test_case_numbers_are_found_with_ascii_brackets(engine, org, runner):
    case_no = open_case(engine, org)
    ascii_no = case_no.replace("〔", "[").replace("〕", "]")
    assert runner.fire(ascii_no, "submit_filing", "lian", "2026-06-01 10:00",
                       payload=FULL_PATH[0].payload) == "filing_approval"
    with unit_of_work(engine, write=False) as s:
        assert s.scalar(select(Case.state).where(Case.case_no == case_no)) == "filing_approval"


def test_step_time_without_time_zone_is_refused(engine, org, runner):
    case_no = open_case(engine, org)
    err = refused(engine, runner, case_no, "submit_filing", "lian", datetime(2026, 6, 1, 10, 0),
                  payload=FULL_PATH[0].payload, exc=InvalidInput, code="INVALID_INPUT",
                  phrases=("时间须带时区",))
    assert err.details == {"at": "须带时区"}


def test_interest_in_another_party_does_not_bar_the_officer(engine, org, runner):
    """回避 is per party: an officer recused from one party's cases still acts on other parties'."""
    other = open_case(engine, org, party=PERSON)
    declare(engine, other, "juzhang", "当事人张某系本人亲属", "2026-05-30 09:00")
    case_no = open_case(engine, org)  # the hospital: no interest declared
    walk(runner, case_no, through("submit_filing"))
    assert runner.fire(case_no, "approve_filing", "juzhang", "2026-06-02 09:00") == "investigation"
    with pytest.raises(RuleViolation) as refused_on_other:
        runner.fire(other, "submit_filing", "juzhang", "2026-06-02 09:00")
    assert refused_on_other.value.code in ("ACTOR_RECUSED", "POST_REQUIRED")
    walk(runner, other, through("submit_filing"))
    with pytest.raises(RuleViolation) as recused:
        runner.fire(other, "approve_filing", "juzhang", "2026-06-02 09:00")
    assert recused.value.code == "ACTOR_RECUSED"
