"""裁量 at 调查终结 (《行政处罚法》第三十四条; 医保发〔2021〕35号): the circumstances found, each with its
evidence, lead to the benchmark's tier; a 罚款 inside the law but outside that tier is refused without a
written 裁量说明 and accepted with one; the 告知书/决定书 and the 法制审核意见书 state the reasoning."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from caseflow.db.session import unit_of_work
from caseflow.demo.scenarios import FRAUD_BASIS_FINE, FRAUD_BASIS_RETURN
from caseflow.documents import snapshot
from caseflow.documents.models import Document
from caseflow.errors import InvalidInput
from tests.helpers import Runner, case_row, open_case, refused, through, walk

CONCLUDE = through("conclude_investigation")[-1]  # 骗取金额 30,000.00元; factor: 主动消除危害后果
REMEDIED = {"factor": "remedied_harm", "evidence": "退款回单"}


def proposal(fine: str, **extra):
    penalties = [{"kind": "责令退回", "amount": "30000.00", "basis": FRAUD_BASIS_RETURN},
                 {"kind": "罚款", "amount": fine, "basis": FRAUD_BASIS_FINE}]
    return replace(CONCLUDE, payload={**CONCLUDE.payload, "penalties": penalties, **extra})


def test_a_fine_outside_the_tier_needs_a_written_reason(engine, org):
    runner = Runner(engine, org, reload=True)
    case_no = open_case(engine, org)
    walk(runner, case_no, through("record_inquiry"))
    step = proposal("120000.00", factors=[REMEDIED])  # 4×: lawful (2–5×), but 从轻 is 2–3×
    err = refused(engine, runner, case_no, step.trigger, step.user, step.at, payload=step.payload,
                  code="DISCRETION_REASON_REQUIRED",
                  phrases=("罚款120,000.00元为骗取金额30,000.00元的4倍", "第1项「从轻」档（2至3倍，即60,000.00至90,000.00元）"))
    assert err.details == {"discretion_reason": "偏离裁量基准推荐档次，须填写裁量说明"}
    reason = "当事人退回款项系案发后被动所为，危害后果未实际减轻。"
    assert runner.fire(case_no, step.trigger, step.user, step.at,
                       payload={**step.payload, "discretion_reason": reason}) == "case_review"
    recorded = case_row(engine, case_no).discretion
    assert recorded["factors"] == [{"code": "remedied_harm", "name": "主动消除或者减轻违法行为危害后果", "effect": "lighter",
                                    "basis": "《行政处罚法》第三十二条第（一）项", "evidence": "退款回单"}]
    (fine,) = recorded["penalties"]
    assert (fine["tier"], fine["low"], fine["high"], fine["within"]) == ("从轻", "60000.00", "90000.00", False)
    assert recorded["reason"] == reason


def test_without_circumstances_a_large_amount_is_the_heavier_tier(engine, org):
    runner = Runner(engine, org, reload=True)
    case_no = open_case(engine, org)
    walk(runner, case_no, through("record_inquiry"))
    step = proposal("90000.00", factors=[])  # 3×, but 30,000元 > 5,000元 with nothing lighter: 从重 4–5×
    refused(engine, runner, case_no, step.trigger, step.user, step.at, payload=step.payload,
            code="DISCRETION_REASON_REQUIRED", phrases=("「从重」档（4至5倍",))
    assert runner.fire(case_no, step.trigger, step.user, step.at,
                       payload={**step.payload, "penalties": proposal("120000.00").payload["penalties"]}) == "case_review"


def test_a_circumstance_counts_only_if_the_benchmark_names_it_and_with_its_evidence(engine, org):
    runner = Runner(engine, org, reload=True)
    case_no = open_case(engine, org)
    walk(runner, case_no, through("record_inquiry"))
    step = proposal("60000.00", factors=[{"factor": "态度很好", "evidence": "笔录"}])
    refused(engine, runner, case_no, step.trigger, step.user, step.at, payload=step.payload,
            code="DISCRETION_FACTOR_UNKNOWN", phrases=("「态度很好」",))
    refused(engine, runner, case_no, step.trigger, step.user, step.at,
            payload={**step.payload, "factors": [{"factor": "remedied_harm", "evidence": ""}]},
            exc=InvalidInput, code="INVALID_INPUT")


def test_the_documents_state_the_discretion_reasoning(engine, org):
    runner = Runner(engine, org, reload=True)
    case_no = open_case(engine, org)
    walk(runner, case_no, through("decide_penalty"))
    with unit_of_work(engine, write=False) as s:
        docs = {d.doc_type: snapshot.decode(d.data) for d in s.scalars(
            select(Document).where(Document.case_id == case_row(engine, case_no).id))}
    expected = ("综合考虑当事人主动消除或者减轻违法行为危害后果等情节，依据《河南省医疗保障行政处罚裁量基准》第1项，"
                "予以从轻处罚（骗取金额的2至3倍）。")
    assert docs["penalty_decision"]["discretion"] == expected
    assert docs["hearing_rights_notice"]["discretion"] == expected
    assert docs["legal_review_opinion"]["discretion"] == expected


def test_mitigation_below_the_minimum_needs_a_statutory_ground_a_reason_and_collective_discussion(engine, org):
    """《行政处罚法》第三十二条: 应当从轻或者减轻 — 减轻 may go below 2×, on such a ground, with its reasons,
    and (the agency's setting) only by 集体讨论."""
    runner = Runner(engine, org, reload=True)
    case_no = open_case(engine, org)
    walk(runner, case_no, through("record_inquiry"))
    below = proposal("30000.00", factors=[REMEDIED])  # 1×: under 条例第四十条's 2×
    refused(engine, runner, case_no, below.trigger, below.user, below.at, payload=below.payload,
            code="PENALTY_OUT_OF_RANGE", phrases=("低于法定下限60,000.00元",))
    first = {"factor": "first_offence", "evidence": "无处罚记录"}  # the province's, not the statute's
    refused(engine, runner, case_no, below.trigger, below.user, below.at,
            payload={**below.payload, "factors": [first], "discretion_reason": "初次违法"},
            code="PENALTY_OUT_OF_RANGE")
    reason = "当事人主动退回全部款项并配合调查，危害后果已消除。"
    assert runner.fire(case_no, below.trigger, below.user, below.at,
                       payload={**below.payload, "discretion_reason": reason}) == "case_review"
    assert case_row(engine, case_no).discretion["mitigated"] is True
    walk(runner, case_no, [s for s in through("approve_legal_review") if s.trigger in (
        "submit_legal_review", "approve_legal_review")])
    refused(engine, runner, case_no, "approve_penalty", "juzhang", "2026-06-12 09:00",
            code="COLLECTIVE_DISCUSSION_REQUIRED", phrases=("减轻处罚",))
    runner.fire(case_no, "refer_collective_discussion", "juzhang", "2026-06-12 09:00")
    assert runner.fire(case_no, "conclude_collective_discussion", "juzhang", "2026-06-12 15:00",
                       opinion="集体讨论同意减轻处罚。") == "notice"
    with unit_of_work(engine, write=False) as s:
        opinion = s.scalar(select(Document).where(Document.case_id == case_row(engine, case_no).id,
                                                  Document.doc_type == "legal_review_opinion"))
        text = snapshot.decode(opinion.data)["discretion"]
    assert "依据《中华人民共和国行政处罚法》第三十二条的规定，依法减轻处罚，罚款为骗取金额的1倍" in text


def test_changing_the_amount_found_judges_the_proposal_against_the_benchmark_again(engine, org):
    runner = Runner(engine, org, reload=True)
    case_no = open_case(engine, org)
    walk(runner, case_no, through("conclude_investigation"))  # 罚款60,000 = 2× of 30,000: 从轻
    # 骗取金额 found to be 15,000: the same 60,000 is 4× — lawful (2–5×), outside 从轻 (2–3×)
    change = {"amount_defrauded": "15000.00", "amount_involved": "15000.00",
              "penalties": [{"kind": "责令退回", "amount": "15000.00", "basis": FRAUD_BASIS_RETURN},
                            {"kind": "罚款", "amount": "60000.00", "basis": FRAUD_BASIS_FINE}]}
    refused(engine, runner, case_no, "amend_amounts", "diaocha1", "2026-06-10 10:00", payload=change,
            opinion="核减骗取金额。", code="DISCRETION_REASON_REQUIRED", phrases=("4倍",))
    runner.fire(case_no, "amend_amounts", "diaocha1", "2026-06-10 10:00", opinion="核减骗取金额。",
                payload={**change, "discretion_reason": "核减后违法情节未变，维持原罚款数额。"})
    (fine,) = case_row(engine, case_no).discretion["penalties"]
    assert (fine["base"], fine["multiple"], fine["within"]) == ("15000.00", "4.00", False)
