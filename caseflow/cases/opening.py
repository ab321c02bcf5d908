"""Opening a case (线索登记 / 拟封存, or a case opened by a step of another), assigning its officers
and recording a declared interest (回避). Every function works in the caller's unit of work."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.cases.audit import append_event
from caseflow.db.text import line
from caseflow.cases.context import StepContext
from caseflow.cases.models import Case, CaseOfficer, CaseParty, InterestDeclaration, OfficerRole, PartyRole
from caseflow.cases.numbering import new_case_no
from caseflow.cases.posts import post_label, sections_differing, starter_posts
from caseflow.cases.rules import refuse
from caseflow.catalog.files import entry_snapshot, item_hash
from caseflow.catalog.service import Catalog, get_catalog
from caseflow.db.base import utcnow
from caseflow.deadlines import service as deadline_service
from caseflow.errors import InvalidInput
from caseflow.holidays.service import calendar_for
from caseflow.org.actors import Actor
from caseflow.org.models import Agency, User
from caseflow.org.service import describe_posts, holds_post
from caseflow.org.settings import effective_rule, read_settings
from caseflow.parties.models import Party
from caseflow.workflow.registry import WorkflowLibrary, get_library

OPEN_CASE = "open_case"


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
    record: dict[str, Any] | None = None,
) -> Case:
    """Register a case (线索登记 / 拟封存) under a catalog item, which decides its procedure (newest
    version). The case keeps a snapshot of the entry and its hash: later catalog edits never change
    the rules of a running case. `record` adds to the opening event what the registration decided
    (e.g. a party's former name).

    The actor must hold a post that acts on the procedure's first state, unless the case is opened
    by a step of another case that authorises it (`authorised_by_step`, e.g. 转入处罚案件).
    """
    library = library or get_library()
    item = (catalog or get_catalog()).item(item_key)
    proc = library.procedure(item.procedure)
    library = library.for_procedure(proc)  # the rules this procedure version was published with
    at = at or utcnow()
    errors: dict[str, str] = {}
    title, source = line(title, "title", 300, errors) or "", line(source, "source", 200, errors) or None
    if not title.strip() and "title" not in errors:
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
    append_event(
        db_session=db_session, case=case, actor=actor, trigger=OPEN_CASE,
        trigger_name="登记案件", from_state=None, to_state=proc.initial, at=at,
        post="、".join(describe_posts(actor)),
        payload={"item_key": item_key, "parties": [p.name for p, _ in parties],
                 **({"authorised_by": authorised_by_step} if authorised_by_step else {}), **(record or {})},
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
    decl = declared_interest(db_session, user.id, [cp.party_id for cp in case.parties])
    if decl is not None:
        raise refuse("actor_not_recused", who=user.full_name, party=decl.party.name, reason=decl.reason)
    officer = CaseOfficer(user=user, role=role, assigned_at=at)
    case.officers.append(officer)
    db_session.flush()
    append_event(
        db_session=db_session, case=case, actor=actor, trigger="assign_officer",
        trigger_name=f"指派{role.label}", from_state=case.state, to_state=case.state, at=at,
        payload={"officer": user.full_name, "role": role.label},
    )
    return officer


def declared_interest(db_session: Session, user_id: int, party_ids: list[int]) -> InterestDeclaration | None:
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
        append_event(
            db_session=db_session, case=case, actor=user, trigger="declare_interest",
            trigger_name="申报回避", from_state=case.state, to_state=case.state, at=at,
            opinion=reason.strip(), payload={"party": party.name},
        )
    return decl
