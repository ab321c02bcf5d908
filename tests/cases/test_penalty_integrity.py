"""No unlawful fine reaches a 决定书 (issue 13, item 1).

From the statutes (../shared/legal):
- 《医疗保障基金使用监督管理条例》第四十一条第二款 / 第四十条: 处骗取金额2倍以上5倍以下的罚款 — the base
  is the 骗取金额 the case has established, not a number sent along with the penalty.
- 同条 "责令退回": what is returned is what was 骗取 (or lost), so never more than the recorded amount.
- 《行政处罚法》第五十八条: 法制审核 before the decision; 第五十七条: the head decides. A defect that
  got past one of them must not get past the next: each step that carries the penalty forward
  re-checks it against the case's catalog snapshot.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import update

from caseflow.cases import service as case_service
from caseflow.cases.models import PenaltyItem, PenaltyStage
from caseflow.db.session import unit_of_work
from caseflow.demo.scenarios import INDIVIDUAL_ITEM, PERSON_FINDING, to_legal_review
from caseflow.demo.walk import sh
from caseflow.errors import InvalidInput
from tests.helpers import PERSON, case_row, events, open_case, refused, through, walk

START = sh("2026-06-01 09:00")
FINDING = {**PERSON_FINDING, "violation_from": "2026-04-13", "violation_until": "2026-04-13"}
BASIS_41 = "《医疗保障基金使用监督管理条例》第四十一条第二款：处骗取金额2倍以上5倍以下的罚款"
RETURN_41 = "《医疗保障基金使用监督管理条例》第四十一条（责令退回）"


def person_case(engine, org) -> str:
    """004-06 against 张某, 骗取金额 2,100.00元 established at 调查终结."""
    return open_case(engine, org, party=PERSON, item=INDIVIDUAL_ITEM, at=START)


def to_conclusion(runner, case_no: str) -> datetime:
    steps = to_legal_review(START, PERSON_FINDING)[:4]  # 提请立案, 批准立案, 开始调查, 询问笔录
    walk(runner, case_no, steps)
    return steps[-1].at + timedelta(hours=2)  # type: ignore[operator]


def proposal(*penalties: dict[str, object]) -> dict[str, object]:
    return {**FINDING, "penalties": list(penalties)}


def fine(amount: str, **extra: object) -> dict[str, object]:
    return {"kind": "罚款", "amount": amount, "basis": BASIS_41, **extra}


def back(amount: str) -> dict[str, object]:
    return {"kind": "责令退回", "amount": amount, "basis": RETURN_41}


def test_a_base_amount_sent_with_the_penalty_is_refused(engine, org, runner):
    """The finding: 罚款50,000 on a recorded 骗取金额 of 2,100 passed with base_amount=10,000."""
    case_no = person_case(engine, org)
    at = to_conclusion(runner, case_no)
    err = refused(engine, runner, case_no, "conclude_investigation", "diaocha1", at,
                  payload=proposal(back("2100.00"), fine("50000.00", base_amount="10000.00")),
                  exc=InvalidInput, code="INVALID_INPUT", phrases=("本案认定的金额",))
    assert "penalties[1].base_amount" in err.details


def test_the_multiple_is_of_the_recorded_amount(engine, org, runner):
    case_no = person_case(engine, org)
    at = to_conclusion(runner, case_no)
    # 5 × 2,100.00 = 10,500.00元 is the most 第四十一条第二款 allows.
    refused(engine, runner, case_no, "conclude_investigation", "diaocha1", at,
            payload=proposal(back("2100.00"), fine("50000.00")), code="PENALTY_OUT_OF_RANGE",
            phrases=("高于法定上限10,500.00元", "骗取金额2,100.00元的2倍至5倍"))
    assert runner.fire(case_no, "conclude_investigation", "diaocha1", at,
                       payload=proposal(back("2100.00"), fine("10500.00"))) == "case_review"


def test_return_may_not_exceed_the_recorded_amount(engine, org, runner):
    case_no = person_case(engine, org)
    at = to_conclusion(runner, case_no)
    refused(engine, runner, case_no, "conclude_investigation", "diaocha1", at,
            payload=proposal(back("2100.01"), fine("4200.00")), code="PENALTY_OUT_OF_RANGE",
            phrases=("责令退回2,100.01元超过本案认定的骗取金额2,100.00元",))
    # Less than the whole amount may be ordered back (e.g. part already returned).
    assert runner.fire(case_no, "conclude_investigation", "diaocha1", at,
                       payload=proposal(back("1000.00"), fine("4200.00"))) == "case_review"


def test_return_without_any_recorded_amount_is_refused(engine, org, runner):
    case_no = person_case(engine, org)
    at = to_conclusion(runner, case_no)
    finding = {k: v for k, v in FINDING.items() if k != "amount_defrauded"}
    refused(engine, runner, case_no, "conclude_investigation", "diaocha1", at,
            payload={**finding, "penalties": [back("100.00")]}, code="PENALTY_OUT_OF_RANGE",
            phrases=("本案尚未认定该金额",))


def _tamper(runner, case_no: str, stage: PenaltyStage, amount: str) -> None:
    """A defect upstream (a bug, an edit outside the engine): the stored fine is unlawful."""
    engine = runner.engine
    if runner._session is not None:
        runner._session.expire_all()  # the long-lived session must read the edit back
    with unit_of_work(engine) as s:
        case = case_service.get_case(db_session=s, case_no=case_no)
        s.execute(update(PenaltyItem).where(PenaltyItem.case_id == case.id, PenaltyItem.stage == stage,
                                            PenaltyItem.kind == "罚款").values(amount=Decimal(amount)))


def _person_to_legal_review(engine, org, runner) -> str:
    case_no = person_case(engine, org)
    walk(runner, case_no, to_legal_review(START, PERSON_FINDING))
    return case_no


def test_legal_review_re_checks_the_recorded_proposal(engine, org, runner):
    case_no = _person_to_legal_review(engine, org, runner)
    _tamper(runner, case_no, PenaltyStage.proposed, "50000.00")
    refused(engine, runner, case_no, "approve_legal_review", "shencha", "2026-06-05 09:00",
            opinion="同意", code="PENALTY_OUT_OF_RANGE",
            phrases=("罚款金额50,000.00元高于法定上限10,500.00元", "法制审核不能通过"))


def test_approval_collective_discussion_and_decision_re_check_the_reviewed_penalty(engine, org, runner):
    case_no = _person_to_legal_review(engine, org, runner)
    runner.fire(case_no, "approve_legal_review", "shencha", "2026-06-05 09:00", opinion="同意")
    _tamper(runner, case_no, PenaltyStage.reviewed, "50000.00")
    refused(engine, runner, case_no, "approve_penalty", "juzhang", "2026-06-05 10:00",
            code="PENALTY_OUT_OF_RANGE", phrases=("高于法定上限10,500.00元",))
    runner.fire(case_no, "refer_collective_discussion", "juzhang", "2026-06-05 10:00")
    refused(engine, runner, case_no, "conclude_collective_discussion", "juzhang", "2026-06-05 11:00",
            opinion="集体讨论同意", code="PENALTY_OUT_OF_RANGE", phrases=("高于法定上限10,500.00元",))
    # Even if the reviewed penalty had got through to 告知: the decision is refused.
    _tamper(runner, case_no, PenaltyStage.reviewed, "4200.00")
    runner.fire(case_no, "conclude_collective_discussion", "juzhang", "2026-06-05 11:00", opinion="同意")
    runner.fire(case_no, "serve_notice", "gaozhi", "2026-06-08 09:00")
    runner.fire(case_no, "waive_statement", "gaozhi", "2026-06-08 10:00")
    _tamper(runner, case_no, PenaltyStage.reviewed, "50000.00")
    refused(engine, runner, case_no, "decide_penalty", "jueding", "2026-06-08 11:00",
            code="PENALTY_OUT_OF_RANGE", phrases=("高于法定上限10,500.00元",))


def test_amounts_change_only_by_their_own_step_with_a_reason(engine, org, runner):
    """变更认定金额: the investigating post, with its reason, recorded old → new in the trail; a
    reviewed proposal goes back to 法制审核 and its reviewed penalties no longer stand."""
    case_no = _person_to_legal_review(engine, org, runner)
    runner.fire(case_no, "approve_legal_review", "shencha", "2026-06-05 09:00", opinion="同意")
    change = {"amount_defrauded": "1500.00",
              "penalties": [back("1500.00"), fine("3000.00")]}
    refused(engine, runner, case_no, "amend_amounts", "diaocha1", "2026-06-05 10:00",
            payload=change, code="OPINION_REQUIRED")
    refused(engine, runner, case_no, "amend_amounts", "shencha", "2026-06-05 10:00",
            payload=change, opinion="核减", code="POST_REQUIRED")
    refused(engine, runner, case_no, "amend_amounts", "diaocha1", "2026-06-05 10:00",
            payload={"amount_defrauded": "2100.00"}, opinion="核对", code="AMOUNT_CHANGE_MISSING")
    # The recorded proposal (罚款4,200 = 2 × 2,100) would exceed 5 × 500 = 2,500.
    refused(engine, runner, case_no, "amend_amounts", "diaocha1", "2026-06-05 10:00",
            payload={"amount_defrauded": "500.00"}, opinion="核减", code="PENALTY_OUT_OF_RANGE",
            phrases=("按变更后的金额", "高于法定上限2,500.00元"))
    assert runner.fire(case_no, "amend_amounts", "diaocha1", "2026-06-05 10:00", payload=change,
                       opinion="经核对结算明细，其中600元系合规费用，骗取金额核减为1,500元。") == "legal_review"
    case = case_row(engine, case_no)
    assert case.amount_defrauded == Decimal("1500.00")
    assert case.penalties_at(PenaltyStage.reviewed) == []
    assert {(p.kind, p.amount) for p in case.penalties_at(PenaltyStage.proposed)} == {
        ("责令退回", Decimal("1500.00")), ("罚款", Decimal("3000.00"))}
    last = events(engine, case_no)[-1]
    assert last.trigger == "amend_amounts" and last.actor_name == "王调查"
    assert last.payload["amounts_changed"] == ["骗取金额：2,100.00元 → 1,500.00元"]
    assert "核减为1,500元" in (last.opinion or "")


def test_revising_the_proposal_cannot_slip_in_an_amount(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_notice"))
    conclude = through("conclude_investigation")[-1]
    pen = [replace(conclude).payload["penalties"][0], {"kind": "罚款", "amount": "100000.00",
                                                      "basis": conclude.payload["penalties"][1]["basis"]}]
    refused(engine, runner, case_no, "revise_proposal", "diaocha1", "2026-06-16 09:00",
            payload={"penalties": pen, "amount_defrauded": "50000.00"}, opinion="加重",
            code="AMOUNT_CHANGE_NEEDS_OWN_STEP", phrases=("骗取金额：30,000.00元 → 50,000.00元",))
    # The same amounts as recorded (a form sends them back prefilled) are no change.
    assert runner.fire(case_no, "revise_proposal", "diaocha1", "2026-06-16 09:00",
                       payload={"penalties": pen, "amount_defrauded": "30,000.00",
                                "discretion_reason": "复核查明退回款项系他人代付，从轻情节不再成立。"},
                       opinion="情节较重，调整罚款。") == "legal_review"


def test_a_measure_another_authority_imposes_is_not_proposed_as_ours(engine, org, runner):
    """条例第四十条: 医疗保障经办机构 解除服务协议; 有关主管部门 吊销执业资格 — referrals, not this
    bureau's penalties (《行政处罚法》第十八条: 行政处罚由具有行政处罚权的行政机关在法定职权范围内实施)."""
    case_no = open_case(engine, org)
    walk(runner, case_no, through("record_inquiry"))
    conclude = through("conclude_investigation")[-1]
    basis_40 = conclude.payload["penalties"][1]["basis"]
    refused(engine, runner, case_no, conclude.trigger, conclude.user, conclude.at,
            payload={**conclude.payload, "penalties": [*conclude.payload["penalties"],
                                                       {"kind": "解除服务协议", "basis": basis_40}]},
            code="PENALTY_OUT_OF_RANGE", phrases=("「解除服务协议」由医疗保障经办机构依法作出", "应当移送"))


def test_the_five_year_ban_is_aimed_at_the_legal_representative():
    """条例第四十三条: 其法定代表人或者主要负责人5年内禁止从事定点医药机构管理活动 — not the
    institution itself, and not 直接责任人员."""
    from caseflow.catalog.lawful_penalties import problems
    from caseflow.catalog.model import PARTY, PRINCIPAL_OFFICER, RESPONSIBLE_PERSON
    from caseflow.catalog.service import get_catalog

    item = get_catalog().item("004-07")
    ban = {"kind": "禁止从事定点医药机构管理活动", "amount": None, "months": 60,
           "basis": "《医疗保障基金使用监督管理条例》第四十三条", "party_id": 1}
    assert problems(item, [ban], targets={1: PRINCIPAL_OFFICER}, case_amounts={}) == []
    for target, who in ((PARTY, "当事人"), (RESPONSIBLE_PERSON, "直接负责的主管人员")):
        (reason,) = problems(item, [ban], targets={1: target}, case_amounts={})
        assert f"没有规定对{who}" in reason
