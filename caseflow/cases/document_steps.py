"""How a step's `documents` and `serves` become document and delivery rows, in the step's transaction
(再次送达 and 更正 outside a step are in `document_acts`).

`fire` calls `issue_step_documents` after the step's audit event is written: the documents carry
that event's number. A document whose required content is missing refuses the whole step
(DOCUMENT_FIELDS_MISSING), so nothing half-empty is issued and no 文号 is used up.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from caseflow.cases import predicates
from caseflow.cases.context import StepContext
from caseflow.cases.models import Case, PartyRole
from caseflow.cases.rules import refuse
from caseflow.cases.document_data import StepFacts, build_data
from caseflow.documents.models import Document
from caseflow.documents.service import ServiceDetails, issue_document, latest_document, record_delivery
from caseflow.workflow.definition import TransitionDef

__all__ = ["issue_step_documents", "reissue_changed_decision", "service_details"]


def _facts(ctx: StepContext) -> StepFacts:
    return StepFacts(trigger=ctx.transition.trigger if ctx.transition else "", at=ctx.at,
                     actor_name=ctx.actor.full_name, opinion=ctx.opinion, payload=ctx.payload)


def issue_step_documents(ctx: StepContext, t: TransitionDef, *, event_seq: int) -> list[Document]:
    """Issue the documents the step names, then record the service of the ones it serves."""
    issued: list[Document] = []
    for spec in t.documents:
        if spec.when and not predicates.evaluate(spec.when, ctx):
            continue
        data = build_data(db_session=ctx.db_session, case=ctx.case, doc_type=spec.doc_type,
                          step=_facts(ctx), library=ctx.library, calendar=ctx.calendar,
                          settings=ctx.agency_settings())
        issued.append(issue_document(
            db_session=ctx.db_session, case_id=ctx.case.id, agency=ctx.case.agency,
            doc_type=spec.doc_type, data=data, trigger=t.trigger, event_seq=event_seq, at=ctx.at,
            actor_id=ctx.actor.id, actor_name=ctx.actor.full_name,
        ))
    if t.serves:
        doc = latest_document(db_session=ctx.db_session, case_id=ctx.case.id, doc_types=t.serves)
        if doc is None:
            raise refuse("document_to_serve_issued", library=ctx.library, step=t.name,
                         documents="、".join(t.serves), details={"doc_types": list(t.serves)})
        moment = ctx.service()
        record_delivery(
            db_session=ctx.db_session, doc=doc, agency=ctx.case.agency,
            details=service_details(ctx.case, ctx.payload, at=moment.act_at, reasoning=moment.reasoning),
            trigger=t.trigger, event_seq=event_seq, actor_id=ctx.actor.id,
            actor_name=ctx.actor.full_name, at=ctx.at,
        )
    return issued


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.replace("，", "、").replace(",", "、").split("、")
    return [str(v).strip() for v in value or () if str(v).strip()]


def service_details(case: Case, payload: dict[str, Any], *, at: datetime,
                    reasoning: str = "") -> ServiceDetails:
    """The 送达 as the step's input gives it; by default handed to the party (直接送达) at its
    address by the case's officers at the time of the step."""
    principal = next((cp.party for cp in case.parties if cp.role is PartyRole.principal), None)

    def text(key: str, default: str | None = None) -> str | None:
        value = payload.get(key)
        return str(value).strip() if value not in (None, "") else default

    return ServiceDetails(
        method=text("method", "直接送达") or "直接送达", served_at=at,
        recipient=text("recipient", principal.name if principal else "") or "",
        place=text("service_place", principal.address if principal else "") or "",
        server_names=_names(payload.get("server_names"))
        or [o.user.full_name for o in case.active_officers()],
        receiver=text("receiver"), witness=text("witness"), refusal_reason=text("refusal_reason"),
        note=text("service_note"), effect=reasoning or None,
    )


def reissue_changed_decision(ctx: StepContext, event_seq: int, proceeding: Any) -> Document:
    """After a 复议决定 or 判决 that 变更 the decision: the 决定书 (or 行政处理决定书) as changed, a new
    version of the same 文号 (the old one kept), built from the case's decided penalties, in the step's
    transaction."""
    old = latest_document(db_session=ctx.db_session, case_id=ctx.case.id,
                          doc_types=("penalty_decision", "recovery_decision"))
    if old is None:
        raise refuse("decision_to_change_issued", library=ctx.library)
    data = build_data(db_session=ctx.db_session, case=ctx.case, doc_type=old.doc_type,
                      step=_facts(ctx), library=ctx.library, calendar=ctx.calendar,
                      settings=ctx.agency_settings())
    reason = (f"{proceeding.kind.label}（{proceeding.body}{'，' + proceeding.ref_no if proceeding.ref_no else ''}）"
              f"于{proceeding.decided_on:%Y年%m月%d日}变更原{old.title.removesuffix('书')}")
    return issue_document(
        db_session=ctx.db_session, case_id=ctx.case.id, agency=ctx.case.agency, doc_type=old.doc_type,
        data=data, trigger=ctx.transition.trigger if ctx.transition else "record_remedy_outcome",
        event_seq=event_seq, at=ctx.at, actor_id=ctx.actor.id, actor_name=ctx.actor.full_name,
        supersedes=old, reason=reason,
    )
