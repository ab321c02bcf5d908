"""Guards about 裁量 (《行政处罚法》第三十四条): the circumstances ticked are the benchmark's, and a 罚款
outside the tier they lead to — still inside the law, which `penalty_within_lawful_range` keeps — comes
with a written 裁量说明."""

from __future__ import annotations

from caseflow.cases.context import StepContext
from caseflow.cases.discretion import benchmark_of, found_factors, judge, step_factors
from caseflow.cases.guards.base import Refusal, guard, stored_penalties
from caseflow.cases.models import PenaltyStage


def step_penalties(ctx: StepContext) -> list:
    """The penalties the step proposes — or, for 变更认定金额 without new ones, those proposed before,
    judged against the new amounts."""
    if not ctx.payload.get("penalties"):
        return stored_penalties(ctx, PenaltyStage.proposed)
    return ctx.payload_penalties()


@guard
def discretion_factors_known(ctx: StepContext) -> Refusal:
    if not ctx.payload.get("factors"):
        return None
    benchmark = benchmark_of(ctx.db_session, ctx.case)
    _, unknown = found_factors(benchmark, ctx.payload["factors"])
    if unknown:
        return {"factor": unknown[0], "benchmark": benchmark.citation if benchmark else "本机关适用的裁量基准（未设置）"}
    return None


@guard
def discretion_within_benchmark(ctx: StepContext) -> Refusal:
    if (ctx.payload.get("discretion_reason") or "").strip():
        return None
    benchmark = benchmark_of(ctx.db_session, ctx.case)
    factors, _ = found_factors(benchmark, step_factors(ctx.case, ctx.payload))
    for j in judge(ctx.case, ctx.payload, benchmark, step_penalties(ctx), [f for f, _ in factors]):
        if not j.within:
            r = j.recommendation
            return {"kind": j.penalty.kind, "amount": f"{j.penalty.amount:,.2f}", "base_name": r.entry.base_name,
                    "base": f"{r.base_amount:,.2f}", "multiple": f"{r.multiple_of(j.penalty.amount).normalize():f}",
                    "benchmark": r.benchmark.citation, "item": r.entry.item, "tier": r.tier.tier,
                    "low": f"{r.tier.multiple[0]:g}", "high": f"{r.tier.multiple[1]:g}",
                    "low_amount": f"{r.low:,.2f}", "high_amount": f"{r.high:,.2f}",
                    "details": {"discretion_reason": "偏离裁量基准推荐档次，须填写裁量说明"}}
    return None


@guard
def collective_discussion_if_mitigated(ctx: StepContext) -> Refusal:
    """减轻处罚 below the lawful minimum is decided in 集体讨论 where the agency's setting says so."""
    mitigated = bool((ctx.case.discretion or {}).get("mitigated"))
    return {} if mitigated and ctx.agency_settings().discretion.collective_for_mitigation else None
