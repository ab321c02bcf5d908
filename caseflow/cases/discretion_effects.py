"""The step effect that records the 裁量 of a proposal (调查终结, 变更拟处罚意见) on the case, a 减轻处罚
below the lawful minimum marked as such (the head approves it in 集体讨论 where the agency says so), and
its rows for the 监督看板 (caseflow.cases.discretion_rows) in place of the earlier proposal's."""

from __future__ import annotations

from caseflow.cases.context import StepContext
from caseflow.cases.discretion import (
    benchmark_of,
    found_factors,
    judge,
    mitigation_ground,
    record_of,
    step_factors,
)
from caseflow.cases.discretion_rows import replace_rows
from caseflow.cases.guards.discretion import step_penalties
from caseflow.cases.guards.penalty import below_lawful_minimum


def record_discretion(ctx: StepContext) -> None:
    benchmark = benchmark_of(ctx.db_session, ctx.case)
    factors, _ = found_factors(benchmark, step_factors(ctx.case, ctx.payload))
    penalties = step_penalties(ctx)
    judged = judge(ctx.case, ctx.payload, benchmark, penalties, [f for f, _ in factors])
    reason = (ctx.payload.get("discretion_reason") or "").strip() or None
    # 减轻: the proposal is lawful only below-minimum-allowed (its guard let it through on the ground)
    mitigated = mitigation_ground(ctx.db_session, ctx.case, ctx.payload) and below_lawful_minimum(ctx, penalties)
    ctx.case.discretion = record_of(benchmark, judged, factors, reason, mitigated)
    replace_rows(ctx.db_session, ctx.case)  # same transaction: the board never sees one without the other
