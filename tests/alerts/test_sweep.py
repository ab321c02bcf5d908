"""The deadline sweep: reminders before the end, overdue alerts after it, each raised once, for the
right people — and everything that fell due while no scheduler ran is alerted at the next sweep."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, func, select

from caseflow.alerts.models import Alert
from caseflow.alerts.sweep import sweep
from caseflow.db.session import unit_of_work
from caseflow.org.models import User
from caseflow.demo.scenarios import ONSITE
from tests.helpers import Org, Runner, deadlines, open_case, sh, through, walk


def _alerts(engine: Engine) -> list[tuple[str, str, dict[str, str]]]:
    """(rule, kind, {username: role}) for every alert."""
    with unit_of_work(engine, write=False) as s:
        out = []
        for a in s.scalars(select(Alert).order_by(Alert.id)):
            from caseflow.deadlines.models import Deadline

            rule = s.get(Deadline, a.deadline_id).rule_code  # type: ignore[union-attr]
            people = {s.get(User, r.user_id).username: r.role.value for r in a.recipients}  # type: ignore[union-attr]
            out.append((rule, a.kind.value, people))
        return out


def _decided_case(engine: Engine, org: Org, runner: Runner) -> str:
    no = open_case(engine, org)
    walk(runner, no, through("decide_penalty"))  # decided 2026-07-07 09:00: 七日送达 runs
    runner.fire(no, "publish_decision", "shencha", "2026-07-07 10:00")  # 公示 met: only 七日送达 runs
    return no


def test_reminder_then_overdue_each_once_for_the_right_people(engine: Engine, org: Org, runner: Runner) -> None:
    no = _decided_case(engine, org, runner)
    service = next(d for d in deadlines(engine, no) if d.rule_code == "decision_service")
    # 7 工作日 from Tue 2026-07-07: last day Thu 07-16; reminder at the start of Wed 07-15.
    assert service.due_date.isoformat() == "2026-07-16"
    assert service.remind_at == sh("2026-07-15 00:00")

    assert sweep(engine, now=sh("2026-07-14 23:59")).reminders == 0
    first = sweep(engine, now=sh("2026-07-15 08:00"))
    assert (first.reminders, first.overdue) == (1, 0)
    assert sweep(engine, now=sh("2026-07-15 09:00")).reminders == 0  # raised once

    rule, kind, people = next(a for a in _alerts(engine) if a[0] == "decision_service")
    assert kind == "reminder"
    assert people == {
        "diaocha1": "officer", "diaocha2": "assistant",  # the case's 承办人 and 协办人
        "songda": "post_holder",  # 送达岗 serves the 决定书 (the step that meets the limit)
        "jjgz": "section_head",  # 基金监管股 股长
        "juzhang": "supervisor",
    }

    late = sweep(engine, now=sh("2026-07-17 00:00"))
    assert (late.reminders, late.overdue) == (0, 1)
    kinds = [(r, k) for r, k, _ in _alerts(engine) if r == "decision_service"]
    assert kinds == [("decision_service", "reminder"), ("decision_service", "overdue")]


def test_party_windows_raise_nothing(engine: Engine, org: Org, runner: Runner) -> None:
    no = open_case(engine, org)
    walk(runner, no, through("serve_notice"))  # 陈述申辩 and 听证申请 windows run
    open_rules = {d.rule_code for d in deadlines(engine, no) if d.status.value == "open"}
    assert {"statement_period"} <= open_rules
    sweep(engine, now=sh("2026-12-31 00:00"))
    assert not [a for a in _alerts(engine) if a[0] in ("statement_period", "hearing_request")]


def test_everything_due_while_down_is_alerted_at_the_first_sweep(engine: Engine, org: Org, runner: Runner) -> None:
    cases = [_decided_case(engine, org, runner) for _ in range(3)]
    # No sweep ran for months: the first one raises every overdue alert at once (and no
    # reminder for a limit already past its end).
    report = sweep(engine, now=sh("2026-10-01 00:00"))
    overdue = {(r, k) for r, k, _ in _alerts(engine)}
    assert report.overdue == len([a for a in _alerts(engine) if a[1] == "overdue"]) >= len(cases)
    assert ("decision_service", "reminder") not in overdue
    with unit_of_work(engine, write=False) as s:
        per_deadline = s.execute(
            select(Alert.deadline_id, Alert.kind, func.count()).group_by(Alert.deadline_id, Alert.kind)
        ).all()
    assert all(n == 1 for _, _, n in per_deadline)
    assert sweep(engine, now=sh("2026-10-01 00:05")).overdue == 0


def test_met_limits_are_not_alerted(engine: Engine, org: Org, runner: Runner) -> None:
    no = open_case(engine, org)
    walk(runner, no, through("serve_decision"))  # 七日送达 met on 07-08
    sweep(engine, now=sh("2026-07-20 00:00"))
    assert not [a for a in _alerts(engine) if a[0] == "decision_service"]


def test_the_24_hour_approval_is_reminded_two_hours_ahead_and_watched_first(
        engine: Engine, org: Org, runner: Runner) -> None:
    from caseflow.alerts.watch import watched_limits

    penalty = _decided_case(engine, org, runner)  # its 七日送达 is overdue by October
    no = open_case(engine, org, procedure="sealing", by="fengcun", officers=("fengcun", "diaocha1"))
    runner.fire(no, "seal_on_the_spot", "fengcun", "2026-09-30 23:30", payload=ONSITE)
    limit = next(d for d in deadlines(engine, no) if d.rule_code == "emergency_approval")
    # The start hour is not counted: 24 hours from 10-01 00:00, through the 国庆 holiday.
    assert limit.due_at == sh("2026-10-02 00:00") and limit.due_date is None
    assert limit.remind_at == sh("2026-10-01 22:00")

    assert sweep(engine, now=sh("2026-10-01 21:59")).reminders == 0
    assert sweep(engine, now=sh("2026-10-01 22:00")).reminders == 1
    _, kind, people = next(a for a in _alerts(engine) if a[0] == "emergency_approval")
    assert kind == "reminder" and people["juzhang"] == "post_holder"  # the head approves
    assert people["fengcun"] == "officer"

    with unit_of_work(engine, write=False) as s:
        watched = watched_limits(db_session=s, agency_id=org.agency_id, now=sh("2026-10-01 22:30"))
    assert [w.case_no for w in watched][:2] == [no, penalty]  # 补办批准 within 24 hours on top
    assert [w.overdue for w in watched][:2] == [False, True]

    runner.fire(no, "approve_retroactively", "juzhang", "2026-10-01 23:00")
    assert sweep(engine, now=sh("2026-10-02 08:00")).overdue == 0  # met in time


def test_an_overdue_clue_check_reaches_the_post_that_must_act_next(engine: Engine, org: Org) -> None:
    """线索核查 is met by 批准立案 (局负责人), but the case waits for 提请立案审批: its 立案岗 is told."""
    no = open_case(engine, org)
    clue = next(d for d in deadlines(engine, no) if d.rule_code == "clue_check")
    sweep(engine, now=clue.due_at)
    rule, kind, people = next(a for a in _alerts(engine) if a[0] == "clue_check")
    assert kind == "overdue"
    assert people["lian"] == "post_holder" and people["juzhang"] == "post_holder"  # 提请 and 批准立案
    assert people["diaocha1"] == "officer" and people["diaocha2"] == "assistant"


def test_a_return_by_legal_review_tells_the_investigators_once(engine: Engine, org: Org, runner: Runner) -> None:
    """法制审核退回: the officers and the post the case now waits for get the reasons as a 提醒."""
    no = open_case(engine, org)
    walk(runner, no, through("submit_legal_review"))
    at = through("approve_legal_review")[-1].at
    runner.fire(no, "return_from_legal_review", "shencha", at, opinion="证据不足，请补充询问笔录。")
    first = sweep(engine, now=at + timedelta(minutes=1))
    assert first.returned == 1
    assert sweep(engine, now=at + timedelta(minutes=2)).returned == 0  # raised once
    with unit_of_work(engine, write=False) as s:
        alert = s.scalars(select(Alert).where(Alert.kind == "returned")).one()
        people = {s.get(User, r.user_id).username: r.role.value for r in alert.recipients}  # type: ignore[union-attr]
        assert "证据不足，请补充询问笔录。" in alert.message and "法制审核退回" in alert.message
    assert people["diaocha1"] == "officer" and people["diaocha2"] == "assistant"
    assert "juzhang" not in people  # the head did not send it back and need not answer it
