"""Party windows are not agency limits (issue 13, item 5).

From the statutes: 《行政处罚法》第四十五条 (陈述、申辩), 第六十四条第（一）项 (听证申请 五日), 第六十七条第三款
(十五日内缴纳罚款), 《行政强制法》第五十四条 (催告书 十日), 《行政复议法》第二十条 (六十日),
《行政诉讼法》第四十六条 (六个月) grant the PARTY time. When that time ends nobody at the agency is
late: the window has closed and the next step opens (决定, 催告, 申请强制执行). Only the agency's own
limits — 线索核查, 办案期限 (第六十条), 七日送达 (第六十一条), 24小时补办批准 (《行政强制法》第十九条),
封存期限 (第二十五条), 申请强制执行 (第五十三条) — can be overdue.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, select

from caseflow.alerts.models import Alert
from caseflow.alerts.sweep import sweep
from caseflow.cases import service as case_service
from caseflow.cases.presenters import case_detail
from caseflow.db.session import unit_of_work
from caseflow.deadlines.models import Deadline
from caseflow.alerts.watch import breach_rules, overdue_counts
from caseflow.workflow.registry import get_library
from tests.helpers import Org, Runner, deadlines, open_case, sh, through, walk

PARTY_WINDOWS = {"statement_period", "hearing_request", "payment", "fund_return", "dunning_period",
                 "review_window", "suit_window"}
AGENCY_LIMITS = {"clue_check", "case_handling", "decision_service", "emergency_approval", "redo_decision",
                 "hearing_notice",
                 "sealing_term", "evidence_preservation", "court_application",
                 "decision_publication", "publication_withdrawal"}  # 执法公示 (《行政处罚法》第四十八条)


def test_every_rule_says_whose_limit_it_is() -> None:
    rules = get_library().deadlines
    assert {c for c, r in rules.items() if r.holder == "party"} == PARTY_WINDOWS
    assert {c for c, r in rules.items() if r.holder == "agency"} == AGENCY_LIMITS
    assert set(breach_rules()) == AGENCY_LIMITS


def _alerted_rules(engine: Engine) -> set[str]:
    with unit_of_work(engine, write=False) as s:
        return set(s.scalars(select(Deadline.rule_code).join(Alert, Alert.deadline_id == Deadline.id)))


def test_the_end_of_the_payment_window_alerts_nobody(engine: Engine, org: Org, runner: Runner) -> None:
    no = open_case(engine, org)
    walk(runner, no, through("serve_decision"))  # 决定书 served 2026-07-08: 15 日 to pay
    runner.fire(no, "publish_decision", "shencha", "2026-07-09 10:00")  # the agency's 公示 limit met
    payment = next(d for d in deadlines(engine, no) if d.rule_code == "payment")
    assert payment.remind_at is None  # nobody is reminded of the party's own time
    after = payment.due_at + timedelta(days=3)
    report = sweep(engine, now=after)
    assert report.overdue == 0 and report.reminders == 0
    assert not (_alerted_rules(engine) & PARTY_WINDOWS)
    with unit_of_work(engine, write=False) as s:
        assert "payment" not in overdue_counts(db_session=s, agency_id=org.agency_id, now=after)
        case = case_service.get_case(db_session=s, case_no=no, full=True)
        rows = {d["rule"]: d for d in case_detail(db_session=s, case=case, at=after)["deadlines"]}
    assert rows["payment"]["status_name"] == "已届满"
    assert rows["payment"]["holder_name"] == "当事人期限"
    # The next step opens: 催告 after the party let its time pass (《行政强制法》第五十四条).
    assert runner.fire(no, "issue_dunning", "zhixing", after) == "dunning"


def test_the_end_of_the_dunning_window_alerts_nobody(engine: Engine, org: Org, runner: Runner) -> None:
    no = open_case(engine, org)
    walk(runner, no, through("serve_decision"))
    payment = next(d for d in deadlines(engine, no) if d.rule_code == "payment")
    runner.fire(no, "issue_dunning", "zhixing", payment.due_at + timedelta(hours=10))
    dunning = next(d for d in deadlines(engine, no) if d.rule_code == "dunning_period")
    sweep(engine, now=dunning.due_at + timedelta(days=1))
    assert "dunning_period" not in _alerted_rules(engine)


def test_an_agency_limit_run_out_is_overdue_and_shown_so(engine: Engine, org: Org, runner: Runner) -> None:
    no = open_case(engine, org)
    walk(runner, no, through("decide_penalty"))  # 七日送达 (第六十一条) is the agency's
    runner.fire(no, "publish_decision", "shencha", "2026-07-07 10:00")  # 公示 met: only 七日送达 runs
    service = next(d for d in deadlines(engine, no) if d.rule_code == "decision_service")
    after = service.due_at + timedelta(hours=1)
    assert sweep(engine, now=after).overdue == 1
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=no, full=True)
        rows = {d["rule"]: d for d in case_detail(db_session=s, case=case, at=after)["deadlines"]}
    assert rows["decision_service"]["status_name"] == "已逾期"
    assert rows["decision_service"]["holder_name"] == "本机关期限"


def test_the_case_page_says_closed_not_overdue_for_a_party_window() -> None:
    from caseflow.web.timefmt import countdown

    now = sh("2026-07-01 09:00")
    assert countdown(now - timedelta(hours=5), now, party=True) == {"text": "已届满", "level": "closed"}
    assert countdown(now - timedelta(hours=5), now)["text"] == "已逾期5小时"
    assert countdown(now + timedelta(hours=5), now, party=True)["level"] == "ok"  # never amber/red
