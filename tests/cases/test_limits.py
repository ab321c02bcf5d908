"""Limits added with the legal-time issue: 线索核查 from registration, approved extensions (who,
how, why), 先行登记保存 (7 工作日) and the court application running from the end of the 诉讼 window."""

from __future__ import annotations

from datetime import date

from caseflow.deadlines.models import Deadline
from caseflow.org.service import get_user_by_username
from caseflow.db.session import unit_of_work
from tests.cases.test_side_exits import DUNNING
from tests.helpers import deadlines, open_case, refused, sh, through, walk


def _one(engine, case_no: str, rule: str, status: str = "open") -> Deadline:
    found = [d for d in deadlines(engine, case_no) if d.rule_code == rule and d.status.value == status]
    assert len(found) == 1, [(d.rule_code, d.status.value) for d in deadlines(engine, case_no)]
    return found[0]


def test_clue_check_runs_from_registration_and_the_filing_decision_meets_it(engine, org, runner):
    case_no = open_case(engine, org)  # registered Mon 2026-06-01 09:00
    limit = _one(engine, case_no, "clue_check")
    # 15 工作日 from 06-02: 端午 (06-19 Fri) and the weekends are skipped → Tue 06-23.
    assert limit.due_date == date(2026, 6, 23) and "端午假期" in "".join(limit.reasoning)
    walk(runner, case_no, through("approve_filing"))
    assert _one(engine, case_no, "clue_check", "met").closed_at == sh("2026-06-02 09:00")


def test_an_approved_extension_records_who_how_and_why_and_is_allowed_once(engine, org, runner):
    case_no = open_case(engine, org)
    refused(engine, runner, case_no, "extend_clue_check", "lian", "2026-06-20 09:00",
            code="POST_REQUIRED", opinion="线索涉及多家机构，需延长核查。")
    refused(engine, runner, case_no, "extend_clue_check", "juzhang", "2026-06-20 09:00",
            code="OPINION_REQUIRED")
    reason = "线索涉及多家机构，需延长核查。"
    assert runner.fire(case_no, "extend_clue_check", "juzhang", "2026-06-20 09:00",
                       opinion=reason) == "clue_registered"
    old = _one(engine, case_no, "clue_check", "extended")
    with unit_of_work(engine, write=False) as s:
        head = get_user_by_username(db_session=s, username="juzhang").id
    assert (old.extended_by_id, old.extension_reason) == (head, reason)
    assert "批准延长线索核查期限" in (old.extension_approval or "") and "张局长" in old.extension_approval
    new = _one(engine, case_no, "clue_check")
    # +15 工作日 from the old last day (06-23) → 07-14.
    assert new.due_date == date(2026, 7, 14) and new.name.endswith("（延长）")
    refused(engine, runner, case_no, "extend_clue_check", "juzhang", "2026-06-25 09:00",
            code="LIMIT_NOT_EXTENDABLE", phrases=("已延长过1次",), opinion="再延长")


def test_no_extension_after_the_limit_has_run_out(engine, org, runner):
    case_no = open_case(engine, org)
    refused(engine, runner, case_no, "extend_clue_check", "juzhang", "2026-06-24 09:00",
            code="LIMIT_NOT_EXTENDABLE", phrases=("届满后不能再批准延长",), opinion="补批")


def test_case_handling_extension_adds_thirty_days(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("start_investigation"))
    before = _one(engine, case_no, "case_handling")  # 立案 06-02 + 90 日 = 08-31
    assert before.due_date == date(2026, 8, 31)
    runner.fire(case_no, "extend_case_handling", "juzhang", "2026-08-20 09:00",
                opinion="案情复杂，需进一步调查取证。")
    assert _one(engine, case_no, "case_handling").due_date == date(2026, 9, 30)


def test_evidence_preserved_must_be_decided_within_seven_working_days(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("start_investigation"))  # 06-03
    runner.fire(case_no, "preserve_evidence", "diaocha1", "2026-06-16 15:00",
                payload={"items": "住院病历12份"})
    limit = _one(engine, case_no, "evidence_preservation")
    assert limit.due_date == date(2026, 6, 26)  # 06-17..06-26, 端午 06-19 not counted
    runner.fire(case_no, "decide_preserved_evidence", "juzhang", "2026-06-22 09:00",
                opinion="经审查，登记保存的病历予以退还，复印件附卷。")
    _one(engine, case_no, "evidence_preservation", "met")


def test_court_application_runs_three_months_from_the_end_of_the_suit_window(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_decision"))  # served 2026-07-08: 诉讼 window to 2027-01-08
    runner.fire(case_no, "issue_dunning", "zhixing", "2026-07-24 09:00", payload={"method": "直接送达"})
    suit = _one(engine, case_no, "suit_window")
    court = _one(engine, case_no, "court_application")
    assert suit.due_date == date(2027, 1, 8)
    assert court.due_date == date(2027, 4, 8) and court.provisional  # 2027 notice not entered yet
    walk(runner, case_no, [DUNNING[1]])  # apply_court_enforcement on 2027-01-11
    _one(engine, case_no, "court_application", "met")
