"""A proposed penalty must be a measure of a basis of the case's catalog entry, within its range
(追责情形 "擅自改变行政处罚种类、幅度" made impossible)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from caseflow.demo.scenarios import FRAUD_BASIS_FINE, FRAUD_BASIS_RETURN, FULL_PATH
from tests.helpers import open_case, refused, through, walk

CONCLUDE = through("conclude_investigation")[-1]  # 骗取金额 30,000元 (recorded at 立案)


def propose(*penalties: dict[str, object], **facts: object):
    return replace(CONCLUDE, payload={**CONCLUDE.payload, **facts, "penalties": list(penalties)})


def fine(amount: str, basis: str = FRAUD_BASIS_FINE, **extra: object) -> dict[str, object]:
    return {"kind": "罚款", "amount": amount, "basis": basis, **extra}


RETURN = {"kind": "责令退回", "amount": "30000.00", "basis": FRAUD_BASIS_RETURN}


@pytest.mark.parametrize(("amount", "phrase"), [
    ("59999.99", "低于法定下限60,000.00元"),
    ("150000.01", "高于法定上限150,000.00元"),
])
def test_fine_outside_the_multiple_of_the_defrauded_amount_is_refused(engine, org, runner, amount, phrase):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("record_inquiry"))
    step = propose(RETURN, fine(amount))
    refused(engine, runner, case_no, step.trigger, step.user, step.at, payload=step.payload,
            code="PENALTY_OUT_OF_RANGE",
            phrases=(phrase, "骗取金额30,000.00元的2倍至5倍", "《医疗保障基金使用监督管理条例》第四十条"))


@pytest.mark.parametrize("amount", ["60000.00", "150000.00"])
def test_fine_at_the_bounds_is_accepted(engine, org, runner, amount):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("record_inquiry"))
    # The law's bounds are lawful; leaving the benchmark's tier (从轻 2–3× here) takes a 裁量说明.
    step = propose(RETURN, fine(amount), discretion_reason="违法情节严重，按法定上限处罚。")
    assert runner.fire(case_no, step.trigger, step.user, step.at, payload=step.payload) == "case_review"


def test_the_base_amount_comes_from_the_step_when_it_corrects_the_case(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("record_inquiry"))
    step = propose({**RETURN, "amount": "10000.00"}, fine("20000.00"), amount_defrauded="10000.00")  # 2 × 10,000
    assert runner.fire(case_no, step.trigger, step.user, step.at, payload=step.payload) == "case_review"


def test_a_basis_that_is_not_the_items_is_refused(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("record_inquiry"))
    step = propose(RETURN, fine("60000.00", basis="《医疗保障基金使用监督管理条例》第三十八条"))
    refused(engine, runner, case_no, step.trigger, step.user, step.at, payload=step.payload,
            code="PENALTY_OUT_OF_RANGE", phrases=("不是本事项（004-05）的依据", "第四十条"))


def test_a_measure_the_basis_does_not_provide_is_refused(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("record_inquiry"))
    step = propose(RETURN, fine("60000.00"), {"kind": "暂停联网结算", "months": 6,
                                            "basis": FRAUD_BASIS_FINE})
    refused(engine, runner, case_no, step.trigger, step.user, step.at, payload=step.payload,
            code="PENALTY_OUT_OF_RANGE", phrases=("没有规定对当事人「暂停联网结算」",))


@pytest.mark.parametrize(("months", "ok"), [(5, False), (6, True), (12, True), (13, False)])
def test_suspension_months_follow_the_article(engine, org, runner, months, ok):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("record_inquiry"))
    step = propose(RETURN, fine("60000.00"), {"kind": "暂停医药服务", "months": months,
                                            "basis": FRAUD_BASIS_FINE})
    if ok:
        assert runner.fire(case_no, step.trigger, step.user, step.at, payload=step.payload) == "case_review"
    else:
        refused(engine, runner, case_no, step.trigger, step.user, step.at, payload=step.payload,
                code="PENALTY_OUT_OF_RANGE", phrases=("6个月至12个月",))


def test_revising_the_proposal_is_held_to_the_same_range(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_notice"))
    refused(engine, runner, case_no, "revise_proposal", "diaocha1", "2026-06-16 09:00",
            payload={"penalties": [RETURN, fine("45000.00")]}, opinion="调整罚款",
            code="PENALTY_OUT_OF_RANGE", phrases=("低于法定下限60,000.00元",))
    assert FULL_PATH  # the full path itself proposes 60,000元 = 2 × 30,000元 (see test_penalty_full_path)
