"""The guard registry and what guards share: the `guard` decorator, `GUARDS`, and small readers
(penalties at a stage, the limits a guard waits for, a limit's last day).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select

from caseflow.cases.context import StepContext
from caseflow.cases.models import CaseParty, InterestDeclaration, PenaltyStage
from caseflow.cases.penalties import Penalty, stored
from caseflow.deadlines import service as deadline_service
from caseflow.deadlines.models import Deadline
from caseflow.legal_time import SHANGHAI
from caseflow.workflow.definition import DeadlineRule



Refusal = dict[str, Any] | None


GuardFn = Callable[[StepContext], Refusal]


GUARDS: dict[str, GuardFn] = {}


def guard(fn: GuardFn) -> GuardFn:
    GUARDS[fn.__name__] = fn
    return fn


def _fmt(dt: datetime | None) -> str:
    return dt.astimezone(SHANGHAI).strftime("%Y年%m月%d日 %H:%M") if dt else "—"


def stored_penalties(ctx: StepContext, stage: PenaltyStage) -> list[Penalty]:
    return [stored(p) for p in ctx.case.penalties_at(stage)]


def waited_for(ctx: StepContext, guard_name: str) -> tuple[str, ...]:
    """The limits a guard waits for, as guards.yaml names them (`waits_for`)."""
    return ctx.library.guards[guard_name].waits_for


def waited_rule(ctx: StepContext, guard_name: str) -> DeadlineRule:
    return ctx.library.deadlines[waited_for(ctx, guard_name)[0]]


def party_names(ctx: StepContext) -> dict[int, str]:
    return {cp.party_id: cp.party.name for cp in ctx.case.parties}


_decl = InterestDeclaration.__table__


_case_party_ids = (
    select(CaseParty.__table__.c.party_id)
    .where(CaseParty.__table__.c.case_id == bindparam("case_id"))
    .scalar_subquery()
)


def _running_until(ctx: StepContext, guard_name: str) -> Refusal:
    """Refuse while an open limit the guard waits for (`waits_for`) has not reached its end."""
    for rule_code in waited_for(ctx, guard_name):
        d = deadline_service.running(db_session=ctx.db_session, case_id=ctx.case.id, rule_code=rule_code)
        if d is not None and ctx.at < d.due_at:
            return {"due": _day(d)}
    return None


def _day(d: Deadline) -> str:
    return d.due_date.strftime("%Y年%m月%d日") if d.due_date else _fmt(d.due_at)
