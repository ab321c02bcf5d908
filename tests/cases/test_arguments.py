"""The party's arguments answered (issue 19 §4; 《行政处罚法》第四十五条: 对当事人提出的事实、理由和证据，
应当进行复核；成立的，应当采纳; 第六十五条: 听证结束后，行政机关应当根据听证笔录 … 作出决定).

What the party argued is recorded at 收到陈述、申辩 and 听证结束 without an answer — the hearing reports, it
does not decide; the agency answers each on 复核 with the step that leaves 复核 (the decision, or 变更拟处罚
意见); no decision while an argument recorded has no answer; the 决定书 states each with its answer.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from caseflow.db.session import unit_of_work
from caseflow.demo.scenarios import FRAUD_BASIS_FINE, FRAUD_BASIS_RETURN, HEARING_ANSWERS
from caseflow.documents import snapshot as doc_snapshot
from caseflow.documents.models import Document
from caseflow.documents.renderer import render_pdf
from caseflow.errors import InvalidInput
from caseflow.workflow.input_values import validate_payload
from caseflow.workflow.inputs import InputDef
from tests.helpers import Runner, case_row, open_case, refused, through, walk

ARGUED = [{"argument": a["argument"]} for a in HEARING_ANSWERS]
REJECTED, PARTLY = HEARING_ANSWERS


def _decision(engine, case_no: str) -> dict:
    with unit_of_work(engine, write=False) as s:
        doc = s.scalar(select(Document).where(Document.case_id == case_row(engine, case_no).id,
                                              Document.doc_type == "penalty_decision")
                       .order_by(Document.id.desc()))
        return doc_snapshot.decode(doc.data)


def _pdf_text(pdf: bytes) -> str:
    """The text as read, without line breaks and the page numbers (— 2 —) a paragraph may run across."""
    text = "".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")
    return re.sub(r"— \d+ —", "", text)


def _clause(words: str) -> str:
    return words.rstrip("。")


# ── the 决定书 states each argument with the agency's answer ─────────────
def test_each_argument_answered_is_stated_in_the_decision(engine, org):
    runner = Runner(engine, org, reload=True)
    case_no = open_case(engine, org)
    walk(runner, case_no, through("decide_penalty"))  # the demo: argued at the hearing, answered at the decision

    recorded = case_row(engine, case_no).arguments
    assert [(a["argument"], a["heard"], a["heard_on"], a["answer"], a["answered_on"]) for a in recorded] == [
        (REJECTED["argument"], "听证", "2026-07-06", "不采纳", "2026-07-07"),
        (PARTLY["argument"], "听证", "2026-07-06", "部分采纳", "2026-07-07"),
    ]
    data = _decision(engine, case_no)
    expected = [
        f"当事人提出：{_clause(REJECTED['argument'])}。经复核，本机关认为：{REJECTED['reason']}，不予采纳。",
        f"当事人提出：{_clause(PARTLY['argument'])}。经复核，本机关认为：{PARTLY['reason']}，予以部分采纳。",
    ]
    paragraphs = data["statement_summary"].split("\n")
    assert paragraphs[1:] == expected
    # The hearing as its record reports it comes first — and no "听证认为": a hearing does not decide.
    assert paragraphs[0].startswith("听证中，调查人员提出了当事人违法的事实、证据和行政处罚建议")
    assert "听证认为" not in data["statement_summary"]

    text = _pdf_text(render_pdf("penalty_decision", data))
    for paragraph in expected:
        assert paragraph in text


def test_an_adopted_argument_needs_no_reason_and_reads_as_adopted(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("conclude_hearing"))
    answers = [{"argument": REJECTED["argument"], "answer": "采纳"}, PARTLY]
    assert runner.fire(case_no, "decide_penalty", "jueding", "2026-07-07 09:00",
                       payload={"answers": answers}) == "decided"
    paragraphs = _decision(engine, case_no)["statement_summary"].split("\n")
    assert f"当事人提出：{_clause(REJECTED['argument'])}。经复核，本机关认为该意见成立，予以采纳。" in paragraphs


def test_without_arguments_the_decision_says_what_it_said_before(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_notice"))
    runner.fire(case_no, "receive_statement", "gaozhi", "2026-06-16 09:00", opinion="当事人提交书面申辩，称系系统误操作")
    runner.fire(case_no, "decide_penalty", "jueding", "2026-06-24 09:00")  # nothing recorded: nothing to answer
    assert case_row(engine, case_no).arguments is None
    assert _decision(engine, case_no)["statement_summary"] == "当事人提交书面申辩，称系系统误操作。"


# ── no decision while an argument recorded has no answer ─────────────────
def test_an_unanswered_argument_blocks_the_decision(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("conclude_hearing"))
    refused(engine, runner, case_no, "decide_penalty", "jueding", "2026-07-07 09:00",
            code="ARGUMENTS_UNANSWERED", phrases=("尚有2条未作出复核结论", "第四十五条"))
    refused(engine, runner, case_no, "decide_penalty", "jueding", "2026-07-07 09:00",
            payload={"answers": [REJECTED]}, code="ARGUMENTS_UNANSWERED", phrases=("尚有1条", "医院已于2026年6月8日"))
    # 不予处罚 is a decision too: the same 复核 first
    refused(engine, runner, case_no, "decide_no_penalty", "juzhang", "2026-07-07 09:00",
            payload={"ground": "facts_not_established"}, opinion="违法事实不能成立。", code="ARGUMENTS_UNANSWERED")
    assert runner.fire(case_no, "decide_penalty", "jueding", "2026-07-07 09:00",
                       payload={"answers": HEARING_ANSWERS}) == "decided"


def test_an_answer_names_an_argument_the_record_holds(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("conclude_hearing"))
    changed = {**REJECTED, "argument": "医院没有骗取医疗保障基金的故意。"}  # not the party's words as recorded
    err = refused(engine, runner, case_no, "decide_penalty", "jueding", "2026-07-07 09:00",
                  payload={"answers": [changed, PARTLY]}, code="ARGUMENT_NOT_RECORDED",
                  phrases=("复核结论第1条", "医院没有骗取医疗保障基金的故意"))
    assert err.details == {"answers[0].argument": "不是已记录的当事人意见"}
    # The words as recorded, spacing aside, are the argument answered
    spaced = {**REJECTED, "argument": " " + REJECTED["argument"].replace("，", "， ")}
    assert runner.fire(case_no, "decide_penalty", "jueding", "2026-07-07 09:00",
                       payload={"answers": [spaced, PARTLY]}) == "decided"
    assert [a["answer"] for a in case_row(engine, case_no).arguments] == ["不采纳", "部分采纳"]


# ── 采纳 needs no reason; 部分采纳 and 不采纳 need one ─────────────────────
ANSWERING = InputDef("answers", "对当事人意见的复核", "arguments")
RECORDING = InputDef("arguments", "当事人提出的事实、理由和证据", "arguments", answers=False)


def test_adopted_needs_no_reason_rejected_needs_one():
    ok = validate_payload([ANSWERING], {"answers": [
        {"argument": "甲", "answer": "采纳"},
        {"argument": "乙", "answer": "不予采纳", "reason": "证据不足"},  # as a decision words it
        {"argument": "丙", "answer": "部分采纳", "reason": "部分成立"},
    ]})
    assert [r["answer"] for r in ok["answers"]] == ["采纳", "不采纳", "部分采纳"]
    assert "reason" not in ok["answers"][0]
    with pytest.raises(InvalidInput) as info:
        validate_payload([ANSWERING], {"answers": [
            {"argument": "甲", "answer": "不采纳"}, {"argument": "乙", "answer": "部分采纳", "reason": " "},
            {"argument": "丙"}, {"answer": "采纳"}, {"argument": "丁", "answer": "驳回", "reason": "理由"},
        ]})
    assert info.value.details == {
        "answers[0].reason": "不采纳的，须写明理由", "answers[1].reason": "部分采纳的，须写明理由",
        "answers[2].answer": "须填写复核结论（采纳、部分采纳、不采纳）", "answers[3].argument": "须填写当事人的意见",
        "answers[4].answer": "复核结论须为：采纳、部分采纳、不采纳",
    }
    assert "「对当事人意见的复核」第1行不采纳的，须写明理由" in info.value.message


def test_a_rejection_without_reason_is_refused_at_the_decision(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("conclude_hearing"))
    err = refused(engine, runner, case_no, "decide_penalty", "jueding", "2026-07-07 09:00",
                  payload={"answers": [{**REJECTED, "reason": ""}, PARTLY]}, exc=InvalidInput, code="INVALID_INPUT")
    assert err.details == {"answers[0].reason": "不采纳的，须写明理由"}


# ── the hearing's own record does not decide ─────────────────────────────
def test_the_hearing_records_the_arguments_and_does_not_answer_them(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("schedule_hearing"))
    hearing = through("conclude_hearing")[-1]
    err = refused(engine, runner, case_no, "conclude_hearing", "shencha", hearing.at, opinion=hearing.opinion,
                  payload={"arguments": [{**ARGUED[0], "answer": "不采纳", "reason": "理由不成立"}]},
                  exc=InvalidInput, code="INVALID_INPUT")
    assert set(err.details) == {"arguments[0].answer", "arguments[0].reason"}
    assert "是否采纳由本机关复核后作出结论" in err.details["arguments[0].answer"]
    # A hearing answers nothing: its record is the party's words, left for the agency's 复核
    assert runner.fire(case_no, "conclude_hearing", "shencha", hearing.at, opinion=hearing.opinion,
                       payload={"arguments": ARGUED}) == "re_examination"
    assert [(a["argument"], a["answer"], a["reason"]) for a in case_row(engine, case_no).arguments] == [
        (a["argument"], None, None) for a in ARGUED]
    with pytest.raises(InvalidInput):
        validate_payload([RECORDING], {"arguments": [{"argument": "甲", "answer": "采纳"}]})
    assert validate_payload([RECORDING], {"arguments": [{"argument": "甲"}]}) == {"arguments": [{"argument": "甲"}]}


# ── 陈述、申辩 answered by the revision of the proposal ──────────────────
def test_a_statement_adopted_is_answered_by_the_revised_proposal(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_notice"))
    argued = ["12份病历中有2份的康复理疗项目已实际执行，有治疗记录为证。", "涉案金额应扣除已执行项目的费用。"]
    assert runner.fire(case_no, "receive_statement", "gaozhi", "2026-06-16 09:00", opinion="当事人提交书面陈述、申辩。",
                       payload={"arguments": [{"argument": a} for a in argued]}) == "re_examination"
    assert [(a["heard"], a["answer"]) for a in case_row(engine, case_no).arguments] == [("陈述、申辩", None)] * 2
    assert runner.fire(case_no, "revise_proposal", "diaocha1", "2026-06-17 09:00",
                       opinion="经复核，当事人的陈述成立，变更拟处罚意见。", payload={
                           "penalties": [{"kind": "责令退回", "amount": "30000.00", "basis": FRAUD_BASIS_RETURN},
                                         {"kind": "罚款", "amount": "60000.00", "basis": FRAUD_BASIS_FINE}],
                           "answers": [{"argument": argued[0], "answer": "采纳"},
                                       {"argument": argued[1], "answer": "部分采纳",
                                        "reason": "已执行的2份病历所涉费用不计入骗取金额，其余项目未执行，不予扣除"}],
                       }) == "legal_review"
    recorded = case_row(engine, case_no).arguments
    assert [(a["answer"], a["answered_on"]) for a in recorded] == [("采纳", "2026-06-17"), ("部分采纳", "2026-06-17")]
    assert recorded[1]["reason"].startswith("已执行的2份病历")
    assert Decimal(case_row(engine, case_no).amount_defrauded) == Decimal("30000.00")  # amounts change only by 变更认定金额
