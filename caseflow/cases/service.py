"""The case service: firing steps and listing what may be done now. CLI, web and tests call these
functions (and, re-exported here, those of `lookup`, `opening` and `audit`); nothing else changes a
case.

Every function works inside the caller's unit of work (`caseflow.db.session.unit_of_work`): a step,
its audit event, its deadlines and the rows it creates are committed together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from caseflow.cases import effects as effect_registry
from caseflow.cases import guards as guard_registry
from caseflow.cases.audit import append_event, events_of
from caseflow.cases.context import NOT_LOADED, StepContext
from caseflow.cases.document_steps import issue_step_documents
from caseflow.cases.lookup import get_case, procedure_of
from caseflow.cases.deadline_steps import apply_deadlines
from caseflow.cases.machines import choose_branch, machine_for, move
from caseflow.cases.models import Case, CaseEvent
from caseflow.cases.numbering import case_key
from caseflow.cases.opening import (
    OPEN_CASE,
    assign_officer,
    declare_interest,
    declared_interest,
    open_case,
    open_linked_case,
)
from caseflow.cases.posts import required_label, required_post
from caseflow.cases.rules import refuse
from caseflow.db.base import utcnow
from caseflow.errors import Conflict, InvalidInput, NotFound, RuleViolation
from caseflow.holidays.service import calendar_for
from caseflow.legal_time import WorkCalendar
from caseflow.org.actors import Actor
from caseflow.org.models import User
from caseflow.org.service import holds_post, load_actor
from caseflow.workflow.definition import ProcedureDef, TransitionDef
from caseflow.workflow.input_values import check_required, free_text, validate_payload
from caseflow.workflow.inputs import InputDef
from caseflow.workflow.registry import WorkflowLibrary, get_library

__all__ = [
    "OPEN_CASE", "ActionInfo", "StepResult", "append_event", "assign_officer", "available_actions",
    "declare_interest", "declared_interest", "events_of", "fire", "get_case", "holders_of",
    "open_case", "open_linked_case", "procedure_of",
]


@dataclass
class StepResult:
    case: Case
    event: CaseEvent


@dataclass
class ActionInfo:
    trigger: str
    name: str
    post: str
    allowed: bool
    code: str | None = None
    reason: str | None = None
    needs_input: list[str] = field(default_factory=list)
    requires_opinion: bool = False
    basis: str = ""
    inputs: tuple[InputDef, ...] = ()  # what the step asks for (workflows/ `inputs:`)
    refusal: bool = False  # refuses, sends back or ends the matter
    documents: tuple[str, ...] = ()  # document types the step may issue (a 送达回证 where it serves)
    optional: bool = False  # a power used when needed (延长, 中止 …), never "the next step"
    ready: bool = True  # the case allows the step now, whoever holds its post (guards but the actor's)
    waiting: str | None = None  # why the case is not ready for it yet


def fire(
    *,
    db_session: Session,
    case_no: str,
    trigger: str,
    actor_id: int,
    payload: dict[str, Any] | None = None,
    opinion: str | None = None,
    expected_version: int | None = None,
    at: datetime | None = None,
    calendar: WorkCalendar | None = None,
    library: WorkflowLibrary | None = None,
) -> StepResult:
    """Take one step of the case's procedure as `actor_id`, or refuse it leaving the case unchanged.

    `expected_version` is the case version the actor saw; if someone acted since, `Conflict`.
    Guards run before anything changes, so a refusal leaves the case and the session as they were.
    A failure after the step's effects began (bad input found late, a lost race at flush) rolls
    back the caller's whole transaction: a step is never half-written.
    """
    library = library or get_library()
    at = at or utcnow()
    if at.tzinfo is None:
        raise InvalidInput("时间须带时区。", details={"at": "须带时区"})
    case, declared_interest_id = _case_for_step(db_session, case_no, actor_id)
    actor = load_actor(db_session=db_session, user_id=actor_id)
    if actor.agency_id != case.agency_id:
        raise NotFound(f"未找到案件「{case_no}」。")
    if expected_version is not None and case.version != expected_version:
        raise Conflict(f"案件{case.case_no}已被他人修改（版本{case.version}），请刷新后重试。")
    proc = procedure_of(case, library)
    library = library.for_procedure(proc)  # a running case keeps the rules of its version
    if not proc.candidates(trigger, case.state):
        name = proc.trigger_name(trigger)
        known = any(t.trigger == trigger for t in proc.transitions)
        details = {"state": case.state, "trigger": trigger}
        if known:
            raise refuse("step_available", library=library, state=proc.state_name(case.state), step=name,
                         details=details)
        raise refuse("step_known", library=library, procedure=proc.name, trigger=trigger, details=details)
    typed = validate_payload(proc.inputs_of(trigger), payload)  # the declared inputs, typed; nothing else
    opinion = free_text(opinion, name="opinion", label="意见或理由")
    ctx = StepContext(
        db_session=db_session, case=case, actor=actor, procedure=proc, library=library, at=at,
        calendar=calendar or calendar_for(db_session=db_session), payload=typed, opinion=opinion,
        from_state=case.state, declared_interest_id=declared_interest_id,
    )
    try:
        with db_session.no_autoflush:  # one UPDATE of the case row at the end, not one per query
            t = _branch(proc, trigger, ctx)
            _check_guards(t, ctx)
            _check_required(t, ctx)
            ctx.mutating = True  # from here a failure rolls back the caller's whole unit of work
            move(machine_for(proc, library), proc, t, case)
            _apply_effects(t, ctx)
            apply_deadlines(ctx, t)
        event = _record_event(ctx, t)
        _issue_documents(ctx, t, event.seq)
    except BaseException:
        if ctx.mutating:
            # Effects had begun to change the case: nothing of this unit of work may be committed.
            db_session.rollback()
        raise
    return StepResult(case=case, event=event)


# ── the path of a step, in order (fire) ─────────────────────────────────
def _branch(proc: ProcedureDef, trigger: str, ctx: StepContext) -> TransitionDef:
    """The one branch of the step that applies now (its `when`), chosen once."""
    t = choose_branch(proc, trigger, ctx)
    if t is None:
        raise refuse("branch_applies", library=ctx.library, step=proc.trigger_name(trigger))
    ctx.transition = t
    return t


def _check_guards(t: TransitionDef, ctx: StepContext) -> None:
    """Every guard of the branch, the implicit ones first; the first refusal raises."""
    for name in (*guard_registry.IMPLICIT_GUARDS, *t.guards):
        guard_registry.check_guard(name, ctx)


def _check_required(t: TransitionDef, ctx: StepContext) -> None:
    """After the guards (whose refusals cite the law): the declared inputs a step cannot do without,
    given now or — for those the case records (`from_case`) — recorded before."""
    check_required(t.inputs, ctx.payload, lambda attr: getattr(ctx.case, attr, None))


def _apply_effects(t: TransitionDef, ctx: StepContext) -> None:
    for name in t.effects:
        effect_registry.EFFECTS[name](ctx)


def _record_event(ctx: StepContext, t: TransitionDef) -> CaseEvent:
    return append_event(
        db_session=ctx.db_session, case=ctx.case, actor=ctx.actor, trigger=t.trigger, trigger_name=t.name,
        from_state=ctx.from_state, to_state=ctx.case.state, at=ctx.at,
        post=required_label(ctx.case, t), opinion=ctx.opinion,
        payload={**ctx.payload, **{k: v for e in ctx.extra_events for k, v in e.items()}},
    )


def _issue_documents(ctx: StepContext, t: TransitionDef, event_seq: int) -> None:
    """The step's documents and services, then what effects left for after the event."""
    if t.documents or t.serves:
        issue_step_documents(ctx, t, event_seq=event_seq)
    for then in ctx.after_event:
        then(event_seq)


