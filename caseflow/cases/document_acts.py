"""Acts on issued documents outside a step: 再次送达 (another service, with its 送达回证) and 更正 (a
new version of the same 文号). Each is checked by the rules of workflows/rules/<set>/guards.yaml, by
the post that served or issued the document (or the 局负责人), and is an event of the case's audit
trail in the caller's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.cases.act_times import check_in_order, service_moment
from caseflow.cases.audit import append_event
from caseflow.cases.corrections import corrected
from caseflow.cases.document_steps import service_details
from caseflow.cases.lookup import get_case, procedure_of
from caseflow.cases.models import Case
from caseflow.cases.posts import post_label, required_post
from caseflow.cases.rules import refuse
from caseflow.db.base import utcnow
from caseflow.documents import snapshot
from caseflow.documents.models import Delivery, Document
from caseflow.documents.service import issue_document, latest_document, record_delivery
from caseflow.errors import InvalidInput, NotFound
from caseflow.holidays.service import calendar_for
from caseflow.org.service import describe_posts, holds_post, load_actor
from caseflow.workflow.definition import TransitionDef
from caseflow.workflow.input_values import validate_payload
from caseflow.workflow.registry import get_library

__all__ = ["deliver_document", "reissue_document"]


def _require_post(actor: Any, case: Case, steps: list[TransitionDef], what: str) -> None:
    """The actor holds the post of one of `steps` on this case, or is the 局负责人."""
    if holds_post(actor, "局负责人", None):
        return
    posts = list(dict.fromkeys(required_post(case, t) for t in steps))
    if any(holds_post(actor, post, section) for post, section in posts):
        return
    who = "、".join(post_label(p, s) for p, s in posts)
    raise refuse("actor_holds_post", step=what, required=f"{who + '或' if who else ''}局负责人",
                 held="、".join(describe_posts(actor)) or "无")


def _agency_document(db_session: Session, document_id: int, agency_id: int) -> Document:
    """The document, if it belongs to the agency (another agency's is as missing as none)."""
    doc = db_session.get(Document, document_id)
    if doc is None or doc.agency_id != agency_id:
        raise NotFound(f"未找到文书（编号{document_id}）。", code="DOCUMENT_NOT_FOUND")
    return doc


def _refuse_superseded(db_session: Session, doc: Document, *, then: str) -> None:
    """Only the current version of a corrected document (更正) is served or corrected again."""
    newest = latest_document(db_session=db_session, case_id=doc.case_id, doc_types=(doc.doc_type,))
    if newest is not None and newest.series == doc.series and newest.id != doc.id:
        raise refuse("document_is_current", title=doc.title, version=newest.version, then=then)


def deliver_document(
    *, db_session: Session, document_id: int, actor_id: int, payload: dict[str, Any],
    at: datetime | None = None,
) -> Any:
    """Record another service of an issued document (a corrected version, 公告送达 after the party
    could not be found…) with its 送达回证, by the post that serves that document or the 局负责人;
    an event in the case's audit trail."""
    at = at or utcnow()
    actor = load_actor(db_session=db_session, user_id=actor_id)
    doc = _agency_document(db_session, document_id, actor.agency_id)
    if doc.doc_type == "service_receipt":
        raise InvalidInput("送达回证本身不需送达。", details={"document_id": "请选择被送达的文书"})
    _refuse_superseded(db_session, doc, then="送达最新版本")
    case = get_case(db_session=db_session, case_no=str(doc.case_id))
    if case.archived_at is not None:
        raise refuse("case_not_archived", case_no=case.case_no, what="不能再登记送达")
    library = get_library()
    proc = procedure_of(case, library)
    payload = validate_payload(library.for_procedure(proc).rules.input_group("service"), payload)
    serving = [t for t in proc.transitions if doc.doc_type in t.serves]
    _require_post(actor, case, serving, f"送达《{doc.title}》")
    first = db_session.scalar(select(Delivery.id).join(Document, Document.id == Delivery.document_id).where(
        Document.case_id == doc.case_id, Document.doc_type == doc.doc_type, Document.series == doc.series,
    ).limit(1))
    if first is None:  # the first service is the step's: it moves the case on and starts its limits
        steps = "、".join(dict.fromkeys(f"「{t.name}」" for t in serving)) or "相应步骤"
        raise refuse("first_service_by_step", title=doc.title, steps=steps)
    moment = service_moment(payload, default_at=at, calendar=calendar_for(db_session=db_session))
    key = {"邮寄送达": "signed_at", "公告送达": "published_at"}.get(moment.method, "served_at")
    check_in_order(moment.act_at, key, after=doc.issued_at, after_what=f"《{doc.title}》出具", now=at)
    seq = case.last_event_seq + 1
    delivery = record_delivery(
        db_session=db_session, doc=doc, agency=case.agency,
        details=service_details(case, payload, at=moment.act_at, reasoning=moment.reasoning),
        trigger="deliver_document", event_seq=seq, actor_id=actor.id, actor_name=actor.full_name, at=at,
    )
    append_event(
        db_session=db_session, case=case, actor=actor, trigger="deliver_document",
        trigger_name=f"送达{doc.title}", from_state=case.state, to_state=case.state, at=at,
        payload={"document": doc.doc_type, "doc_no": doc.doc_no, "version": doc.version,
                 "method": delivery.method, "recipient": delivery.recipient, "service": moment.audit()},
    )
    return delivery


def reissue_document(
    *, db_session: Session, document_id: int, actor_id: int, reason: str,
    corrections: dict[str, Any] | None = None, at: datetime | None = None,
) -> Document:
    """更正: issue a new version of a document with the same 文号, keeping the old one.

    The new version's data is the old one's with `corrections` applied (same shape as the data,
    e.g. {"facts": "…"}; only the wording may change: `cases.corrections`). Only the post that
    issued the document or the 局负责人 may do it, with a reason; it is an event in the case's
    audit trail.
    """
    at = at or utcnow()
    if not reason.strip():
        raise InvalidInput("请填写更正理由。", details={"reason": "不能为空"})
    actor = load_actor(db_session=db_session, user_id=actor_id)
    old = _agency_document(db_session, document_id, actor.agency_id)
    _refuse_superseded(db_session, old, then="在最新版本上更正")
    case = get_case(db_session=db_session, case_no=str(old.case_id))
    if case.archived_at is not None:
        raise refuse("case_not_archived", case_no=case.case_no, what="文书不得更改")
    first = db_session.scalar(select(Document.trigger).where(  # the step that issued version 1
        Document.case_id == old.case_id, Document.doc_type == old.doc_type,
        Document.series == old.series, Document.version == 1))
    proc = procedure_of(case)
    _require_post(actor, case, [t for t in proc.transitions if t.trigger == first], f"更正《{old.title}》")
    data = corrected(snapshot.decode(old.data), corrections or {})
    data.pop("doc_no", None)
    doc = issue_document(
        db_session=db_session, case_id=case.id, agency=case.agency, doc_type=old.doc_type, data=data,
        trigger="reissue_document", event_seq=case.last_event_seq + 1, at=at, actor_id=actor.id,
        actor_name=actor.full_name, supersedes=old, reason=reason.strip(),
    )
    append_event(
        db_session=db_session, case=case, actor=actor, trigger="reissue_document",
        trigger_name=f"更正{old.title}", from_state=case.state, to_state=case.state, at=at,
        opinion=reason.strip(),
        payload={"document": old.doc_type, "doc_no": old.doc_no, "version": doc.version,
                 "corrected": sorted(corrections or {})},
    )
    return doc
