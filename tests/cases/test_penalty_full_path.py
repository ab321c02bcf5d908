"""行政处罚普通程序 straight through to 归档, with a hearing — in one session and reloading per step."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from caseflow.cases import service as case_service
from caseflow.cases.models import CaseEvent, PenaltyStage
from caseflow.db.session import unit_of_work
from caseflow.deadlines.models import Deadline
from caseflow.demo.scenarios import FULL_PATH
from tests.helpers import open_case, through


def test_full_path_with_hearing_reaches_archive(engine, org, runner):
    case_no = open_case(engine, org)
    states = [runner.fire(case_no, s.trigger, s.user, s.at, payload=s.payload, opinion=s.opinion)
              for s in FULL_PATH]
    assert states[-1] == "archived"
    assert states[states.index("re_examination") + 1] == "decided"
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=case_no)
        assert case.closed_at is not None and case.archived_at is not None
        assert case.hearing_entitled is True  # 罚款60,000元 ≥ 河南 法人 50,000元
        decided = {(p.kind, p.amount) for p in case.penalties_at(PenaltyStage.decided)}
        assert decided == {("责令退回", Decimal("30000.00")), ("罚款", Decimal("60000.00"))}
        events = list(s.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq)))
        # open + two officers + every step, numbered without gaps
        assert [e.seq for e in events] == list(range(1, len(FULL_PATH) + 4))
        assert [e.trigger for e in events[3:]] == [st.trigger for st in FULL_PATH]
        chain = [(e.from_state, e.to_state) for e in events[3:]]
        assert all(a[1] == b[0] for a, b in zip(chain, chain[1:])), "events chain state to state"
        legal_review = next(e for e in events if e.trigger == "approve_legal_review")
        assert legal_review.actor_name == "陈审核" and legal_review.post == "法制审核股·审查岗"
        assert "事实清楚" in (legal_review.opinion or "")
        deadlines = {d.rule_code: d.status.value for d in s.scalars(
            select(Deadline).where(Deadline.case_id == case.id))}
        assert deadlines == {
            "clue_check": "met",  # 登记 06-01 → 批准立案 06-02, inside 15 工作日
            "case_handling": "met",  # 立案 06-02 → 决定 07-07, inside 90 日
            "statement_period": "met", "hearing_request": "met",
            "decision_service": "met", "payment": "met", "fund_return": "met",
            # 执法公示 is not taken on this path (tests/publication): 批准结案 cancels its limit
            "decision_publication": "cancelled",
            # the party's 复议/诉讼 windows outlive the closure: they are its rights
            "review_window": "open", "suit_window": "open",
        }


def test_case_show_lists_who_may_act_next(engine, org, runner):
    case_no = open_case(engine, org)
    for s in through("conclude_investigation"):  # up to 调查终结
        runner.fire(case_no, s.trigger, s.user, s.at, payload=s.payload, opinion=s.opinion)
    from caseflow.cases.presenters import case_detail

    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=case_no)
        detail = case_detail(db_session=s, case=case)
    actions = {a["trigger"]: a for a in detail["available_actions"]}
    assert set(actions) == {"submit_legal_review", "resume_investigation", "revoke_filing",
                            "refer_to_judiciary", "suspend", "terminate", "amend_amounts",
                            "extend_case_handling"}
    assert actions["submit_legal_review"]["who"] == ["王调查", "赵取证"]
    assert actions["revoke_filing"]["who"] == ["张局长"]
    assert detail["state_name"] == "调查终结·案件审查"
