"""行政强制措施·封存: the normal path (报批 → 批准 → 实施 → 送达 → 延长 → 解除 → 结案 → 归档), the
emergency path (当场实施 → 24小时内补办批准, or 不予补办 → 立即解除), 转入处罚案件, the sealing guards
and the 封存期限 (30 日, rolled past rest days, extended once by at most 30 日).

Each scenario runs twice (`runner`): in one session, and reloading the case between every step.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from caseflow.cases.guards import ONSITE_STEPS
from caseflow.cases.models import Case
from caseflow.demo.scenarios import EMERGENCY_SEALING, ONSITE
from caseflow.demo.walk import Step
from caseflow.errors import InvalidInput, RuleViolation
from tests.helpers import (case_count, case_row, deadlines, events, open_case, refused, sh,
                           snapshot, through, walk)

OFFICERS = ("fengcun", "pizhun")
PLAN = {
    "reason": ONSITE["reason"],
    "basis": ONSITE["basis"],
    "items": ONSITE["items"],
}
ONSITE_ONLY = {k: v for k, v in ONSITE.items() if k not in ("reason", "basis", "items")}

NORMAL = [
    Step("submit_for_approval", "pizhun", sh("2026-06-01 10:00"), payload=PLAN),
    Step("approve_sealing", "juzhang", sh("2026-06-02 09:00")),
    Step("carry_out_sealing", "fengcun", sh("2026-06-04 10:00"), payload=ONSITE_ONLY),
    Step("serve_sealing_decision", "pizhun", sh("2026-06-04 11:00"),
         payload={"method": "直接送达", "recipient": "刘某（法定代表人）"}),
    Step("record_supervision_check", "jianguan", sh("2026-06-20 09:00"),
         opinion="封条完好，封存资料未被使用或损毁。"),
    Step("extend_sealing", "juzhang", sh("2026-07-01 09:00"), payload={"days": 30},
         opinion="案情复杂，资料比对尚未完成，延长封存三十日并书面告知当事人。"),
    Step("release_sealing", "juzhang", sh("2026-07-20 09:00"),
         opinion="资料已复制固定，不再需要封存。"),
    Step("approve_closure", "juzhang", sh("2026-07-21 09:00")),
    Step("archive", "jianguan", sh("2026-07-22 09:00")),
]


# ── helpers ──────────────────────────────────────────────────────────────
def open_sealing(engine, org, *, by: str = "pizhun", officers: tuple[str, ...] = OFFICERS,
                 at: str = "2026-06-01 09:00") -> str:
    return open_case(engine, org, procedure="sealing", by=by, officers=officers, at=sh(at))


# ── the normal path ──────────────────────────────────────────────────────
def test_normal_sealing_path_reaches_archive(engine, org, runner):
    case_no = open_sealing(engine, org)
    assert case_no.startswith("栾医保封案〔2026〕")
    states = [runner.fire(case_no, s.trigger, s.user, s.at, payload=s.payload, opinion=s.opinion)
              for s in NORMAL]
    assert states == ["pending_approval", "approved", "implemented", "sealed", "sealed", "sealed",
                      "released", "closed", "archived"]
    case = case_row(engine, case_no)
    assert case.sealed_at == sh("2026-06-04 10:00")
    assert case.sealing_extended_at == sh("2026-07-01 09:00")
    assert case.released_at == sh("2026-07-20 09:00")
    assert case.closed_at == sh("2026-07-21 09:00") and case.archived_at == sh("2026-07-22 09:00")
    assert case.facts == ONSITE["reason"] and case.evidence == ONSITE["basis"]
    assert [(i.name, i.quantity, i.unit) for i in case.sealed_items] == [
        ("2026年度住院病历", 46, "份"), ("医保结算单据", 3, "盒")]
    evs = events(engine, case_no)
    assert [e.trigger for e in evs[3:]] == [s.trigger for s in NORMAL]
    by = {e.trigger: e for e in evs}
    carry, plan, extend = by["carry_out_sealing"], by["submit_for_approval"], by["extend_sealing"]
    assert (carry.actor_name, carry.post) == ("冯封存", "法制审核股·执行岗")
    assert (plan.actor_name, plan.post) == ("郑批准", "基金监管股·批准决定岗")
    assert extend.opinion == NORMAL[5].opinion and extend.payload["days"] == 30
    assert by["release_sealing"].from_state == "sealed"


def test_sealing_term_is_thirty_days_rolled_past_a_weekend_and_extended_once(engine, org, runner):
    case_no = open_sealing(engine, org)
    walk(runner, case_no, through("serve_sealing_decision", NORMAL))
    [term] = deadlines(engine, case_no, "sealing_term")
    # sealed 06-04 → 30th day 07-04 is a Saturday → ends Monday 07-06
    assert (term.status.value, term.started_at, term.due_date) == (
        "open", sh("2026-06-04 10:00"), date(2026, 7, 6))
    assert term.due_at == sh("2026-07-07 00:00")
    walk(runner, case_no, NORMAL[4:6])
    old, new = deadlines(engine, case_no, "sealing_term")
    assert (old.status.value, old.closed_at, old.due_date) == (
        "extended", sh("2026-07-01 09:00"), date(2026, 7, 6))
    # the extension runs on from the end of the first term: 07-06 + 30 日 = 08-05 (Wed)
    assert (new.status.value, new.due_date, new.name) == ("open", date(2026, 8, 5), "封存期限（延长）")
    assert new.due_at == sh("2026-08-06 00:00")
    walk(runner, case_no, [NORMAL[6]])
    old, new = deadlines(engine, case_no, "sealing_term")
    assert (old.status.value, new.status.value) == ("extended", "met")
    assert new.closed_at == sh("2026-07-20 09:00")


def test_sealing_term_ending_in_national_day_holiday_runs_to_next_working_day(engine, org, runner):
    case_no = open_sealing(engine, org, at="2026-08-31 09:00")
    walk(runner, case_no, [
        Step("submit_for_approval", "pizhun", sh("2026-08-31 10:00"), payload=PLAN),
        Step("approve_sealing", "juzhang", sh("2026-08-31 15:00")),
        Step("carry_out_sealing", "fengcun", sh("2026-09-01 10:00"), payload=ONSITE_ONLY),
        Step("serve_sealing_decision", "pizhun", sh("2026-09-01 11:00")),
    ])
    [term] = deadlines(engine, case_no, "sealing_term")
    assert term.due_date == date(2026, 10, 8)  # 30th day 10-01, 国庆 10-01..10-07 → 10-08 (Thu)
    runner.fire(case_no, "extend_sealing", "juzhang", "2026-09-28 09:00", payload={"days": 30},
                opinion="延长封存。")
    _, new = deadlines(engine, case_no, "sealing_term")
    assert new.due_date == date(2026, 11, 9)  # 10-08 + 30 日 = 11-07 (Sat) → 11-09 (Mon)


def test_release_after_the_term_is_recorded_as_overdue(engine, org, runner):
    case_no = open_sealing(engine, org)
    walk(runner, case_no, through("serve_sealing_decision", NORMAL))
    runner.fire(case_no, "release_sealing", "juzhang", "2026-07-07 09:00", opinion="解除封存。")
    [term] = deadlines(engine, case_no, "sealing_term")
    assert term.status.value == "overdue"


def test_head_refuses_the_sealing(engine, org, runner):
    case_no = open_sealing(engine, org)
    walk(runner, case_no, NORMAL[:1])
    refused(engine, runner, case_no, "reject_sealing", "juzhang", "2026-06-02 09:00",
            code="OPINION_REQUIRED")
    assert runner.fire(case_no, "reject_sealing", "juzhang", "2026-06-02 09:00",
                       opinion="不存在转移、隐匿资料的可能，不予批准。") == "rejected"
    assert case_row(engine, case_no).closed_at == sh("2026-06-02 09:00")
    refused(engine, runner, case_no, "carry_out_sealing", "fengcun", "2026-06-03 09:00",
            payload=ONSITE, code="TRANSITION_NOT_AVAILABLE")


# ── the emergency path ───────────────────────────────────────────────────
def test_emergency_sealing_is_approved_within_24_hours(engine, org, runner):
    case_no = open_sealing(engine, org, by="fengcun", at="2026-10-19 15:00")
    seal = EMERGENCY_SEALING[0]
    state = runner.fire(case_no, seal.trigger, seal.user, seal.at, payload=seal.payload)
    assert state == "emergency_sealed"
    [approval] = deadlines(engine, case_no, "emergency_approval")
    # sealed 15:30 → counted from the next full hour 16:00 → due 10-20 16:00
    assert (approval.status.value, approval.due_date) == ("open", None)
    assert approval.due_at == sh("2026-10-20 16:00")
    assert case_row(engine, case_no).sealed_at == sh("2026-10-19 15:30")
    states = walk(runner, case_no, EMERGENCY_SEALING[1:3])
    assert states == "sealed"
    [approval] = deadlines(engine, case_no, "emergency_approval")
    assert (approval.status.value, approval.closed_at) == ("met", sh("2026-10-20 09:00"))
    [term] = deadlines(engine, case_no, "sealing_term")
    assert (term.started_at, term.due_date) == (sh("2026-10-19 15:30"), date(2026, 11, 18))
    assert walk(runner, case_no, EMERGENCY_SEALING[3:]) == "closed"
    triggers = [e.trigger for e in events(engine, case_no)[3:]]
    assert triggers == [s.trigger for s in EMERGENCY_SEALING]
    [term] = deadlines(engine, case_no, "sealing_term")
    assert term.status.value == "met"


@pytest.mark.parametrize(("at", "status"), [("2026-10-20 15:59", "met"),
                                            ("2026-10-20 16:00", "overdue")])
def test_retroactive_approval_after_24_hours_is_overdue(engine, org, runner, at, status):
    case_no = open_sealing(engine, org, by="fengcun", at="2026-10-19 15:00")
    walk(runner, case_no, EMERGENCY_SEALING[:1])
    assert runner.fire(case_no, "approve_retroactively", "juzhang", at) == "implemented"
    [approval] = deadlines(engine, case_no, "emergency_approval")
    assert approval.status.value == status


def test_refused_retroactive_approval_releases_at_once(engine, org, runner):
    case_no = open_sealing(engine, org, by="fengcun", at="2026-10-19 15:00")
    walk(runner, case_no, EMERGENCY_SEALING[:1])
    refused(engine, runner, case_no, "refuse_retroactively", "juzhang", "2026-10-19 18:00",
            code="OPINION_REQUIRED")
    opinion = "不属于情况紧急的情形，立即解除封存。"
    assert runner.fire(case_no, "refuse_retroactively", "juzhang", "2026-10-19 18:00",
                       opinion=opinion) == "released"
    case = case_row(engine, case_no)
    assert case.released_at == sh("2026-10-19 18:00") and case.closed_at is None
    [approval] = deadlines(engine, case_no, "emergency_approval")
    assert approval.status.value == "met"
    assert deadlines(engine, case_no, "sealing_term") == []
    last = events(engine, case_no)[-1]
    assert (last.trigger, last.from_state, last.to_state, last.actor_name, last.opinion) == (
        "refuse_retroactively", "emergency_sealed", "released", "张局长", opinion)
    assert runner.fire(case_no, "approve_closure", "juzhang", "2026-10-20 09:00") == "closed"


# ── 转入处罚案件 ─────────────────────────────────────────────────────────
def test_transfer_to_penalty_opens_a_linked_penalty_case(engine, org, runner):
    case_no = open_sealing(engine, org, by="fengcun", at="2026-10-19 15:00")
    walk(runner, case_no, EMERGENCY_SEALING[:3])
    transfer = EMERGENCY_SEALING[3]
    refused(engine, runner, case_no, "transfer_to_penalty", "juzhang", transfer.at,
            code="OPINION_REQUIRED")
    refused(engine, runner, case_no, "transfer_to_penalty", "juzhang", transfer.at,
            code="INVALID_INPUT", exc=InvalidInput, opinion=transfer.opinion)  # no penalty item chosen
    assert runner.fire(case_no, transfer.trigger, transfer.user, transfer.at, payload=transfer.payload,
                       opinion=transfer.opinion) == "transferred"
    last = events(engine, case_no)[-1]
    child_no = last.payload["linked_case_no"]
    assert child_no == "栾医保罚案〔2026〕1号"
    parent, child = case_row(engine, case_no), case_row(engine, child_no)
    assert child.parent_case_id == parent.id
    assert (child.state, child.procedure_code, child.procedure_version) == (
        "clue_registered", "penalty_general", 1)
    assert child.opened_at == transfer.at and child.source == f"封存案件{case_no}转入"
    assert child.title == f"测试案件（由封存案件{case_no}转入）"
    def parties(c: Case) -> list[tuple[int, Any]]:
        return [(p.party_id, p.role) for p in c.parties]

    def officers(c: Case) -> list[tuple[int, Any]]:
        return [(o.user_id, o.role) for o in c.officers]

    assert parties(child) == parties(parent) and officers(child) == officers(parent)
    child_events = events(engine, child_no)
    assert [e.trigger for e in child_events] == ["open_case", "assign_officer", "assign_officer"]
    assert child_events[0].actor_name == "张局长"
    assert child_events[0].payload["authorised_by"] == f"{case_no}·转入处罚案件"
    # the sealing stays in force until released; the penalty case starts with 立案
    assert runner.fire(case_no, "record_supervision_check", "jianguan", "2026-11-05 15:00",
                       opinion="封存资料完好。") == "transferred"
    assert runner.fire(child_no, "submit_filing", "lian", "2026-11-05 16:00",
                       payload={"facts": "封存资料显示骗取医保基金。"}) == "filing_approval"
    assert runner.fire(case_no, "release_sealing", "juzhang", "2026-11-06 09:00",
                       opinion=EMERGENCY_SEALING[4].opinion) == "released"


# ── guards ───────────────────────────────────────────────────────────────
def test_sealing_cases_are_registered_by_the_sealing_posts(engine, org):
    with pytest.raises(RuleViolation) as info:
        open_sealing(engine, org, by="lian")
    assert info.value.code == "POST_REQUIRED"
    assert "「登记行政强制措施·封存案件」须由基金监管股·批准决定岗、法制审核股·执行岗办理" in info.value.message
    assert case_count(engine) == 0


@pytest.mark.parametrize(("drop", "missing"), [
    (("reason", "basis", "items"), "封存理由、封存依据、封存资料清单（名称、数量）"),
    (("reason",), "封存理由"),
    (("basis",), "封存依据"),
    (("items",), "封存资料清单（名称、数量）"),
])
def test_sealing_plan_must_list_reason_basis_and_items(engine, org, runner, drop, missing):
    case_no = open_sealing(engine, org)
    payload = {k: v for k, v in PLAN.items() if k not in drop}
    refused(engine, runner, case_no, "submit_for_approval", "pizhun", "2026-06-01 10:00",
            payload=payload, code="SEALING_ITEMS_MISSING",
            phrases=(f"报批封存须列明封存的理由、依据和拟封存资料的名称、数量：{missing}。",))


def test_malformed_sealing_items_are_refused_field_by_field(engine, org, runner):
    case_no = open_sealing(engine, org)
    items = [{"name": "住院病历", "quantity": "三"}, "病历", {"name": "处方", "quantity": 2, "colour": "红"}]
    err = refused(engine, runner, case_no, "submit_for_approval", "pizhun", "2026-06-01 10:00",
                  payload={**PLAN, "items": items}, exc=InvalidInput, code="INVALID_INPUT",
                  phrases=("「封存资料清单」第1行数量须为整数",))
    assert err.details == {"items[0].quantity": "数量须为整数", "items[1]": "格式不正确",
                           "items[2].colour": "不接受「colour」"}
    # 《行政强制法》第二十四条: the list names each thing sealed and how many.
    items = [{"name": "住院病历", "quantity": 0}, {"name": " ", "quantity": 3}]
    err = refused(engine, runner, case_no, "submit_for_approval", "pizhun", "2026-06-01 10:00",
                  payload={**PLAN, "items": items}, exc=InvalidInput, code="INVALID_INPUT",
                  phrases=("封存清单有误",))
    assert err.details == {"items[0].quantity": "数量须为正整数", "items[1].name": "须填写资料名称"}


@pytest.mark.parametrize("key", list(ONSITE_STEPS))
def test_carrying_out_without_each_onsite_element_is_refused(engine, org, runner, key):
    case_no = open_sealing(engine, org)
    walk(runner, case_no, NORMAL[:2])
    payload = {k: v for k, v in ONSITE_ONLY.items() if k != key}
    err = refused(engine, runner, case_no, "carry_out_sealing", "fengcun", "2026-06-04 10:00",
                  payload=payload, code="SEALING_PROCEDURE_INCOMPLETE",
                  phrases=(f"实施封存的法定程序未完成：{ONSITE_STEPS[key]}。",))
    assert err.details["missing"] == ONSITE_STEPS[key]


@pytest.mark.parametrize("copies", [None, 0, 1])
def test_sealing_list_must_be_made_in_two_copies(engine, org, runner, copies):
    case_no = open_sealing(engine, org)
    walk(runner, case_no, NORMAL[:2])
    payload = {**ONSITE_ONLY, "list_copies": copies}
    refused(engine, runner, case_no, "carry_out_sealing", "fengcun", "2026-06-04 10:00",
            payload=payload, code="SEALING_PROCEDURE_INCOMPLETE",
            phrases=("封存清单一式二份，当事人和行政机关分别保存（第二十四条第三款）",))


def test_emergency_sealing_without_anything_names_every_missing_element(engine, org, runner):
    case_no = open_sealing(engine, org, by="fengcun", at="2026-10-19 15:00")
    err = refused(engine, runner, case_no, "seal_on_the_spot", "fengcun", "2026-10-19 15:30",
                  payload={}, code="SEALING_PROCEDURE_INCOMPLETE")
    expected = [*ONSITE_STEPS.values(), "封存清单（名称、数量）（第二十四条）",
                "封存清单一式二份，当事人和行政机关分别保存（第二十四条第三款）"]
    assert err.details["missing"] == "；".join(expected)
    assert "实施封存的法定程序未完成：" in err.message


def test_emergency_sealing_needs_two_officers_with_valid_credentials(engine, org, runner):
    case_no = open_sealing(engine, org, by="fengcun", officers=("fengcun",), at="2026-10-19 15:00")
    refused(engine, runner, case_no, "seal_on_the_spot", "fengcun", "2026-10-19 15:30",
            payload=ONSITE, code="CREDENTIALS_INSUFFICIENT",
            phrases=("执法人员不得少于两人", "当日持有效证件的承办人员为1人（冯封存）"))


def test_sealing_with_no_officers_assigned(engine, org, runner):
    case_no = open_sealing(engine, org, by="fengcun", officers=(), at="2026-10-19 15:00")
    refused(engine, runner, case_no, "seal_on_the_spot", "fengcun", "2026-10-19 15:30",
            payload=ONSITE, code="CREDENTIALS_INSUFFICIENT", phrases=("为0人（无）",))


def test_sealing_is_carried_out_by_the_legal_section_enforcement_post(engine, org, runner):
    case_no = open_sealing(engine, org)
    walk(runner, case_no, NORMAL[:2])
    refused(engine, runner, case_no, "carry_out_sealing", "zhixing", "2026-06-04 10:00",
            payload=ONSITE_ONLY, code="POST_REQUIRED",
            phrases=("「实施封存（现场笔录、封存清单）」须由法制审核股·执行岗办理", "您的岗位为：基金监管股·执行岗"))


def test_sealing_is_extended_only_once(engine, org, runner):
    case_no = open_sealing(engine, org)
    walk(runner, case_no, through("extend_sealing", NORMAL))
    refused(engine, runner, case_no, "extend_sealing", "juzhang", "2026-07-15 09:00",
            payload={"days": 10}, opinion="再延长十日。", code="SEALING_ALREADY_EXTENDED",
            phrases=("封存期限已于2026年07月01日 09:00延长过一次，不得再次延长",))


@pytest.mark.parametrize(("days", "shown"), [(31, "31"), (0, "0"), (None, "0")])
def test_extension_is_at_most_thirty_days(engine, org, runner, days, shown):
    case_no = open_sealing(engine, org)
    walk(runner, case_no, through("serve_sealing_decision", NORMAL))
    refused(engine, runner, case_no, "extend_sealing", "juzhang", "2026-07-01 09:00",
            payload={"days": days}, opinion="延长封存。", code="SEALING_EXTENSION_TOO_LONG",
            phrases=(f"延长封存的期限不得超过三十日（申请延长{shown}日）",))


def test_extension_days_are_a_number(engine, org, runner):
    case_no = open_sealing(engine, org)
    walk(runner, case_no, through("serve_sealing_decision", NORMAL))
    err = refused(engine, runner, case_no, "extend_sealing", "juzhang", "2026-07-01 09:00",
                  payload={"days": "三十"}, opinion="延长封存。", exc=InvalidInput, code="INVALID_INPUT",
                  phrases=("「延长天数」须为整数",))
    assert err.details == {"days": "须为整数"}


def test_extension_needs_the_heads_written_reasons(engine, org, runner):
    case_no = open_sealing(engine, org)
    walk(runner, case_no, through("serve_sealing_decision", NORMAL))
    refused(engine, runner, case_no, "extend_sealing", "juzhang", "2026-07-01 09:00",
            payload={"days": 30}, code="OPINION_REQUIRED", phrases=("「延长封存期限」须填写意见或理由",))
    refused(engine, runner, case_no, "extend_sealing", "pizhun", "2026-07-01 09:00",
            payload={"days": 30}, opinion="延长。", code="POST_REQUIRED")


def test_expired_sealing_term_cannot_be_extended(engine, org, runner):
    case_no = open_sealing(engine, org)
    walk(runner, case_no, through("serve_sealing_decision", NORMAL))  # term ends 07-06 24:00
    before = snapshot(engine, case_no)
    with pytest.raises(RuleViolation) as refused_sealing_term_expired:
        runner.fire(case_no, "extend_sealing", "juzhang", "2026-07-08 09:00", payload={"days": 30},
                    opinion="延长封存。")
    assert refused_sealing_term_expired.value.code == "SEALING_TERM_EXPIRED"
    assert snapshot(engine, case_no) == before


def test_an_on_the_spot_sealing_entered_later_counts_from_the_act(engine, org, runner):
    """《行政强制法》第十九条: 二十四小时内 from the on-the-spot measure, not from when it was typed in:
    sealed 15:30, entered 17:10 → counted from 16:00 → due 10-20 16:00."""
    case_no = open_sealing(engine, org, by="fengcun", at="2026-10-19 15:00")
    seal = EMERGENCY_SEALING[0]
    refused(engine, runner, case_no, seal.trigger, seal.user, "2026-10-19 17:10",
            payload={**seal.payload, "acted_at": "2026-10-19T18:00:00+08:00"}, code="ACT_TIME_OUT_OF_ORDER")
    refused(engine, runner, case_no, seal.trigger, seal.user, "2026-10-19 17:10",
            payload={**seal.payload, "acted_at": "2026-10-19T14:00:00+08:00"}, code="ACT_TIME_OUT_OF_ORDER")
    runner.fire(case_no, seal.trigger, seal.user, "2026-10-19 17:10",
                payload={**seal.payload, "acted_at": "2026-10-19T15:30:00+08:00"})
    [approval] = deadlines(engine, case_no, "emergency_approval")
    assert approval.due_at == sh("2026-10-20 16:00")
    assert case_row(engine, case_no).sealed_at == sh("2026-10-19 15:30")
    assert events(engine, case_no)[-1].occurred_at == sh("2026-10-19 17:10")
