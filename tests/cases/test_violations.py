"""A case of several violations (issue 19 §1, §2), each judged by its own amounts and period.

《医疗保障基金使用监督管理条例》第四十条第一款: 定点医药机构 that 骗取医疗保障基金支出 by 虚构医药服务项目
（第（三）项）or by 诱导、协助他人冒名或者虚假就医、购药（第（一）项）— 责令退回, 处骗取金额2倍以上5倍以下的
罚款. The multiple and the 责令退回 are counted from the amount *of that violation*: a fine of the
small violation cannot be sized on the large one, nor a return exceed what this violation took.
《行政处罚法》第三十六条: each violation has its own 追责时效. 第四十条: no penalty on facts not
established — the amounts are the sums of the 违法明细, never a total typed beside them.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import Engine

from caseflow.cases import violation_acts
from caseflow.cases.models import PenaltyStage
from caseflow.db.session import unit_of_work
from caseflow.demo.scenarios import FRAUD_BASIS_FINE, FRAUD_BASIS_RETURN
from caseflow.demo.walk import sh
from caseflow.errors import CaseflowError, InvalidInput, RuleViolation
from tests.helpers import Org, Runner, case_row, events, open_case, refused, through, walk

START = through("record_inquiry")  # filed 2026-06-02, investigated from 2026-06-03
CONCLUDE_AT = "2026-06-10 09:00"
FICTITIOUS = "虚构医药服务项目"  # 第四十条第一款第（三）项, violating 第二十条
IMPERSONATION = "诱导、协助他人冒名或者虚假就医、购药"  # 第四十条第一款第（一）项, violating 第十五条第一款


def _row(day: str, quantity: str, price: str, paid: str, **more: str) -> dict[str, str]:
    return {"item": "中频脉冲电治疗", "day": day, "quantity": quantity, "unit_price": price, "fund_paid": paid, **more}


# 虚构医药服务项目: 3 rows — 违规费用 38×10 + 38×20 + 12×5 = 1,200.00; fund paid 960.00 (职工 608 + 居民 352)
THERAPY = [_row("2026-02-03", "10", "38.00", "304.00", fund="职工医保", patient="王小梅"),
           _row("2026-02-10", "20", "38.00", "608.00", fund="居民医保", patient="李建国"),
           _row("2026-03-01", "5", "12.00", "48.00", fund="居民医保")]
# 冒名住院: 2 stays — 违规费用 5,000.00; fund paid 4,000.00
STAYS = [{"item": "住院医疗费用", "day": "2026-03-10", "until": "2026-03-15", "quantity": "1", "amount": "3000.00",
          "fund_paid": "2400.00", "fund": "居民医保"},
         {"item": "住院医疗费用", "day": "2026-04-02", "until": "2026-04-06", "quantity": "1", "amount": "2000.00",
          "fund_paid": "1600.00", "fund": "居民医保"}]


def _add(engine: Engine, case_no: str, conduct: str, rows: list[dict[str, str]] | None, *,
         user: str = "diaocha1", at: str = "2026-06-05 10:00", **more: str):
    payload = {"conduct": conduct, "facts": f"经查，{conduct}。", **more}
    if rows is not None:
        payload["details"] = rows
    with unit_of_work(engine) as s:
        from caseflow.org.service import get_user_by_username
        actor = get_user_by_username(db_session=s, username=user)
        v = violation_acts.add_violation(db_session=s, case_no=case_no, actor_id=actor.id, payload=payload, at=sh(at))
        return v.seq


@pytest.fixture
def runner(engine: Engine, org: Org):
    """Steps in fresh sessions: violations are registered in sessions of their own between them."""
    r = Runner(engine, org, reload=True)
    yield r
    r.close()


@pytest.fixture
def investigated(engine: Engine, org: Org, runner: Runner) -> str:
    case_no = open_case(engine, org)
    walk(runner, case_no, START)
    return case_no


@pytest.fixture
def two(engine: Engine, investigated: str) -> str:
    _add(engine, investigated, FICTITIOUS, THERAPY)
    _add(engine, investigated, IMPERSONATION, STAYS)
    return investigated


def _pen(kind: str, amount: str, violation: int | None) -> dict[str, object]:
    basis = FRAUD_BASIS_FINE if kind == "罚款" else FRAUD_BASIS_RETURN
    out: dict[str, object] = {"kind": kind, "amount": amount, "basis": basis}
    if violation is not None:
        out["violation"] = violation
    return out


LAWFUL = [_pen("责令退回", "960.00", 1), _pen("罚款", "1920.00", 1),  # 2 × 960
          _pen("责令退回", "4000.00", 2), _pen("罚款", "8000.00", 2)]  # 2 × 4,000


# 《行政处罚法》第三十二条第（一）项: the party returned the money — the benchmark's 从轻 tier, 2–3 ×
REMEDIED = {"factors": [{"factor": "remedied_harm", "evidence": "银行回单"}]}


def _conclude(runner: Runner, case_no: str, penalties: list[dict[str, object]], **more: object) -> str:
    return runner.fire(case_no, "conclude_investigation", "diaocha1", CONCLUDE_AT,
                       payload={"facts": "当事人存在两项违法行为。", "penalties": penalties, **REMEDIED, **more})


def test_the_amounts_are_the_sums_of_the_details(engine, two):
    case = case_row(engine, two)
    v1, v2 = case.violations
    assert (v1.amount_involved, v1.amount_loss, v1.amount_defrauded) == (Decimal("1200.00"), Decimal("960.00"),
                                                                         Decimal("960.00"))
    assert v1.by_fund == {"职工医保": "304.00", "居民医保": "656.00"}
    assert (v1.period_from.isoformat(), v1.period_until.isoformat()) == ("2026-02-03", "2026-03-01")
    assert v1.rule_breached == "《医疗保障基金使用监督管理条例》第二十条"
    assert v1.punished_by == "《医疗保障基金使用监督管理条例》第四十条第一款第（三）项"
    assert v2.punished_by.endswith("第四十条第一款第（一）项")
    # the case's amounts and period are the totals of its violations
    assert (case.amount_involved, case.amount_defrauded) == (Decimal("6200.00"), Decimal("4960.00"))
    assert (case.violation_from.isoformat(), case.violation_until.isoformat()) == ("2026-02-03", "2026-04-06")
    # the patient's name is never stored in full (个人信息: 《个人信息保护法》; "王*梅" as published)
    assert v1.details[0]["patient"] == "王*梅"
    assert "王小梅" not in repr(v1.details)


def test_a_total_typed_beside_the_details_is_refused(engine, runner, two):
    refused(engine, runner, two, "conclude_investigation", "diaocha1", CONCLUDE_AT, code="AMOUNTS_FROM_DETAILS",
            phrases=("骗取金额",), payload={"facts": "事实", **REMEDIED, "penalties": LAWFUL, "amount_defrauded": "30000.00"})


def test_each_fine_is_measured_on_its_own_violation(engine, runner, two):
    # 1,920 is 2 × violation 1's 960 — but put on violation 2 (4,000) it is below 2× (8,000)
    swapped = [_pen("责令退回", "4000.00", 2), _pen("罚款", "1920.00", 2), _pen("责令退回", "960.00", 1),
               _pen("罚款", "8000.00", 1)]
    err = refused(engine, runner, two, "conclude_investigation", "diaocha1", CONCLUDE_AT, code="PENALTY_OUT_OF_RANGE",
                  payload={"facts": "事实", **REMEDIED, "penalties": swapped})
    assert "违法行为第2项" in err.message and "违法行为第1项" in err.message


def test_a_return_may_not_exceed_what_its_violation_took(engine, runner, two):
    # 4,000 is within the case's 4,960 — but violation 1 took 960
    over = [_pen("责令退回", "4000.00", 1), _pen("罚款", "1920.00", 1), _pen("责令退回", "960.00", 2),
            _pen("罚款", "8000.00", 2)]
    refused(engine, runner, two, "conclude_investigation", "diaocha1", CONCLUDE_AT, code="PENALTY_OUT_OF_RANGE",
            phrases=("960.00",), payload={"facts": "事实", **REMEDIED, "penalties": over})


def test_with_several_violations_each_fine_names_its_own(engine, runner, two):
    unnamed = [_pen("责令退回", "960.00", 1), _pen("罚款", "9920.00", None)]
    refused(engine, runner, two, "conclude_investigation", "diaocha1", CONCLUDE_AT, code="PENALTY_VIOLATION_MISSING",
            payload={"facts": "事实", **REMEDIED, "penalties": unnamed})
    ghost = [_pen("罚款", "1920.00", 7)]
    refused(engine, runner, two, "conclude_investigation", "diaocha1", CONCLUDE_AT, code="PENALTY_VIOLATION_MISSING",
            phrases=("第7项",), payload={"facts": "事实", **REMEDIED, "penalties": ghost})


def test_the_proposal_keeps_the_violation_of_each_penalty(engine, runner, two):
    _conclude(runner, two, LAWFUL)
    case = case_row(engine, two)
    assert [(p.kind, p.amount, p.violation_seq) for p in case.penalties_at(PenaltyStage.proposed)] == [
        ("责令退回", Decimal("960.00"), 1), ("罚款", Decimal("1920.00"), 1),
        ("责令退回", Decimal("4000.00"), 2), ("罚款", Decimal("8000.00"), 2)]


def test_a_conduct_the_item_does_not_punish_is_refused(engine, investigated):
    # 串换药品 is 第三十八条's (造成损失, 1–2×), not an act of this item's 第四十条 fraud
    with pytest.raises(RuleViolation) as info:
        _add(engine, investigated, "串换药品", THERAPY)
    assert info.value.code == "CONDUCT_NOT_OF_ITEM" and FICTITIOUS in info.value.message
    assert case_row(engine, investigated).violations == []


def test_an_amount_counted_conduct_needs_its_details(engine, investigated):
    with pytest.raises(RuleViolation) as info:
        _add(engine, investigated, FICTITIOUS, None, period_from="2026-02-01")
    assert info.value.code == "VIOLATION_DETAILS_REQUIRED"


def test_every_bad_row_is_named_and_nothing_is_registered(engine, investigated):
    bad = [THERAPY[0], {**THERAPY[1], "quantity": "-2"}, {**THERAPY[2], "fund_paid": "999.00"}]
    with pytest.raises(InvalidInput) as info:
        _add(engine, investigated, FICTITIOUS, bad)
    assert "第2行" in info.value.message and "第3行" in info.value.message
    assert case_row(engine, investigated).violations == []
    assert not [e for e in events(engine, investigated) if e.trigger == "add_violation"]


def test_only_the_case_officers_during_investigation(engine, org, runner, investigated):
    with pytest.raises(RuleViolation) as info:
        _add(engine, investigated, FICTITIOUS, THERAPY, user="shencha")
    assert info.value.code == "VIOLATION_NOT_OFFICER"
    _add(engine, investigated, FICTITIOUS, THERAPY)
    _conclude(runner, investigated, LAWFUL[:2])
    with pytest.raises(RuleViolation) as info:
        _add(engine, investigated, IMPERSONATION, STAYS)
    assert info.value.code == "VIOLATION_CLOSED"


def test_a_withdrawn_violation_leaves_the_totals(engine, runner, two):
    with unit_of_work(engine) as s:
        from caseflow.org.service import get_user_by_username
        actor = get_user_by_username(db_session=s, username="diaocha1")
        violation_acts.withdraw_violation(db_session=s, case_no=two, seq=1, actor_id=actor.id, reason="重复登记")
    case = case_row(engine, two)
    assert case.amount_defrauded == Decimal("4000.00") and case.violations[0].withdrawn_reason == "重复登记"
    refused(engine, runner, two, "conclude_investigation", "diaocha1", CONCLUDE_AT, code="PENALTY_VIOLATION_MISSING",
            payload={"facts": "事实", **REMEDIED, "penalties": LAWFUL})
    assert _conclude(runner, two, LAWFUL[2:]) == "case_review"


def test_each_violation_has_its_own_limitation(engine, org, runner):
    """第三十六条: a violation that ended more than two years before 立案 is no longer punished — though
    another of the same case is; its fund is still returned (责令退回 is not a 行政处罚, 第九条)."""
    case_no = open_case(engine, org)
    walk(runner, case_no, START)
    old = [{**STAYS[0], "day": "2024-03-01", "until": "2024-03-05"}]
    _add(engine, case_no, FICTITIOUS, THERAPY)
    _add(engine, case_no, IMPERSONATION, old)  # ended 2024-03-05: barred from 2026-03-05
    fined = [*LAWFUL[:2], _pen("责令退回", "2400.00", 2), _pen("罚款", "4800.00", 2)]
    refused(engine, runner, case_no, "conclude_investigation", "diaocha1", CONCLUDE_AT, code="LIMITATION_EXPIRED",
            phrases=("2024年03月05日",), payload={"facts": "事实", **REMEDIED, "penalties": fined})
    assert _conclude(runner, case_no, [*LAWFUL[:2], _pen("责令退回", "2400.00", 2)]) == "case_review"


def test_new_details_after_the_conclusion_change_the_amounts(engine, runner, two):
    """变更认定金额: the 明细 of one violation corrected; the proposal is judged by the new sums."""
    _conclude(runner, two, LAWFUL)
    fewer = STAYS[:1]  # one stay disproved: 2,400
    err = refused(engine, runner, two, "amend_amounts", "diaocha1", "2026-06-10 15:00", code="PENALTY_OUT_OF_RANGE",
                  payload={"violation": 2, "details": fewer}, opinion="第二次住院系本人就医")
    assert "2,400.00" in err.message
    runner.fire(two, "amend_amounts", "diaocha1", "2026-06-10 15:00", opinion="第二次住院系本人就医", payload={
        "violation": 2, "details": fewer,
        "penalties": [*LAWFUL[:2], _pen("责令退回", "2400.00", 2), _pen("罚款", "4800.00", 2)]})
    case = case_row(engine, two)
    assert case.violations[1].amount_defrauded == Decimal("2400.00")
    assert case.amount_defrauded == Decimal("3360.00")
    trail = [e for e in events(engine, two) if e.trigger == "amend_amounts"][-1]
    assert "4,000.00元 → 2,400.00元" in repr(trail.payload)


def test_a_case_without_registered_violations_holds_one(engine, org, runner):
    """The amounts alone at 调查终结 (no 明细): the case still holds one violation, mirroring them."""
    case_no = open_case(engine, org)
    walk(runner, case_no, through("conclude_investigation"))
    (v,) = case_row(engine, case_no).violations
    assert v.conduct_code is None and not v.itemised and v.amount_defrauded == Decimal("30000.00")


def test_refusals_are_never_a_crash(engine, investigated):
    for payload in ({"conduct": FICTITIOUS, "facts": "x", "details": "not rows"},
                    {"conduct": FICTITIOUS, "facts": "x", "details": [{"item": "a", "day": "2026-13-01"}]},
                    {"conduct": FICTITIOUS, "facts": "x", "details": [None]},
                    {"conduct": 12, "facts": "x"}):
        with unit_of_work(engine) as s:
            from caseflow.org.service import get_user_by_username
            actor = get_user_by_username(db_session=s, username="diaocha1")
            with pytest.raises(CaseflowError):
                violation_acts.add_violation(db_session=s, case_no=investigated, actor_id=actor.id, payload=payload)
