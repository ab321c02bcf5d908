"""更换承办人员 and 回避申请 (《行政处罚法》第四十二条、第四十三条): only the 局负责人 decides; at least
two officers remain; a granted recusal takes the officer off the case and out of its steps, a
refused one is only recorded; a refusal or bad input leaves everything as it was."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from caseflow.cases import officers as officer_service
from caseflow.cases import service as case_service
from caseflow.cases.models import CaseOfficer, InterestDeclaration
from caseflow.db.session import unit_of_work
from caseflow.demo.walk import sh
from caseflow.errors import CaseflowError, Conflict, InvalidInput, NotFound, RuleViolation
from caseflow.org.models import EnforcementCredential, User
from tests.helpers import Org, Runner, case_row, events, open_case, refused, snapshot, through, walk

AT = "2026-06-02 10:00"


def replace(engine: Engine, org: Org, case_no: str, *, by: str = "juzhang", at: str = AT,
            **kw: Any) -> officer_service.OfficerChange:
    uid = org.users.get(by) or org.other_users[by]
    with unit_of_work(engine) as s:
        return officer_service.replace_officer(db_session=s, case_no=case_no, actor_id=uid, at=sh(at),
                                               **{"add": None, **kw})


def recusal(engine: Engine, org: Org, case_no: str, *, by: str = "juzhang", at: str = AT,
            applicant: str = "测试医院", **kw: Any) -> officer_service.OfficerChange:
    uid = org.users.get(by) or org.other_users[by]
    with unit_of_work(engine) as s:
        return officer_service.decide_recusal_application(
            db_session=s, case_no=case_no, actor_id=uid, applicant=applicant, at=sh(at), **kw)


def officers(engine: Engine, case_no: str) -> list[tuple[str, str, bool]]:
    """(username, role, active) of every officer the case has had, in order."""
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=case_no)
        return [(o.user.username, o.role.value, o.removed_at is None) for o in case.officers]


def declarations(engine: Engine) -> int:
    with unit_of_work(engine, write=False) as s:
        return s.scalar(select(func.count()).select_from(InterestDeclaration)) or 0


def unchanged(engine: Engine, case_no: str, call: Any, *, exc: type[CaseflowError], code: str,
              phrases: tuple[str, ...] = ()) -> CaseflowError:
    """`call` is refused with `exc`/`code`; the case, its events, officers and declarations stay."""
    before = (snapshot(engine, case_no), officers(engine, case_no), declarations(engine))
    with pytest.raises(CaseflowError) as info:
        call()
    err = info.value
    assert type(err) is exc and err.code == code, err
    for phrase in phrases:
        assert phrase in err.message, (phrase, err.message)
    assert (snapshot(engine, case_no), officers(engine, case_no), declarations(engine)) == before
    return err


# ── 更换承办人员 ──────────────────────────────────────────────────────────
def test_the_head_replaces_an_officer_in_the_same_role(engine: Engine, org: Org) -> None:
    no = open_case(engine, org)
    state, version = case_row(engine, no).state, case_row(engine, no).version
    change = replace(engine, org, no, remove="diaocha1", add="gaozhi", reason="工作调动")
    assert officers(engine, no) == [("diaocha1", "lead", False), ("diaocha2", "assistant", True),
                                    ("gaozhi", "lead", True)]
    removed, assigned = events(engine, no)[-2:]
    assert (removed.trigger, removed.trigger_name, removed.actor_name, removed.post, removed.opinion) == (
        "replace_officer", "更换承办人员", "张局长", "局负责人", "工作调动")
    assert removed.payload["officer"] == "王调查" and removed.payload["replacement"] == "刘告知"
    assert (assigned.trigger, assigned.payload) == ("assign_officer", {"officer": "刘告知", "role": "承办人"})
    assert change.event_seq == removed.seq and removed.occurred_at == sh(AT)
    case = case_row(engine, no)
    assert case.state == state and case.version > version
    with unit_of_work(engine, write=False) as s:
        row = s.scalar(select(CaseOfficer).where(CaseOfficer.id == removed.payload["removed_officer_id"]))
        assert row is not None and row.removed_at == sh(AT)


def test_only_the_head_of_the_agency_may_replace_an_officer(engine: Engine, org: Org) -> None:
    no = open_case(engine, org)
    err = unchanged(engine, no, lambda: replace(engine, org, no, by="lian", remove="diaocha1", add="gaozhi",
                                                  reason="工作调动"),
                    exc=RuleViolation, code="POST_REQUIRED", phrases=("局负责人", "第四十二条"))
    assert "立案岗" in err.message
    unchanged(engine, no, lambda: replace(engine, org, no, by="ps_head", remove="diaocha1", add="gaozhi",
                                          reason="工作调动"), exc=NotFound, code="NOT_FOUND")


def test_fewer_than_two_officers_is_refused(engine: Engine, org: Org) -> None:
    no = open_case(engine, org)
    err = unchanged(engine, no, lambda: replace(engine, org, no, remove="diaocha2", reason="工作调动"),
                    exc=RuleViolation, code="OFFICERS_BELOW_MINIMUM", phrases=("不足两人", "第四十二条"))
    assert err.details == {"add": "须指定接替人员"}


def test_with_three_officers_one_may_leave_without_a_successor_but_not_the_lead(engine: Engine,
                                                                                org: Org) -> None:
    no = open_case(engine, org, officers=("diaocha1", "diaocha2", "gaozhi"))
    unchanged(engine, no, lambda: replace(engine, org, no, remove="diaocha1", reason="调岗"),
              exc=RuleViolation, code="LEAD_OFFICER_REQUIRED")
    replace(engine, org, no, remove="gaozhi", reason="调岗")
    assert officers(engine, no)[-1] == ("gaozhi", "assistant", False)
    assert events(engine, no)[-1].trigger_name == "调离承办人员"


@pytest.mark.parametrize(("kw", "field", "message"), [
    ({"remove": "songda", "add": "gaozhi", "reason": "调岗"}, "remove", "不是本案在办的承办人员"),
    ({"remove": "", "add": "gaozhi", "reason": "调岗"}, "remove", "不能为空"),
    ({"remove": "diaocha1", "add": "gaozhi", "reason": "  "}, "reason", "不能为空"),
    ({"remove": "diaocha1", "add": "gaozhi", "reason": "理" * 201}, "reason", "不超过200字"),
    ({"remove": "diaocha1", "add": "diaocha2", "reason": "调岗"}, "add", "已是本案承办人员"),
    ({"remove": "diaocha1", "add": "diaocha1", "reason": "调岗"}, "add", "已是本案承办人员"),
    ({"remove": "diaocha1", "add": "nobody", "reason": "调岗"}, "add", "须为本机关在职人员"),
    ({"remove": "diaocha1", "add": "ps_lian", "reason": "调岗"}, "add", "须为本机关在职人员"),
])
def test_bad_input_names_the_field_and_changes_nothing(engine: Engine, org: Org, kw: dict[str, str],
                                                       field: str, message: str) -> None:
    no = open_case(engine, org)
    err = unchanged(engine, no, lambda: replace(engine, org, no, **kw), exc=InvalidInput, code="INVALID_INPUT")
    assert err.details == {field: message}


def test_a_successor_without_a_valid_credential_or_with_an_interest_is_refused(engine: Engine,
                                                                               org: Org) -> None:
    no = open_case(engine, org)
    unchanged(engine, no, lambda: replace(engine, org, no, remove="diaocha1", add="juzhang", reason="调岗"),
              exc=RuleViolation, code="CREDENTIAL_REQUIRED", phrases=("执法证件",))
    with unit_of_work(engine) as s:  # gaozhi's 执法证 lapsed before the day of the decision
        cred = s.scalar(select(EnforcementCredential).where(
            EnforcementCredential.user_id == org.users["gaozhi"]))
        assert cred is not None
        cred.valid_until = date(2026, 6, 1)
    unchanged(engine, no, lambda: replace(engine, org, no, remove="diaocha1", add="gaozhi", reason="调岗"),
              exc=RuleViolation, code="CREDENTIAL_REQUIRED")
    with unit_of_work(engine) as s:
        case = case_service.get_case(db_session=s, case_no=no)
        user = s.get(User, org.users["songda"])
        case_service.declare_interest(db_session=s, user=user, party=case.parties[0].party, reason="亲属",
                                      at=sh("2026-06-01 12:00"))
    unchanged(engine, no, lambda: replace(engine, org, no, remove="diaocha1", add="songda", reason="调岗"),
              exc=RuleViolation, code="ACTOR_RECUSED", phrases=("亲属",))
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=no)
        names = [u.username for u in officer_service.successor_candidates(db_session=s, case=case, at=sh(AT))]
    assert "songda" not in names and "gaozhi" not in names and "juzhang" not in names
    assert "diaocha1" not in names and "jueding" in names


def test_a_closed_case_or_a_stale_version_is_refused(engine: Engine, org: Org) -> None:
    no = open_case(engine, org)
    seen = case_row(engine, no).version
    replace(engine, org, no, remove="diaocha1", add="gaozhi", reason="调岗")
    unchanged(engine, no, lambda: replace(engine, org, no, remove="diaocha2", add="songda", reason="调岗",
                                          expected_version=seen), exc=Conflict, code="CASE_CONFLICT")
    runner = Runner(engine, org, reload=True)
    runner.fire(no, "submit_filing", "lian", "2026-06-03 09:00", payload={"facts": "线索反映的违法事实。"})
    runner.fire(no, "reject_filing", "juzhang", "2026-06-03 10:00", opinion="证据不足，不予立案")
    assert case_row(engine, no).closed_at is not None
    unchanged(engine, no, lambda: replace(engine, org, no, remove="diaocha2", add="songda", reason="调岗",
                                          at="2026-06-04 09:00"),
              exc=RuleViolation, code="CASE_CLOSED", phrases=("已结案",))


# ── 回避申请 ──────────────────────────────────────────────────────────────
def test_a_granted_recusal_takes_the_officer_off_and_out_of_the_case(engine: Engine, org: Org) -> None:
    no = open_case(engine, org)
    runner = Runner(engine, org, reload=True)
    walk(runner, no, through("approve_filing"))
    state = case_row(engine, no).state
    recusal(engine, org, no, at="2026-06-02 10:00", officer="diaocha1", granted=True,
            reason="与当事人法定代表人系近亲属", replacement="gaozhi")
    assert officers(engine, no) == [("diaocha1", "lead", False), ("diaocha2", "assistant", True),
                                    ("gaozhi", "lead", True)]
    decided, assigned = events(engine, no)[-2:]
    assert (decided.trigger, decided.trigger_name, decided.actor_name, decided.opinion) == (
        "decide_recusal", "决定回避", "张局长", "与当事人法定代表人系近亲属")
    assert {k: decided.payload[k] for k in ("applicant", "officer", "decision", "replacement")} == {
        "applicant": "测试医院", "officer": "王调查", "decision": "准予回避", "replacement": "刘告知"}
    assert assigned.trigger == "assign_officer"
    case = case_row(engine, no)
    assert case.state == state and case.suspended_from is None  # 决定作出之前，不停止调查
    assert declarations(engine) == 1

    refused(engine, runner, no, "start_investigation", "diaocha1", "2026-06-03 09:00",
            code="ACTOR_RECUSED", phrases=("测试医院",), payload={"credentials_shown": ["豫41032026002"]})
    runner.fire(no, "start_investigation", "diaocha2", "2026-06-03 09:00",
                payload={"credentials_shown": ["豫41032026003"]})  # the case goes on with the others
    runner.close()


def test_a_granted_recusal_needs_a_successor_when_two_would_not_remain(engine: Engine, org: Org) -> None:
    no = open_case(engine, org)
    err = unchanged(engine, no, lambda: recusal(engine, org, no, officer="diaocha1", granted=True, reason="近亲属"),
                    exc=RuleViolation, code="OFFICERS_BELOW_MINIMUM")
    assert err.details == {"replacement": "须指定接替人员"}


def test_a_refused_recusal_is_only_recorded(engine: Engine, org: Org) -> None:
    no = open_case(engine, org)
    before = case_row(engine, no)
    change = recusal(engine, org, no, officer="diaocha1", granted=False, reason="申请理由不成立")
    assert change.removed is None and change.added is None
    assert officers(engine, no) == [("diaocha1", "lead", True), ("diaocha2", "assistant", True)]
    assert declarations(engine) == 0
    last = events(engine, no)[-1]
    assert (last.trigger, last.trigger_name, last.opinion) == ("decide_recusal", "驳回回避申请", "申请理由不成立")
    assert last.payload == {"applicant": "测试医院", "officer": "王调查", "officer_username": "diaocha1",
                            "role": "承办人", "decision": "驳回申请"}
    after = case_row(engine, no)
    assert (after.state, after.last_event_seq) == (before.state, before.last_event_seq + 1)


def test_recusal_refusals_change_nothing(engine: Engine, org: Org) -> None:
    no = open_case(engine, org)
    unchanged(engine, no, lambda: recusal(engine, org, no, by="diaocha2", officer="diaocha1", granted=False,
                                          reason="不成立"),
              exc=RuleViolation, code="POST_REQUIRED", phrases=("第四十三条",))
    unchanged(engine, no, lambda: recusal(engine, org, no, by="ps_head", officer="diaocha1", granted=False,
                                          reason="不成立"), exc=NotFound, code="NOT_FOUND")
    err = unchanged(engine, no, lambda: recusal(engine, org, no, applicant="某某", officer="diaocha1",
                                                granted=False, reason="不成立"),
                    exc=InvalidInput, code="INVALID_INPUT", phrases=("测试医院",))
    assert err.details == {"applicant": "须为本案当事人"}
    err = unchanged(engine, no, lambda: recusal(engine, org, no, officer="diaocha1", granted=False,
                                                reason="不成立", replacement="gaozhi"),
                    exc=InvalidInput, code="INVALID_INPUT")
    assert err.details == {"replacement": "驳回申请时不填"}
    err = unchanged(engine, no, lambda: recusal(engine, org, no, officer="shencha", granted=True,
                                                reason="近亲属", replacement="gaozhi"),
                    exc=InvalidInput, code="INVALID_INPUT")
    assert err.details == {"officer": "不是本案在办的承办人员"}
    with pytest.raises(InvalidInput):
        with unit_of_work(engine) as s:
            officer_service.decide_recusal_application(
                db_session=s, case_no=no, actor_id=org.users["juzhang"], officer="diaocha1",
                applicant="测试医院", granted=False, reason="不成立", at=datetime(2026, 6, 2, 10))
