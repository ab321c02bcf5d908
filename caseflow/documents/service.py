"""Issued documents: numbering and storing them in the issuing transaction, rendering their PDFs
afterwards exactly once, reading them back, and recording their service (送达).

Issuing (`issue_document`) checks the required fields, takes the next 文号 of the agency's
sequence for the type and year (gap-free, `caseflow.numbering`) and stores the row with its data —
all inside the caller's transaction, so a refused or failed step leaves neither a row nor a used
number. Rendering takes 0.2–0.5 s, too long to hold a write transaction open, so it happens after
commit (`render_pending`): one guarded UPDATE (`… WHERE status = 'pending'`) stores the PDF and its
SHA-256, so two renderers racing on one document store it once. Rendering is deterministic: the
same data gives the same bytes, which `verify` uses to prove a stored PDF matches its data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session, selectinload

from caseflow.db.base import utcnow
from caseflow.db.memo import is_read_only, read_once
from caseflow.db.session import unit_of_work
from caseflow.documents import snapshot
from caseflow.documents.fields import require_fields
from caseflow.documents.models import Delivery, Document, DocumentStatus
from caseflow.documents.types import SERVICE_METHODS, get_doc_type
from caseflow.errors import InvalidInput, NotFound
from caseflow.legal_time import SHANGHAI
from caseflow.numbering.service import format_doc_number, next_number
from caseflow.org.models import Agency
from caseflow.org.settings import read_settings

__all__ = [
    "ServiceDetails", "document_no_prefix", "documents_of", "documents_of_types", "get_document", "issue_document",
    "latest_document", "pdf_of", "record_delivery", "render_document", "render_pending", "verify",
]

PENDING_PLACEHOLDER = "（待编号）"


def document_no_prefix(db_session: Session, agency: Agency) -> str:
    """机关代字 of the agency's 文号: its settings' doc_prefix, else its short name (read afresh:
    a long-lived session may hold the agency from before a settings change)."""
    raw = db_session.scalar(select(Agency.settings).where(Agency.id == agency.id))
    return read_settings(raw).doc_prefix or agency.short_name


def _next_series(db_session: Session, case_id: int, doc_type: str) -> int:
    last = db_session.scalar(
        select(func.max(Document.series)).where(Document.case_id == case_id, Document.doc_type == doc_type)
    )
    return int(last or 0) + 1


def issue_document(
    *, db_session: Session, case_id: int, agency: Agency, doc_type: str, data: Mapping[str, Any],
    trigger: str, event_seq: int, at: datetime, actor_id: int | None, actor_name: str,
    supersedes: Document | None = None, reason: str | None = None,
) -> Document:
    """Check, number and store one document in the caller's transaction (PDF rendered later).

    A new document takes the next 文号 of its type; a new version (`supersedes`) keeps its 文号.
    Raises InvalidInput (DOCUMENT_FIELDS_MISSING / _INVALID) naming what is missing, before any
    number is taken.
    """
    dtype = get_doc_type(doc_type)
    data = dict(data)
    if dtype.number_code:
        data["doc_no"] = supersedes.doc_no if supersedes else PENDING_PLACEHOLDER
    require_fields(dtype, data)
    if dtype.number_code and supersedes is None:
        year = at.astimezone(SHANGHAI).year
        n = next_number(db_session=db_session, agency_id=agency.id, kind=f"doc:{dtype.number_code}", year=year)
        data["doc_no"] = format_doc_number(f"{document_no_prefix(db_session, agency)}{dtype.number_code}", year, n)
    doc = Document(
        case_id=case_id, agency_id=agency.id, doc_type=doc_type, title=dtype.title,
        series=supersedes.series if supersedes else _next_series(db_session, case_id, doc_type),
        version=supersedes.version + 1 if supersedes else 1,
        supersedes_id=supersedes.id if supersedes else None, doc_no=data.get("doc_no"),
        data=snapshot.encode(data), trigger=trigger, event_seq=event_seq, reason=reason,
        issued_at=at, issued_by_id=actor_id, issued_by_name=actor_name, status=DocumentStatus.pending,
    )
    db_session.add(doc)
    db_session.flush()
    return doc


def documents_of(*, db_session: Session, case_id: int) -> list[Document]:
    """Every document of the case, every version, in the order they were issued, with their
    deliveries (read once per read-only unit of work: the case page's panels each need them)."""
    stmt = (select(Document).where(Document.case_id == case_id)
            .options(selectinload(Document.deliveries)).order_by(Document.id))
    return list(read_once(db_session, ("documents", case_id), lambda: tuple(db_session.scalars(stmt))))


def documents_of_types(*, db_session: Session, case_id: int, doc_types: Collection[str]) -> list[Document]:
    """The case's documents of `doc_types`, every version, oldest first."""
    if is_read_only(db_session):
        return [d for d in documents_of(db_session=db_session, case_id=case_id) if d.doc_type in doc_types]
    return list(db_session.scalars(select(Document).where(Document.case_id == case_id,
                                                          Document.doc_type.in_(doc_types))
                                   .order_by(Document.id)))


def latest_document(*, db_session: Session, case_id: int, doc_types: Collection[str]) -> Document | None:
    """The newest version of the case's most recent document of one of `doc_types`."""
    if is_read_only(db_session):
        return next((d for d in reversed(documents_of(db_session=db_session, case_id=case_id))
                     if d.doc_type in doc_types), None)
    return db_session.scalar(
        select(Document).where(Document.case_id == case_id, Document.doc_type.in_(doc_types))
        .order_by(Document.id.desc()).limit(1)
    )


def find_document(*, db_session: Session, case_id: int, case_no: str, doc_type: str,
                  series: int | None = None, version: int | None = None) -> int:
    """The id of a case's document of this type: the newest, or the series/version asked for."""
    dtype = get_doc_type(doc_type)
    stmt = select(Document.id).where(Document.case_id == case_id, Document.doc_type == doc_type)
    if series is not None:
        stmt = stmt.where(Document.series == series)
    if version is not None:
        stmt = stmt.where(Document.version == version)
    doc_id = db_session.scalar(stmt.order_by(Document.id.desc()).limit(1))
    if doc_id is None:
        raise NotFound(f"案件{case_no}尚未制作《{dtype.title}》。", code="DOCUMENT_NOT_ISSUED")
    return doc_id


def get_document(*, db_session: Session, document_id: int, agency_id: int | None = None) -> Document:
    doc = db_session.get(Document, document_id)
    if doc is None or (agency_id is not None and doc.agency_id != agency_id):
        raise NotFound(f"未找到文书（编号{document_id}）。", code="DOCUMENT_NOT_FOUND")
    return doc


def render_document(doc: Document) -> bytes:
    """The PDF of a document from its stored data (the same bytes every time)."""
    from caseflow.documents.renderer import render_pdf  # WeasyPrint: loaded only when rendering

    return render_pdf(doc.doc_type, snapshot.decode(doc.data))


def _store_pdf(db_session: Session, doc_id: int, pdf: bytes) -> bool:
    """Fill in the PDF once; False if another renderer stored it first."""
    result = db_session.execute(
        update(Document)
        .where(Document.id == doc_id, Document.status == DocumentStatus.pending)
        .values(status=DocumentStatus.rendered, pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(),
                size=len(pdf), rendered_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def render_pending(engine: Engine, *, case_id: int | None = None, limit: int = 50) -> int:
    """Render and store the PDFs of pending documents (of one case, or the oldest `limit`).

    Each document is read in a short read transaction, rendered outside any transaction and
    stored with one guarded UPDATE, so a crash in between only leaves it pending for the next
    run. Returns how many this call stored.
    """
    with unit_of_work(engine, write=False) as s:
        stmt = select(Document.id).where(Document.status == DocumentStatus.pending)
        if case_id is not None:
            stmt = stmt.where(Document.case_id == case_id)
        ids = list(s.scalars(stmt.order_by(Document.id).limit(limit)))
    stored = 0
    for doc_id in ids:
        with unit_of_work(engine, write=False) as s:
            doc = s.get(Document, doc_id)
            if doc is None or doc.status is not DocumentStatus.pending:
                continue
            pdf = render_document(doc)
        with unit_of_work(engine) as s:
            stored += _store_pdf(s, doc_id, pdf)
    return stored


def pdf_of(engine: Engine, *, document_id: int, agency_id: int | None = None) -> tuple[Document, bytes]:
    """The stored PDF of a document, rendering (and storing) it first if it is still pending."""
    with unit_of_work(engine, write=False) as s:
        doc = get_document(db_session=s, document_id=document_id, agency_id=agency_id)
        pdf = doc.pdf
        s.expunge(doc)
    if pdf is None:
        pdf = render_document(doc)
        with unit_of_work(engine) as s:
            if not _store_pdf(s, document_id, pdf):  # stored meanwhile by someone else: theirs counts
                pdf = s.scalar(select(Document.pdf).where(Document.id == document_id))
        with unit_of_work(engine, write=False) as s:
            doc = get_document(db_session=s, document_id=document_id)
            s.expunge(doc)
    assert pdf is not None
    return doc, pdf


@dataclass(frozen=True)
class Verification:
    ok: bool
    stored_sha256: str | None
    rendered_sha256: str


def verify(doc: Document) -> Verification:
    """Render the document again from its stored data and compare with the stored PDF's SHA-256."""
    digest = hashlib.sha256(render_document(doc)).hexdigest()
    return Verification(doc.sha256 == digest, doc.sha256, digest)


# ── 送达 ────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class ServiceDetails:
    method: str
    served_at: datetime
    recipient: str
    place: str
    server_names: list[str]
    receiver: str | None = None
    witness: str | None = None
    refusal_reason: str | None = None
    note: str | None = None
    effect: str | None = None  # when it counts as served, by which article (邮寄, 公告送达)

    @property
    def recorded_note(self) -> str | None:
        """The note as stored and printed on the 送达回证: the server's words, then the effect."""
        return "；".join(n for n in (self.note, self.effect) if n) or None

    def check(self) -> None:
        errors: dict[str, str] = {}
        if self.method not in SERVICE_METHODS:
            errors["method"] = f"送达方式须为：{'、'.join(SERVICE_METHODS)}"
        if not self.recipient.strip():
            errors["recipient"] = "须填写受送达人"
        if not self.place.strip():
            errors["place"] = "须填写送达地点"
        if not [n for n in self.server_names if n.strip()]:
            errors["server_names"] = "须填写送达人"
        if self.method == "留置送达":
            # 民事诉讼法 第八十九条 (行政处罚法 第六十一条 applies it): witnesses, reason, date.
            if not (self.witness or "").strip():
                errors["witness"] = "留置送达须有见证人"
            if not (self.refusal_reason or "").strip():
                errors["refusal_reason"] = "留置送达须记明拒收事由"
        if self.method == "公告送达" and not (self.note or "").strip():
            # 民事诉讼法 第九十五条: only when the recipient cannot be found or other ways failed.
            errors["note"] = "公告送达须说明受送达人下落不明或者以其他方式无法送达的情况"
        if errors:
            raise InvalidInput("送达信息有误：" + "；".join(errors.values()) + "。",
                               code="SERVICE_DETAILS_INVALID", details=errors)


def record_delivery(
    *, db_session: Session, doc: Document, agency: Agency, details: ServiceDetails, trigger: str,
    event_seq: int, actor_id: int | None, actor_name: str, at: datetime,
) -> Delivery:
    """Record one service of `doc` and issue its 送达回证, in the caller's transaction."""
    details.check()
    receipt = issue_document(
        db_session=db_session, case_id=doc.case_id, agency=agency, doc_type="service_receipt",
        data={"agency": {"name": agency.name,
                         "documents": read_settings(agency.settings).documents.model_dump(mode="json")},
              "case": snapshot.decode(doc.data).get("case", {}),
              "service": {
                  "served_doc_title": doc.title, "served_doc_no": doc.doc_no, "recipient": details.recipient,
                  "place": details.place, "method": details.method, "served_at": details.served_at,
                  "receiver": details.receiver, "server_names": details.server_names,
                  "witness": details.witness, "refusal_reason": details.refusal_reason,
                  "note": details.recorded_note,
              }},
        trigger=trigger, event_seq=event_seq, at=at, actor_id=actor_id, actor_name=actor_name,
    )
    delivery = Delivery(
        document_id=doc.id, case_id=doc.case_id, method=details.method, served_at=details.served_at,
        recipient=details.recipient, receiver=details.receiver, place=details.place,
        server_names=details.server_names, witness=details.witness, refusal_reason=details.refusal_reason,
        note=details.recorded_note, receipt_id=receipt.id, trigger=trigger, event_seq=event_seq,
        recorded_by_name=actor_name,
    )
    db_session.add(delivery)
    db_session.flush()
    return delivery
