"""Guards about 告知, 陈述申辩 and 听证 (《行政处罚法》第四十四条、第四十五条、第六十三条至第六十五条).
"""

from __future__ import annotations

from caseflow.cases.act_times import filed_on
from caseflow.cases.context import StepContext
from caseflow.cases.guards.base import (
    Refusal,
    _day,
    _fmt,
    _running_until,
    guard,
    party_names,
    stored_penalties,
    waited_for,
    waited_rule,
)
from caseflow.cases.models import PenaltyStage
from caseflow.deadlines import service as deadline_service
from caseflow.legal_time import SHANGHAI, Period, compute_due


@guard
def notice_not_yet_served(ctx: StepContext) -> Refusal:
    served = ctx.case.notice_served_at
    return {"served_at": _fmt(served)} if served else None


@guard
def notice_served(ctx: StepContext) -> Refusal:
    return None if ctx.case.notice_served_at else {}


@guard
def statement_period_over(ctx: StepContext) -> Refusal:
    case = ctx.case
    if case.statement_waived_at is not None or case.notice_served_at is None:
        return None  # waived in writing; an unserved notice is refused by notice_served
    period = deadline_service.latest(
        db_session=ctx.db_session, case_id=case.id, rule_code=waited_for(ctx, "statement_period_over")[0]
    )
    if period is None:
        return None
    if period.closed_at is not None and period.status.value in ("met", "overdue"):
        return None  # the party made its statement and it was re-examined (复核)
    if ctx.at < period.due_at:
        return {"due": _day(period)}
    return None


@guard
def hearing_request_window_over(ctx: StepContext) -> Refusal:
    return _running_until(ctx, "hearing_request_window_over")


@guard
def no_pending_hearing(ctx: StepContext) -> Refusal:
    case = ctx.case
    pending = case.hearing_requested_at is not None and case.hearing_closed_at is None
    return {} if pending else None


@guard
def hearing_entitled(ctx: StepContext) -> Refusal:
    if ctx.case.hearing_entitled:
        return None
    names = party_names(ctx)
    return {"penalties": "；".join(p.label(names) for p in stored_penalties(ctx, PenaltyStage.reviewed))}


@guard
def hearing_request_in_time(ctx: StepContext) -> Refusal:
    """Asked within the window — by the postmark when it came by post (期间不包括在途时间)."""
    window = deadline_service.latest(
        db_session=ctx.db_session, case_id=ctx.case.id, rule_code=waited_for(ctx, "hearing_request_in_time")[0]
    )
    if window is None:
        return None
    if filed_on(ctx.payload, default_at=ctx.at) >= window.due_at:
        return {"due": _day(window)}
    return None


@guard
def hearing_notice_in_time(ctx: StepContext) -> Refusal:
    raw = ctx.payload.get("hearing_date")
    if raw is None:
        return {"notified": ctx.local_day.strftime("%Y年%m月%d日"), "earliest": "（未填写听证日期）"}
    hearing_day = ctx.payload_time("hearing_date").astimezone(SHANGHAI).date()
    rule = waited_rule(ctx, "hearing_notice_in_time")  # 听证的七日前通知 (第六十四条第（二）项)
    seven = compute_due(ctx.at, Period(rule.length, rule.unit), calendar=ctx.calendar)
    assert seven.due_date is not None
    if hearing_day <= seven.due_date:
        earliest = seven.due_at.astimezone(SHANGHAI).date()
        return {"notified": ctx.local_day.strftime("%Y年%m月%d日"),
                "earliest": earliest.strftime("%Y年%m月%d日")}
    return None


@guard
def hearing_scheduled(ctx: StepContext) -> Refusal:
    return None if ctx.case.hearing_notified_at else {}


@guard
def hearing_day_reached(ctx: StepContext) -> Refusal:
    day = ctx.case.hearing_date
    if day is not None and ctx.local_day < day.astimezone(SHANGHAI).date():
        return {"hearing_day": day.astimezone(SHANGHAI).strftime("%Y年%m月%d日")}
    return None
