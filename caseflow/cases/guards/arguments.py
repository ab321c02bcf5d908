"""Guards about the party's arguments (《行政处罚法》第四十五条: 对当事人提出的事实、理由和证据，应当进行
复核): an answer on 复核 answers an argument recorded at 陈述、申辩 or the 听证, and no decision is made
while an argument recorded has no answer (caseflow/cases/arguments.py)."""

from __future__ import annotations

from caseflow.cases.arguments import ANSWER_INPUT, match_answers, unanswered
from caseflow.cases.context import StepContext
from caseflow.cases.guards.base import Refusal, guard


def _short(words: str, limit: int = 40) -> str:
    flat = "".join(words.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"


@guard
def answers_to_recorded_arguments(ctx: StepContext) -> Refusal:
    """Each answer names an argument as it was recorded (the party's words are the record's)."""
    rows = ctx.payload.get(ANSWER_INPUT) or []
    _, unknown = match_answers(ctx.case, rows)
    if not unknown:
        return None
    j = unknown[0]
    return {"row": j + 1, "argument": _short(str(rows[j].get("argument") or "")),
            "details": {f"{ANSWER_INPUT}[{j}].argument": "不是已记录的当事人意见"}}


@guard
def arguments_answered(ctx: StepContext) -> Refusal:
    """Every argument recorded has the agency's answer — recorded, or given with this step."""
    left = unanswered(ctx.case, ctx.payload)
    if not left:
        return None
    return {"count": len(left), "argument": _short(left[0]),
            "details": {ANSWER_INPUT: f"尚有{len(left)}条当事人意见未作出复核结论"}}
