"""How a step's `opens` / `meets` / `cancels` turn into deadline rows, in the step's transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

from caseflow.cases import predicates
from caseflow.cases.context import StepContext
from caseflow.deadlines import service as deadline_service
from caseflow.deadlines.models import Deadline, DeadlineStatus
from caseflow.legal_time import Period, PeriodUnit, compute_due
from caseflow.workflow.definition import DeadlineRule, TransitionDef


def _start(ctx: StepContext, rule: DeadlineRule) -> datetime:
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
    for code in t.opens:
        rule = rules[code]
        if rule.applies_if and not predicates.evaluate(rule.applies_if, ctx):
            continue
        deadline_service.open_deadline(
            db_session=ctx.db_session, case_id=case_id, rule=rule, start=_start(ctx, rule),
            calendar=ctx.calendar,
        )


def extend_sealing_term(ctx: StepContext, *, days: int) -> None:
    """行政强制法 第二十五条: the term is extended once, by at most 30 days, from its current end."""
    current = deadline_service.running(
        db_session=ctx.db_session, case_id=ctx.case.id, rule_code="sealing_term"
    )
    rule = ctx.library.deadlines["sealing_term"]
    if current is None:
        return
    current.status = DeadlineStatus.extended
    current.closed_at = ctx.at
    # The extension runs from the last day of the first term (its exclusive end, minus a day).
    base = current.due_at - timedelta(days=1)
    result = compute_due(base, Period(days, PeriodUnit.DAY), calendar=ctx.calendar,
                         articles=(rule.basis,))
    ctx.db_session.add(Deadline(
        case_id=ctx.case.id, rule_code=rule.code, name=f"{rule.name}（延长）", basis=rule.basis,
        started_at=base, due_at=result.due_at, due_date=result.due_date,
        provisional=result.provisional, reasoning=[*result.reasoning, *result.flags],
        status=DeadlineStatus.open,
    ))
