"""Guards about performance and enforcement: the party's windows (履行, 催告, 复议, 诉讼), pending
复议/诉讼, 暂缓缴纳, and extending a running limit.
"""

from __future__ import annotations

from caseflow.cases import remedies
from caseflow.cases.context import StepContext
from caseflow.cases.guards.base import Refusal, _day, _running_until, guard, waited_for
from caseflow.deadlines import service as deadline_service
from caseflow.cases.deadline_steps import extensions_so_far


@guard
def no_remedy_pending(ctx: StepContext) -> Refusal:
    """No court enforcement while the party's 复议 or 诉讼 is pending."""
    open_ones = remedies.pending(ctx.case)
    if not open_ones:
        return None
    return {"pending": "；".join(f"{r.kind.label}（{r.body}，{r.filed_on:%Y年%m月%d日}）" for r in open_ones)}


@guard
def remedy_pending(ctx: StepContext) -> Refusal:
    return None if remedies.pending(ctx.case) else {}


@guard
def payment_running(ctx: StepContext) -> Refusal:
    """暂缓或者分期缴纳 moves the running payment limit of a fine."""
    d = deadline_service.running(db_session=ctx.db_session, case_id=ctx.case.id,
                                 rule_code=waited_for(ctx, "payment_running")[0])
    return None if d is not None else {}


@guard
def payment_period_over(ctx: StepContext) -> Refusal:
    """催告 when the party has let its time to perform pass: 罚款 and 责令退回 alike."""
    return _running_until(ctx, "payment_period_over")


@guard
def dunning_period_over(ctx: StepContext) -> Refusal:
    return _running_until(ctx, "dunning_period_over")


@guard
def remedy_periods_over(ctx: StepContext) -> Refusal:
    running = []
    for code in waited_for(ctx, "remedy_periods_over"):
        d = deadline_service.running(db_session=ctx.db_session, case_id=ctx.case.id, rule_code=code)
        if d is not None and ctx.at < d.due_at:
            running.append(f"{d.name}至{_day(d)}")
    return {"windows": "；".join(running)} if running else None


@guard
def limit_extendable(ctx: StepContext) -> Refusal:
    """The step's `extends` limit is running, not yet over, and has extensions left."""
    t = ctx.transition
    assert t is not None and t.extends
    rule = ctx.library.deadlines[t.extends]
    current = deadline_service.running(db_session=ctx.db_session, case_id=ctx.case.id, rule_code=rule.code)
    if current is None:
        return {"limit": rule.name, "reason": "该期限未在计算中"}
    if ctx.at >= current.due_at:
        return {"limit": rule.name, "reason": f"期限已于{_day(current)}届满，届满后不能再批准延长"}
    if extensions_so_far(ctx, rule.code) >= rule.extension_times:
        return {"limit": rule.name, "reason": f"已延长过{rule.extension_times}次，不得再次延长"}
    return None
