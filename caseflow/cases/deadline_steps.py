"""How a step's `opens` / `meets` / `cancels` turn into deadline rows, in the step's transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

from caseflow.cases import predicates
from caseflow.cases.context import StepContext
from caseflow.deadlines import service as deadline_service
from caseflow.deadlines.models import Deadline, DeadlineStatus
from caseflow.legal_time import PeriodUnit
from caseflow.org.settings import effective_rule
from caseflow.workflow.definition import DeadlineRule, TransitionDef


SERVICE = "service"  # `starts_at: service`: from the service the opening step records


def _start(ctx: StepContext, rule: DeadlineRule) -> datetime:
    if rule.starts_after:
        # Runs from the last day of another limit (e.g. 申请强制执行: from the end of the 诉讼 window).
        other = deadline_service.latest(db_session=ctx.db_session, case_id=ctx.case.id,
                                        rule_code=rule.starts_after)
        if other is not None:
            return other.due_at - timedelta(seconds=1)
    if rule.starts_at == SERVICE:
        return ctx.service().effective_at  # the document this step serves counts as served then
    if rule.starts_at:
        value = getattr(ctx.case, rule.starts_at)
        if value is not None:
            return value
    return ctx.at


def apply_deadlines(ctx: StepContext, t: TransitionDef) -> None:
    rules = ctx.library.deadlines
    case_id = ctx.case.id
    party_windows = frozenset(code for code, r in rules.items() if not r.expiry_is_breach)
    deadline_service.close_deadlines(
        db_session=ctx.db_session, case_id=case_id, rule_codes=t.cancels,
        status=DeadlineStatus.cancelled, at=ctx.at,
        outliving=frozenset(code for code, r in rules.items() if r.outlives_case),
    )
    deadline_service.close_deadlines(
        db_session=ctx.db_session, case_id=case_id, rule_codes=t.meets,
        status=DeadlineStatus.met, at=ctx.at, no_breach=party_windows,
    )
    if t.extends:
        ext = rules[t.extends]
        assert ext.extension_length and ext.extension_unit  # checked by the limit_extendable guard
        extend_running(ctx, t.extends, length=ext.extension_length, unit=ext.extension_unit)
    for code in t.opens:
        rule = rules[code]
        if rule.applies_if and not predicates.evaluate(rule.applies_if, ctx):
            continue
        settings = ctx.agency_settings()
        deadline_service.open_deadline(
            db_session=ctx.db_session, case_id=case_id, agency_id=ctx.case.agency_id,
            rule=effective_rule(rule, settings),
            start=_start(ctx, rule), calendar=ctx.calendar, reminders=settings.reminders,
        )


def extend_running(ctx: StepContext, rule_code: str, *, length: int, unit: PeriodUnit) -> Deadline | None:
    """Extend the running limit `rule_code` on the step's approval: the approving actor, the
    step's name and its opinion (the reason) are recorded on the extended row."""
    current = deadline_service.running(db_session=ctx.db_session, case_id=ctx.case.id, rule_code=rule_code)
    if current is None:
        return None
    step = ctx.transition.name if ctx.transition else "批准延长"
    return deadline_service.extend_deadline(
        db_session=ctx.db_session, current=current, rule=ctx.library.deadlines[rule_code],
        length=length, unit=unit, at=ctx.at, by_user_id=ctx.actor.id,
        approval=f"{step}（{ctx.actor.full_name}）", reason=ctx.opinion or "",
        calendar=ctx.calendar, reminders=ctx.agency_settings().reminders,
    )


def extend_sealing_term(ctx: StepContext, *, days: int) -> None:
    """行政强制法 第二十五条: the term is extended once, by at most 30 days (the `extension` of
    sealing_term in deadlines.yaml, checked by its guards), from its current end."""
    rule = ctx.library.deadlines["sealing_term"]
    extend_running(ctx, "sealing_term", length=days, unit=rule.extension_unit or PeriodUnit.DAY)


def extensions_so_far(ctx: StepContext, rule_code: str) -> int:
    return deadline_service.count_with_status(
        db_session=ctx.db_session, case_id=ctx.case.id, rule_code=rule_code, status=DeadlineStatus.extended)
