"""Typed times and the law of service (issue 13, items 2, 3 and 4).

From the statutes (../shared/legal):
- A service recorded with a step happened after what it serves existed and before it is recorded:
  the 告知书 cannot be served before the penalty was approved, the 决定书 not before the decision
  (《行政处罚法》第四十四条、第六十一条), and nothing that has not happened yet is recorded.
- 《民事诉讼法》第九十一条: 邮寄送达的，以回执上注明的收件日期为送达日期.
- 第九十五条: 公告送达，自发出公告之日起，经过三十日，即视为送达 — and every period that runs
  from service (陈述申辩, 听证申请, 履行, 复议, 诉讼) starts then.
- 第八十五条: 期间不包括在途时间 — a party's filing posted within the period is on time.
- 《行政强制法》第五十四条: 催告书送达十日后 (工作日, 第六十九条) — from the service of the 催告书.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from caseflow.cases import service as case_service
from caseflow.db.session import unit_of_work
from caseflow.documents.models import Delivery
from caseflow.errors import InvalidInput
from tests.helpers import deadlines, events, open_case, refused, sh, through, walk


def _due(engine, case_no: str, rule: str) -> date:
    (d,) = [d for d in deadlines(engine, case_no, rule) if d.status.value in ("open", "met")][-1:]
    assert d.due_date is not None
    return d.due_date


# ── item 2: a typed time lies between what it depends on and now ─────────
def test_a_notice_served_before_the_case_was_filed_is_refused(engine, org, runner):
    """The finding: a 告知书 "served" eleven months before 立案 let the decision pass at once."""
    case_no = open_case(engine, org)
    walk(runner, case_no, through("approve_penalty"))  # approved 2026-06-12 09:00
    err = refused(engine, runner, case_no, "serve_notice", "gaozhi", "2026-06-15 09:00",
                  payload={"method": "直接送达", "served_at": "2025-07-02T09:00:00+08:00"},
                  code="ACT_TIME_OUT_OF_ORDER",
                  phrases=("送达时间2025年07月02日 09:00早于案件进入「事先告知（陈述、申辩）」",
                           "2026年06月12日 09:00"))
    assert "served_at" in err.details
    refused(engine, runner, case_no, "decide_penalty", "jueding", "2026-06-15 10:00", code="NOTICE_NOT_SERVED")


def test_a_decision_served_before_it_was_made_is_refused(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("decide_penalty"))  # decided 2026-07-07 09:00
    refused(engine, runner, case_no, "serve_decision", "songda", "2026-07-08 10:00",
            payload={"method": "直接送达", "served_at": "2026-07-06T16:00:00+08:00"},
            code="ACT_TIME_OUT_OF_ORDER", phrases=("早于案件进入「已决定·待送达」",))


@pytest.mark.parametrize("served_at", ["2029-07-08T10:00:00+08:00", "9999-12-31T23:59:00",
                                       "2026-07-08T10:06:00+08:00"])
def test_a_service_dated_ahead_is_refused(engine, org, runner, served_at):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("decide_penalty"))
    refused(engine, runner, case_no, "serve_decision", "songda", "2026-07-08 10:00",
            payload={"method": "直接送达", "served_at": served_at},
            code="ACT_TIME_OUT_OF_ORDER", phrases=("晚于当前时间", "不能登记尚未发生的事项"))


def test_a_few_minutes_of_clock_difference_are_tolerated(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("decide_penalty"))
    assert runner.fire(case_no, "serve_decision", "songda", "2026-07-08 10:00",
                       payload={"method": "直接送达", "served_at": "2026-07-08T10:04:00+08:00"}) == "enforcement"


@pytest.mark.parametrize("raw", ["2026-02-30T10:00", "tomorrow", "明天下午", 20260708, ["2026-07-08"]])
def test_an_impossible_date_is_a_clear_refusal_not_an_error(engine, org, runner, raw):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("decide_penalty"))
    err = refused(engine, runner, case_no, "serve_decision", "songda", "2026-07-08 10:00",
                  payload={"method": "直接送达", "served_at": raw}, exc=InvalidInput, code="INVALID_INPUT")
    assert "served_at" in err.details


def test_an_impossible_hearing_date_is_a_clear_refusal(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("request_hearing"))
    refused(engine, runner, case_no, "schedule_hearing", "shencha", "2026-06-17 09:00",
            payload={"hearing_date": "2026-07-32T09:00", "place": "局三楼会议室", "host": "陈审核"},
            exc=InvalidInput, code="INVALID_INPUT")


def test_a_service_entered_later_keeps_the_act_and_the_entry_time(engine, org, runner):
    """补录: handed over on 07-08 10:00, entered on 07-10 — the 履行期限 runs from 07-08."""
    case_no = open_case(engine, org)
    walk(runner, case_no, through("decide_penalty"))
    runner.fire(case_no, "serve_decision", "songda", "2026-07-10 16:00",
                payload={"method": "直接送达", "served_at": "2026-07-08T10:00:00+08:00"})
    last = events(engine, case_no)[-1]
    assert last.occurred_at == sh("2026-07-10 16:00")  # when it was entered
    assert last.payload["service"]["act_at"] == "2026-07-08T10:00:00+08:00"  # when it happened
    assert last.recorded_at is not None
    # 15 日 from 07-08 (the day of service not counted): 07-09 … 07-23.
    assert _due(engine, case_no, "payment") == date(2026, 7, 23)


# ── item 3: how the method of service moves the periods ──────────────────
def test_public_notice_counts_as_served_thirty_days_after_publication(engine, org, runner):
    """告知书 published 2026-06-15: 06-16 … 07-15 are the thirty days, served 07-15 (Wed); the
    five working days of 陈述申辩 and 听证申请 then run 07-16, 17, 20, 21, 22."""
    case_no = open_case(engine, org)
    walk(runner, case_no, through("approve_penalty"))
    runner.fire(case_no, "serve_notice", "gaozhi", "2026-06-15 10:00", payload={
        "method": "公告送达", "published_at": "2026-06-15",
        "service_note": "当事人下落不明，经邮寄、电话均无法送达，在本局门户网站及公告栏公告。"})
    assert _due(engine, case_no, "statement_period") == date(2026, 7, 22)
    assert _due(engine, case_no, "hearing_request") == date(2026, 7, 22)
    # Five working days after publication the party has not even been served.
    refused(engine, runner, case_no, "decide_penalty", "jueding", "2026-06-24 09:00",
            code="STATEMENT_PERIOD_RUNNING", phrases=("2026年07月22日",))
    refused(engine, runner, case_no, "decide_penalty", "jueding", "2026-07-22 16:00",
            code="STATEMENT_PERIOD_RUNNING")
    assert runner.fire(case_no, "decide_penalty", "jueding", "2026-07-23 09:00") == "decided"
    service = events(engine, case_no)[-2].payload["service"]
    assert service["method"] == "公告送达" and "第九十五条" in service["reasoning"]
    assert service["effective_at"].startswith("2026-07-15")


def test_posted_service_is_served_on_the_day_signed_for(engine, org, runner):
    """决定书 posted, 回执 signed 07-10 (Fri): 15 日 to pay end 07-25 (Sat) → 07-27 (Mon);
    复议 60 日 → 09-08; 诉讼 6 个月 → 2027-01-10 (Sun) → 2027-01-11 (Mon)."""
    case_no = open_case(engine, org)
    walk(runner, case_no, through("decide_penalty"))
    refused(engine, runner, case_no, "serve_decision", "songda", "2026-07-13 09:00",
            payload={"method": "邮寄送达"}, exc=InvalidInput, code="INVALID_INPUT",
            phrases=("回执上注明的收件日期", "第九十一条"))
    runner.fire(case_no, "serve_decision", "songda", "2026-07-13 09:00",
                payload={"method": "邮寄送达", "signed_at": "2026-07-10",
                         "service_note": "EMS 1150000000000"})
    assert _due(engine, case_no, "payment") == date(2026, 7, 27)
    assert _due(engine, case_no, "review_window") == date(2026, 9, 8)
    assert _due(engine, case_no, "suit_window") == date(2027, 1, 11)


def test_a_hearing_request_posted_in_time_is_on_time(engine, org, runner):
    """告知书 served 06-15: the five working days end 06-23 (端午 06-19–21). A request postmarked
    06-23 that arrives 06-25 is on time; one postmarked 06-24 is late."""
    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_notice"))
    refused(engine, runner, case_no, "request_hearing", "gaozhi", "2026-06-25 09:00",
            payload={"postmarked_at": "2026-06-24"}, code="HEARING_REQUEST_LATE")
    refused(engine, runner, case_no, "request_hearing", "gaozhi", "2026-06-25 09:00",
            code="HEARING_REQUEST_LATE")  # handed in on 06-25 without a postmark
    assert runner.fire(case_no, "request_hearing", "gaozhi", "2026-06-25 09:00",
                       payload={"postmarked_at": "2026-06-23"}) == "hearing"


def test_a_postmark_before_the_notice_is_refused(engine, org, runner):
    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_notice"))
    refused(engine, runner, case_no, "request_hearing", "gaozhi", "2026-06-16 09:00",
            payload={"postmarked_at": "2026-05-20"}, code="ACT_TIME_OUT_OF_ORDER")


# ── item 4: 催告 runs from the service of the 催告书 ──────────────────────
def test_dunning_period_runs_from_the_service_of_the_dunning_notice(engine, org, runner):
    """催告书 handed over 07-27 15:00 and entered 07-28: ten working days 07-28 … 08-10, not
    from the entry (which would end 08-11); no court application before."""
    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_decision"))  # served 07-08: payment ends 07-23
    runner.fire(case_no, "issue_dunning", "zhixing", "2026-07-28 09:00",
                payload={"method": "直接送达", "served_at": "2026-07-27T15:00:00+08:00"})
    assert _due(engine, case_no, "dunning_period") == date(2026, 8, 10)
    refused(engine, runner, case_no, "apply_court_enforcement", "zhixing", "2026-08-10 16:00",
            opinion="逾期未履行", code="DUNNING_PERIOD_RUNNING", phrases=("2026年08月10日",))
    # On 08-11 the 催告 has run; the party's 复议/诉讼 windows still bar the application.
    refused(engine, runner, case_no, "apply_court_enforcement", "zhixing", "2026-08-11 09:00",
            opinion="逾期未履行", code="REMEDY_PERIODS_RUNNING")


def test_the_delivery_record_keeps_what_the_server_wrote(engine, org, runner):
    """The 公告送达 reason (第九十五条: 记明原因和经过) stays the server's; the legal effect is added."""
    case_no = open_case(engine, org)
    walk(runner, case_no, through("approve_penalty"))
    refused(engine, runner, case_no, "serve_notice", "gaozhi", "2026-06-15 10:00",
            payload={"method": "公告送达", "published_at": "2026-06-15"}, exc=InvalidInput,
            code="SERVICE_DETAILS_INVALID")
    runner.fire(case_no, "serve_notice", "gaozhi", "2026-06-15 10:00", payload={
        "method": "公告送达", "published_at": "2026-06-15", "service_note": "下落不明"})
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=case_no)
        (d,) = s.scalars(select(Delivery).where(Delivery.case_id == case.id))
        assert d.note.startswith("下落不明；公告于2026年06月15日发出")
        assert d.served_at == sh("2026-06-15 00:00")


def test_a_posted_hearing_request_recorded_after_the_statement_is_in_order(engine, org, runner):
    """The party posts its statement and its hearing request on 06-18; the statement is recorded on
    06-19 (复核), the request on 06-20: its postmark follows the 告知书, not the 复核."""
    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_notice"))
    runner.fire(case_no, "receive_statement", "gaozhi", "2026-06-19 09:00",
                payload={"postmarked_at": "2026-06-18"}, opinion="当事人邮寄书面陈述、申辩。")
    assert runner.fire(case_no, "request_hearing", "gaozhi", "2026-06-20 09:00",
                       payload={"postmarked_at": "2026-06-18"}) == "hearing"
