"""How the web shows a case's 执法文书: the presenter's rows plus download links and which version
corrects which, the documents a step issued, the PDF's download headers, and rendering the
pending PDFs after a step without making anyone wait for it."""

from __future__ import annotations

import hashlib
import logging
from typing import Any
from urllib.parse import quote

from fastapi import BackgroundTasks
from fastapi.responses import Response
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from caseflow.cases.models import Case
from caseflow.documents.models import Delivery, Document
from caseflow.documents.presenters import document_row
from caseflow.documents.service import render_pending

log = logging.getLogger("caseflow.web")


def pdf_url(document_id: int) -> str:
    return f"/api/documents/{document_id}/pdf"


def _row(doc: Document, later: Document | None) -> dict[str, Any]:
    row = document_row(doc)
    row["pdf_url"] = pdf_url(doc.id)
    for delivery in row["deliveries"]:
        rid = delivery["receipt_id"]
        delivery["receipt_pdf_url"] = pdf_url(rid) if rid is not None else None
    row["superseded_by"] = {"id": later.id, "version": later.version} if later else None
    return row


def document_rows(docs: list[Document]) -> list[dict[str, Any]]:
    """The rows of a case's documents (all versions, issue order), each with its PDF link, the
    version that corrected it (`superseded_by`, None for the current one) and, for a 送达回证,
    the document whose service it records (`receipt_of`)."""
    newer = {d.supersedes_id: d for d in docs if d.supersedes_id is not None}
    receipt_of = {dl.receipt_id: d for d in docs for dl in d.deliveries if dl.receipt_id is not None}
    rows = []
    for d in docs:
        row = _row(d, newer.get(d.id))
        served = receipt_of.get(d.id)
        row["receipt_of"] = ({"id": served.id, "title": served.title, "doc_no": served.doc_no}
                             if served else None)
        rows.append(row)
    return rows


def document_detail(db_session: Session, doc: Document) -> dict[str, Any]:
    """One document's row, with its case's 案号 and the version that corrected it, if any."""
    later = db_session.scalar(select(Document).where(Document.supersedes_id == doc.id))
    row = _row(doc, later)
    served = db_session.scalar(select(Document).join(Delivery, Delivery.document_id == Document.id)
                               .where(Delivery.receipt_id == doc.id))
    row["receipt_of"] = ({"id": served.id, "title": served.title, "doc_no": served.doc_no}
                         if served else None)
    row["case_no"] = db_session.scalar(select(Case.case_no).where(Case.id == doc.case_id))
    return row


def issued_by_step(db_session: Session, *, case_id: int, event_seq: int) -> list[dict[str, Any]]:
    """The documents the case's step (audit event `event_seq`) issued, 送达回证 included."""
    docs = db_session.scalars(select(Document).where(Document.case_id == case_id,
                                                     Document.event_seq == event_seq)
                              .order_by(Document.id))
    return [{"id": d.id, "title": d.title, "doc_no": d.doc_no, "version": d.version,
             "status": d.status.value, "status_name": d.status.label, "pdf_url": pdf_url(d.id)}
            for d in docs]


def download_headers(doc: Document, pdf: bytes, *, attachment: bool = False) -> dict[str, str]:
    """`inline` (查看: the browser shows it) or `attachment` (下载: saved) under the document's name and
    文号; and its SHA-256."""
    version = f"第{doc.version}版" if doc.version > 1 else ""
    name = quote(f"{doc.title}{doc.doc_no or ''}{version}.pdf", safe="")
    return {"Content-Disposition": f"{'attachment' if attachment else 'inline'}; filename*=UTF-8''{name}",
            "X-Content-SHA256": doc.sha256 or hashlib.sha256(pdf).hexdigest(),
            "Cache-Control": "private, no-cache"}


def draft_pdf(drafts: list[Any]) -> Response:
    """The drafts of a step as one PDF shown inline (printable), named after them, never cached."""
    from caseflow.documents.renderer import render_pdf_many  # WeasyPrint: loaded only when rendering

    pdf = render_pdf_many([(d.doc_type, d.data) for d in drafts])
    name = quote("、".join(dict.fromkeys(d.title for d in drafts)) + "（草稿）.pdf", safe="")
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f"inline; filename*=UTF-8''{name}", "Cache-Control": "no-store"})


def _render_case_pdfs(engine: Engine, case_id: int) -> None:
    try:
        render_pending(engine, case_id=case_id)
    except Exception:  # a failure leaves them pending: the download renders them on demand
        log.exception("生成案件（编号%s）的文书PDF失败", case_id)


def render_after_response(background: BackgroundTasks, engine: Engine, case_id: int) -> None:
    """Render the case's pending PDFs (0.2–0.5 s each, CPU-bound) once the response has been sent:
    Starlette runs a sync background task in its threadpool, never in the event loop."""
    background.add_task(_render_case_pdfs, engine, case_id)