_STEP_BY_NO = select(Case, guard_registry.declared_interest_of_actor(Case.__table__.c.id)).where(
    Case.case_no == bindparam("no")
)
_STEP_BY_ID = select(Case, guard_registry.declared_interest_of_actor(Case.__table__.c.id)).where(
    Case.id == bindparam("id")
)


def _case_for_step(db_session: Session, case_no: str, actor_id: int) -> tuple[Case, int | None]:
    """The case and the actor's interest declaration on its parties, in one round trip."""
    key = case_key(case_no)
    if key is None:
        raise NotFound(f"未找到案件「{case_no[:60]}」。")
    stmt, params = (_STEP_BY_ID, {"id": key}) if isinstance(key, int) else (_STEP_BY_NO, {"no": key})
    row = db_session.execute(stmt, {**params, "user_id": actor_id}).one_or_none()
    if row is None:
        raise NotFound(f"未找到案件「{case_no}」。")
    return row[0], row[1]


def available_actions(
    *, db_session: Session, case: Case, actor: User | Actor | None = None,
    at: datetime | None = None,
    library: WorkflowLibrary | None = None, calendar: WorkCalendar | None = None,
) -> list[ActionInfo]:
    """The steps leaving the case's state, who may take them and — for `actor` — whether they may
    now and why not. Guards that judge submitted input are listed, not evaluated."""
    library = library or get_library()
    proc = procedure_of(case, library)
    library = library.for_procedure(proc)
    at = at or utcnow()
    calendar = calendar or calendar_for(db_session=db_session)
    # The actor's 回避 is the same for every step: read once, not once per step.
    declared = (guard_registry.declaration_on_case(db_session, user_id=actor.id, case_id=case.id)
                if actor is not None else NOT_LOADED)
    out: list[ActionInfo] = []
    for trigger in proc.triggers_from(case.state):
        ctx = StepContext(
            db_session=db_session, case=case, actor=actor or _nobody(case), procedure=proc,
            library=library, at=at, calendar=calendar, dry_run=True,
            from_state=case.state, declared_interest_id=declared,
        )
        t = choose_branch(proc, trigger, ctx)
        if t is None:
            continue
        ctx.transition = t
        info = ActionInfo(
            trigger=trigger, name=t.name, post=required_label(case, t), allowed=True,
            requires_opinion=t.requires_opinion, basis=t.basis, inputs=t.inputs, refusal=t.refusal,
            documents=(*(d.doc_type for d in t.documents), *(("service_receipt",) if t.serves else ())),
            optional=t.optional,
        )
        for name in (*guard_registry.IMPLICIT_GUARDS, *t.guards):
            if library.guards[name].input:
                info.needs_input.append(name)
                continue
            personal = name in ACTOR_GUARDS
            if personal and actor is None:
                continue
            try:
                guard_registry.check_guard(name, ctx)
            except RuleViolation as exc:
                if info.allowed:  # the first refusal is the actor's answer
                    info.allowed, info.code, info.reason = False, exc.code, exc.message
                if not personal:  # the case is not ready for this step, whoever takes it
                    info.ready, info.waiting = False, exc.message
                    break
        out.append(info)
    return out


# The guards that judge who takes a step, not whether the case is ready for it.
ACTOR_GUARDS = frozenset({"actor_holds_post", "actor_not_recused"})


def _nobody(case: Case) -> Actor:
    return Actor(id=0, agency_id=case.agency_id, username="", full_name="", posts=())


def holders_of(*, staff: list[Actor], case: Case, t: TransitionDef) -> list[Actor]:
    """Those of `staff` (the agency's active users, `org.service.agency_actors`) who hold the post a
    step needs on the case."""
    post, section = required_post(case, t)
    return [u for u in staff if holds_post(u, post, section)]
