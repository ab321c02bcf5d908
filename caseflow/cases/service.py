"""The case service: opening cases, assigning officers, declaring interests, firing steps, listing
what may be done now. CLI, web and tests call these functions; nothing else changes a case.

Every function works inside the caller's unit of work (`caseflow.db.session.unit_of_work`): a step,
its audit event, its deadlines and the rows it creates are committed together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session, selectinload
from transitions import MachineError

from caseflow.cases import guards as guard_registry
from caseflow.cases import predicates
from caseflow.cases.context import StepContext
from caseflow.cases.document_steps import issue_step_documents
from caseflow.cases.machines import machine_for
from caseflow.cases.models import (
    Case,
    CaseEvent,
    CaseOfficer,
    CaseParty,
    InterestDeclaration,
    OfficerRole,
    PartyRole,
    PenaltyItem,
)
from caseflow.cases.numbering import new_case_no, normalise_case_no
from caseflow.cases.persistence import other_changes_pending, write_case
from caseflow.cases.rules import refuse
from caseflow.cases.posts import (
    post_label,
    required_label,
    required_post,
    sections_differing,
    starter_posts,
)
from caseflow.catalog.files import entry_snapshot, item_hash
from caseflow.catalog.service import Catalog, get_catalog
from caseflow.db.base import utcnow
from caseflow.deadlines import service as deadline_service
from caseflow.errors import Conflict, InvalidInput, NotFound, RuleViolation
from caseflow.holidays.service import calendar_for
from caseflow.legal_time import WorkCalendar
from caseflow.org.actors import Actor
from caseflow.org.models import Agency, PostHolding, User
from caseflow.org.service import describe_posts, holds_post, load_actor
from caseflow.org.settings import effective_rule, read_settings
from caseflow.parties.models import Party
from caseflow.workflow.definition import ProcedureDef, TransitionDef
from caseflow.workflow.registry import WorkflowLibrary, get_library

OPEN_CASE = "open_case"


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


# Everything a full view of the case shows, loaded up front (a step loads only what its guards use).
_FULL = (
    selectinload(Case.parties).selectinload(CaseParty.party),
    selectinload(Case.officers).selectinload(CaseOfficer.user).selectinload(User.credentials),
    selectinload(Case.penalties).selectinload(PenaltyItem.party),
    selectinload(Case.sealed_items),
    selectinload(Case.remedies),
    selectinload(Case.agency),
)


_CASE_BY_NO = select(Case).where(Case.case_no == bindparam("no"))
_CASE_BY_ID = select(Case).where(Case.id == bindparam("id"))


def get_case(
    *, db_session: Session, case_no: str, agency_id: int | None = None, full: bool = False
) -> Case:
    """Load a case by 案号 (full-width or ASCII brackets) or numeric id.

    `full` eager-loads parties, officers, penalties and sealed items for a complete view; otherwise
    they load on first use, so a step pays only for what its guards read.
    """
    key = normalise_case_no(case_no)
    if agency_id is None and not full:  # the hot path of every step: a prebuilt statement
        stmt, params = (_CASE_BY_ID, {"id": int(key)}) if key.isdigit() else (_CASE_BY_NO, {"no": key})
        case = db_session.scalar(stmt, params)
    else:
        stmt = select(Case)
        stmt = stmt.where(Case.id == int(key)) if key.isdigit() else stmt.where(Case.case_no == key)
        if agency_id is not None:
            stmt = stmt.where(Case.agency_id == agency_id)
        if full:
            stmt = stmt.options(*_FULL)
        case = db_session.scalar(stmt)
    if case is None:
        raise NotFound(f"未找到案件「{case_no}」。")
    return case


def procedure_of(case: Case, library: WorkflowLibrary | None = None) -> ProcedureDef:
    return (library or get_library()).procedure(case.procedure_code, case.procedure_version)


_INSERT_EVENT = insert(CaseEvent.__table__)


def _append_event(
    *, db_session: Session, case: Case, actor: User | Actor | None, trigger: str, trigger_name: str,
    from_state: str | None, to_state: str, at: datetime, post: str | None = None,
    opinion: str | None = None, payload: dict[str, Any] | None = None,
) -> CaseEvent:
    """Append one audit event (a prebuilt INSERT on the step's connection; never updated later).

    The case row is flushed first: its UPDATE carries the version check, so a writer holding a
    stale case loses there (Conflict) — or waits for the row lock — before it touches the trail.
    """
    case.last_event_seq += 1  # also bumps the case version: the case has changed
    write_case(db_session, case)
    if other_changes_pending(db_session, case):
        db_session.flush()  # the other rows the step added or changed (deadlines, penalties…)
    values = dict(
        case_id=case.id, seq=case.last_event_seq, actor_id=actor.id if actor else None,
        actor_name=actor.full_name if actor else "系统", post=post, trigger=trigger,
        trigger_name=trigger_name, from_state=from_state, to_state=to_state, occurred_at=at,
        recorded_at=utcnow(), opinion=opinion, payload=_jsonable(payload or {}),
    )
    db_session.connection().execute(_INSERT_EVENT, values)
    return CaseEvent(**values)  # a detached copy for the caller; the row is in the database


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def open_case(
    *,
    db_session: Session,
    actor: User | Actor,
    item_key: str,
    title: str,
    parties: list[tuple[Party, PartyRole]],
    officers: list[tuple[User, OfficerRole]] = (),  # type: ignore[assignment]
    source: str | None = None,
    at: datetime | None = None,
    parent_case_id: int | None = None,
    library: WorkflowLibrary | None = None,
    catalog: Catalog | None = None,
    authorised_by_step: str | None = None,
) -> Case:
    """Register a case (线索登记 / 拟封存) under a catalog item, which decides its procedure (newest
    version). The case keeps a snapshot of the entry and its hash: later catalog edits never change
    the rules of a running case.

    The actor must hold a post that acts on the procedure's first state, unless the case is opened
    by a step of another case that authorises it (`authorised_by_step`, e.g. 转入处罚案件).
    """
    library = library or get_library()
    item = (catalog or get_catalog()).item(item_key)
    proc = library.procedure(item.procedure)
    library = library.for_procedure(proc)  # the rules this procedure version was published with
    at = at or utcnow()
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "请填写案由"
    if not any(role is PartyRole.principal for _, role in parties):
        errors["parties"] = "至少须有一名当事人"
    if any(p.agency_id != actor.agency_id for p, _ in parties):
        errors["parties"] = "当事人不属于本机关"
    if errors:
        raise InvalidInput("立案信息不完整：" + "；".join(errors.values()) + "。", details=errors)
    starters = [t for t in proc.transitions if proc.initial in t.sources]
    post_sections = sections_differing(item, proc)
    needed = starter_posts(post_sections, starters)
    if authorised_by_step is None and not any(holds_post(actor, p, s) for p, s in needed):
        labels = "、".join(dict.fromkeys(post_label(p, s) for p, s in needed))
        raise refuse("actor_holds_post", library=library, step=f"登记{proc.name}案件", required=labels,
                     held="、".join(describe_posts(actor)) or "无")
    agency = db_session.get(Agency, actor.agency_id)
    assert agency is not None
    if item.agency != agency.name:
        raise refuse("item_of_own_agency", library=library, item=f"{item.key} {item.name}",
                     owner=item.agency, agency=agency.name, details={"item_key": item.key})
    case = Case(
        case_no=new_case_no(db_session=db_session, agency=agency, procedure=proc, at=at),
        agency_id=agency.id, item_key=item.key, item_name=item.name,
        catalog_entry=entry_snapshot(item), catalog_hash=item_hash(item), post_sections=post_sections,
        procedure_code=proc.code, procedure_version=proc.version, state=proc.initial,
        title=title.strip(), source=source, opened_at=at, parent_case_id=parent_case_id,
        last_event_seq=0,
    )
    case.parties = [CaseParty(party=p, role=role) for p, role in parties]
    db_session.add(case)
    db_session.flush()
    _append_event(
        db_session=db_session, case=case, actor=actor, trigger=OPEN_CASE,
        trigger_name="登记案件", from_state=None, to_state=proc.initial, at=at,
        post="、".join(describe_posts(actor)),
        payload={"item_key": item_key, "parties": [p.name for p, _ in parties],
                 **({"authorised_by": authorised_by_step} if authorised_by_step else {})},
    )
    for user, role in officers:
        assign_officer(db_session=db_session, case=case, user=user, role=role, actor=actor, at=at)
    if proc.opens_on_register:
        settings = read_settings(agency.settings)
        for code in proc.opens_on_register:
            deadline_service.open_deadline(
                db_session=db_session, case_id=case.id, agency_id=case.agency_id,
                rule=effective_rule(library.deadlines[code], settings),
                start=at, calendar=calendar_for(db_session=db_session), reminders=settings.reminders,
            )
    return case


def open_linked_case(ctx: StepContext) -> Case:
    """转入处罚案件: a penalty case for the sealing case's parties, linked to it."""
    parent = ctx.case
    item_key = ctx.payload.get("item_key")
    item = get_catalog().item(str(item_key)) if item_key else None
    if item is None or item.procedure != "penalty_general":
        raise InvalidInput("转入处罚案件须选择适用的行政处罚事项（item_key）。",
                           details={"item_key": "须为本机关的行政处罚事项"})
    case = open_case(
        db_session=ctx.db_session, actor=ctx.actor, item_key=item.key,
        title=str(ctx.payload.get("title") or f"{parent.title}（由封存案件{parent.case_no}转入）"),
        parties=[(cp.party, cp.role) for cp in parent.parties],
        source=f"封存案件{parent.case_no}转入", at=ctx.at, parent_case_id=parent.id,
        library=ctx.library, authorised_by_step=f"{parent.case_no}·转入处罚案件",
    )
    for o in parent.active_officers():
        assign_officer(db_session=ctx.db_session, case=case, user=o.user, role=o.role,
                       actor=ctx.actor, at=ctx.at)
    return case


def assign_officer(
    *, db_session: Session, case: Case, user: User, role: OfficerRole, actor: User | Actor,
    at: datetime | None = None,
) -> CaseOfficer:
    at = at or utcnow()
    if user.agency_id != case.agency_id:
        raise InvalidInput("承办人员须为本机关工作人员。", details={"user": "非本机关人员"})
    if any(o.user_id == user.id for o in case.active_officers()):
        raise InvalidInput(f"{user.full_name}已是本案承办人员。", details={"user": "重复指派"})
    decl = _declared_interest(db_session, user.id, [cp.party_id for cp in case.parties])
    if decl is not None:
        raise refuse("actor_not_recused", who=user.full_name, party=decl.party.name, reason=decl.reason)
    officer = CaseOfficer(user=user, role=role, assigned_at=at)
    case.officers.append(officer)
    db_session.flush()
    _append_event(
        db_session=db_session, case=case, actor=actor, trigger="assign_officer",
        trigger_name=f"指派{role.label}", from_state=case.state, to_state=case.state, at=at,
        payload={"officer": user.full_name, "role": role.label},
    )
    return officer


def _declared_interest(db_session: Session, user_id: int, party_ids: list[int]) -> InterestDeclaration | None:
    return db_session.scalar(
        select(InterestDeclaration).where(
            InterestDeclaration.user_id == user_id, InterestDeclaration.party_id.in_(party_ids)
        )
    )


def declare_interest(
    *, db_session: Session, user: User, party: Party, reason: str, at: datetime | None = None
) -> InterestDeclaration:
    """回避: from now on the user may not act on any case of this party; open cases record it."""
    if not reason.strip():
        raise InvalidInput("请填写回避事由。", details={"reason": "不能为空"})
    at = at or utcnow()
    decl = InterestDeclaration(user=user, party=party, reason=reason.strip(), declared_at=at)
    db_session.add(decl)
    db_session.flush()
    cases = db_session.scalars(
        select(Case).join(CaseParty).where(CaseParty.party_id == party.id, Case.closed_at.is_(None))
    )
    for case in cases:
        _append_event(
            db_session=db_session, case=case, actor=user, trigger="declare_interest",
            trigger_name="申报回避", from_state=case.state, to_state=case.state, at=at,
            opinion=reason.strip(), payload={"party": party.name},
        )
    return decl


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
    if payload is not None and not isinstance(payload, dict):
        raise InvalidInput("步骤数据须为键值对象。", details={"payload": "须为对象"})
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
    ctx = StepContext(
        db_session=db_session, case=case, actor=actor, procedure=proc, library=library, at=at,
        calendar=calendar or calendar_for(db_session=db_session), payload=dict(payload or {}), opinion=opinion,
        from_state=case.state, declared_interest_id=declared_interest_id,
    )
    from_state = case.state
    machine = machine_for(proc, library)
    try:
        with db_session.no_autoflush:  # one UPDATE of the case row at the end, not one per query
            moved = _run_machine(machine, trigger, case, ctx)
        if not moved:
            raise refuse("branch_applies", library=library, step=proc.trigger_name(trigger))
        t = ctx.transition
        assert t is not None
        event = _append_event(
            db_session=db_session, case=case, actor=actor, trigger=trigger, trigger_name=t.name,
            from_state=from_state, to_state=case.state, at=at,
            post=required_label(case, t), opinion=opinion,
            payload={**ctx.payload, **{k: v for e in ctx.extra_events for k, v in e.items()}},
        )
        if t.documents or t.serves:
            issue_step_documents(ctx, t, event_seq=event.seq)
        for then in ctx.after_event:
            then(event.seq)
    except BaseException:
        if ctx.mutating:
            # Effects had begun to change the case: nothing of this unit of work may be committed.
            db_session.rollback()
        raise
    return StepResult(case=case, event=event)


_STEP_BY_NO = select(Case, guard_registry.declared_interest_of_actor(Case.__table__.c.id)).where(
    Case.case_no == bindparam("no")
)
_STEP_BY_ID = select(Case, guard_registry.declared_interest_of_actor(Case.__table__.c.id)).where(
    Case.id == bindparam("id")
)


def _case_for_step(db_session: Session, case_no: str, actor_id: int) -> tuple[Case, int | None]:
    """The case and the actor's interest declaration on its parties, in one round trip."""
    key = normalise_case_no(case_no)
    stmt, params = (_STEP_BY_ID, {"id": int(key)}) if key.isdigit() else (_STEP_BY_NO, {"no": key})
    row = db_session.execute(stmt, {**params, "user_id": actor_id}).one_or_none()
    if row is None:
        raise NotFound(f"未找到案件「{case_no}」。")
    return row[0], row[1]


def _run_machine(machine: Any, trigger: str, case: Case, ctx: StepContext) -> bool:
    try:
        return bool(machine.events[trigger].trigger(case, ctx=ctx))
    except MachineError as exc:  # pragma: no cover - candidates() checked the source state
        raise refuse("step_available", state=case.state, step=trigger) from exc


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
    out: list[ActionInfo] = []
    for trigger in proc.triggers_from(case.state):
        branches = proc.candidates(trigger, case.state)
        ctx = StepContext(
            db_session=db_session, case=case, actor=actor or _nobody(case), procedure=proc,
            library=library, at=at, calendar=calendar or calendar_for(db_session=db_session), dry_run=True,
            from_state=case.state,
        )
        t = next((b for b in branches if b.when is None or predicates.evaluate(b.when, ctx)), None)
        if t is None:
            continue
        ctx.transition = t
        info = ActionInfo(
            trigger=trigger, name=t.name, post=required_label(case, t), allowed=True,
            requires_opinion=t.requires_opinion, basis=t.basis,
        )
        for name in (*guard_registry.IMPLICIT_GUARDS, *t.guards):
            if library.guards[name].input:
                info.needs_input.append(name)
                continue
            if actor is None and name in ("actor_holds_post", "actor_not_recused"):
                continue
            try:
                guard_registry.check_guard(name, ctx)
            except RuleViolation as exc:
                info.allowed, info.code, info.reason = False, exc.code, exc.message
                break
        out.append(info)
    return out


def _nobody(case: Case) -> Actor:
    return Actor(id=0, agency_id=case.agency_id, username="", full_name="", posts=())


def events_of(*, db_session: Session, case_id: int) -> list[CaseEvent]:
    return list(
        db_session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.seq))
    )


def holders_of(*, db_session: Session, case: Case, t: TransitionDef) -> list[User]:
    """Users of the case's agency who hold the post a step needs on it (for 'who may fire it')."""
    post, section = required_post(case, t)
    stmt = select(User).join(PostHolding).where(User.agency_id == case.agency_id, PostHolding.post == post)
    users = db_session.scalars(stmt.options(selectinload(User.posts).selectinload(PostHolding.section))).unique()
    return [u for u in users if holds_post(u, post, section)]
