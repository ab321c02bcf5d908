"""Yes/no questions a procedure asks of a case: which branch of a step applies (`when`) and whether
a deadline applies at all (`applies_if`). Unlike guards they never refuse; they choose."""

from __future__ import annotations

from collections.abc import Callable

from caseflow.cases.context import StepContext
from caseflow.cases.models import PenaltyStage, RemedyOutcome
from caseflow.cases.penalties import CONFISCATION, FINE, RECOVERY, RETURN, corrective_only
from caseflow.cases.remedies import OUTCOME_WORDS
from caseflow.publication.service import status_of as publication_status

PredicateFn = Callable[[StepContext], bool]
PREDICATES: dict[str, PredicateFn] = {
    "decision_is_penalty": lambda ctx: ctx.case.decision_kind == "penalty",
    "decision_is_no_penalty": lambda ctx: ctx.case.decision_kind == "no_penalty",
    # 行政处理: only 责令退回 (责令改正 …) decided, no 行政处罚 (追责时效 passed, or 不予行政处罚 with a
    # return ordered) — the case's decision is a 行政处理决定书 (effects.record_*_decision set the kind).
    "decision_is_recovery": lambda ctx: ctx.case.decision_kind == RECOVERY,
    # What the reviewed proposal is: 行政处罚, or only 责令退回 (责令改正 …) — a 行政处理, told and decided as such.
    "reviewed_is_recovery": lambda ctx: corrective_only([p.kind for p in ctx.case.penalties_at(PenaltyStage.reviewed)]),
    "reviewed_is_penalty": lambda ctx: not corrective_only([p.kind for p in ctx.case.penalties_at(PenaltyStage.reviewed)]),
    "hearing_entitled": lambda ctx: bool(ctx.case.hearing_entitled),
    "hearing_not_entitled": lambda ctx: not ctx.case.hearing_entitled,
    # 罚款 and 没收违法所得 are paid (《行政处罚法》第六十七条); 责令退回 goes back to the fund
    # (《医疗保障基金使用监督管理条例》第四十五条): two obligations, two limits.
    "decision_has_fine": lambda ctx: any(
        p.kind in (FINE, CONFISCATION) for p in ctx.case.penalties_at(PenaltyStage.decided)
    ),
    "decision_orders_return": lambda ctx: any(
        p.kind == RETURN for p in ctx.case.penalties_at(PenaltyStage.decided)
    ),
}


def _outcome(ctx: StepContext) -> RemedyOutcome | None:
    return OUTCOME_WORDS.get(str(ctx.payload.get("outcome", "")).strip())


def _revoked(ctx: StepContext) -> bool:
    return _outcome(ctx) is RemedyOutcome.revoked


# Which way a 复议/诉讼 outcome takes the case (an outcome not yet typed lists the step as it stands).
PREDICATES |= {
    "remedy_outcome_stands": lambda ctx: not _revoked(ctx),
    "remedy_revoked_to_decide_again": lambda ctx: _revoked(ctx) and bool(ctx.payload.get("redo")),
    "remedy_revoked_for_good": lambda ctx: _revoked(ctx) and not ctx.payload.get("redo"),
}

# 《行政处罚法》第四十八条第二款: a published decision 变更、撤销 or 确认违法 is withdrawn within 三日.
WITHDRAWN_BY = frozenset({RemedyOutcome.revoked, RemedyOutcome.changed, RemedyOutcome.confirmed_illegal})
PREDICATES["publication_stands"] = lambda ctx: (
    publication_status(db_session=ctx.db_session, case_id=ctx.case.id).live is not None)
PREDICATES["publication_to_withdraw"] = lambda ctx: (
    _outcome(ctx) in WITHDRAWN_BY and PREDICATES["publication_stands"](ctx))


def evaluate(name: str, ctx: StepContext) -> bool:
    """`previous_state:<code>` asks which state a suspended case left; other names are looked up."""
    if name.startswith("previous_state:"):
        return ctx.case.suspended_from == name.split(":", 1)[1]
    return PREDICATES[name](ctx)


def known(name: str) -> bool:
    return name.startswith("previous_state:") or name in PREDICATES
