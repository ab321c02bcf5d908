"""`/api/cases/{case_no}/documents` and `/api/documents/{id}`: a case's 执法文书 (every version, with
their service), one document's metadata and PDF, a correction (更正) as a new version, and another
service (送达) of a document with its 送达回证.

The PDF, reissue and delivery routes are plain `def`: FastAPI runs them in its threadpool, so
rendering a pending PDF (0.2–0.5 s, CPU-bound WeasyPrint) never blocks the event loop. After a
correction or a delivery the case's pending PDFs are rendered by a background task, once the
response has been sent.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, BackgroundTasks, Query
from fastapi.responses import Response

from caseflow.cases import service as case_service
from caseflow.cases.document_acts import deliver_document, reissue_document
from caseflow.cases.presenters import local
from caseflow.db.session import unit_of_work
from caseflow.documents.service import documents_of, get_document, pdf_of
from caseflow.web.deps import CsrfDep, EngineDep, ViewerDep
from caseflow.web.documents import (
    document_detail,
    document_rows,
    download_headers,
    pdf_url,
    render_after_response,
)
from caseflow.web.schemas import DeliveryCreatedOut, DeliveryIn, DocumentOut, ReissueIn
from caseflow.web.params import RowId

router = APIRouter(tags=["执法文书"])

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "案件或文书不存在，或不属于本机关"},
    409: {"description": "规则拒绝（code 为规则代码，如 POST_REQUIRED、DOCUMENT_SUPERSEDED、CASE_ARCHIVED）"},
    422: {"description": "填写有误（details 逐项说明）"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: ERRORS[404]}


@router.get("/cases/{case_no}/documents", response_model=list[DocumentOut], responses=NOT_FOUND)
def case_documents(case_no: str, viewer: ViewerDep, engine: EngineDep) -> list[dict[str, Any]]:
    """案件的全部文书（含历次更正版本，按出具先后）、送达记录及 PDF 下载地址。"""
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=case_no, agency_id=viewer.agency_id)
        return document_rows(documents_of(db_session=s, case_id=case.id))


@router.get("/documents/{document_id}", response_model=DocumentOut, responses=NOT_FOUND)
def document(document_id: RowId, viewer: ViewerDep, engine: EngineDep) -> dict[str, Any]:
    """一份文书的信息：文号、版本、出具、PDF 的 SHA-256、送达记录。"""
    with unit_of_work(engine, write=False) as s:
        doc = get_document(db_session=s, document_id=document_id, agency_id=viewer.agency_id)
        return document_detail(s, doc)


@router.get("/documents/{document_id}/pdf", response_class=Response, responses={
    200: {"content": {"application/pdf": {}}, "description": "文书 PDF（X-Content-SHA256 为其 SHA-256）"},
    **NOT_FOUND})
def document_pdf(document_id: RowId, viewer: ViewerDep, engine: EngineDep,
                 download: bool = Query(False, description="true：作为附件下载；默认在浏览器中查看")) -> Response:
    """文书的 PDF（尚未生成的当即生成并存档）。"""
    # Plain `def`: runs in the threadpool, so an on-demand render does not block the event loop.
    doc, pdf = pdf_of(engine, document_id=document_id, agency_id=viewer.agency_id)
    return Response(pdf, media_type="application/pdf", headers=download_headers(doc, pdf, attachment=download))


@router.post("/documents/{document_id}/reissue", status_code=201, response_model=DocumentOut,
             dependencies=[CsrfDep], responses=ERRORS)
def reissue(document_id: RowId, body: ReissueIn, viewer: ViewerDep, engine: EngineDep,
            background: BackgroundTasks) -> dict[str, Any]:
    """更正文书：以原文号出具新版本（原版本保留），办理人记为登录用户；须由出具该文书的岗位或局负责人办理。"""
    with unit_of_work(engine) as s:
        doc = reissue_document(db_session=s, document_id=document_id, actor_id=viewer.id,
                               reason=body.reason, corrections=body.corrections)
        row = document_detail(s, doc)
        case_id = doc.case_id
    render_after_response(background, engine, case_id)
    return row


@router.post("/documents/{document_id}/deliveries", status_code=201, response_model=DeliveryCreatedOut,
             dependencies=[CsrfDep], responses=ERRORS)
def deliver(document_id: RowId, body: DeliveryIn, viewer: ViewerDep, engine: EngineDep,
            background: BackgroundTasks) -> dict[str, Any]:
    """再次送达一份文书（如更正后的新版本、公告送达），出具送达回证；办理人记为登录用户，须由送达该文书的
    岗位或局负责人办理。留置送达须有见证人和拒收事由，公告送达须说明无法以其他方式送达的情况。"""
    with unit_of_work(engine) as s:
        d = deliver_document(db_session=s, document_id=document_id, actor_id=viewer.id,
                             payload=body.payload())
        doc = d.document
        row = {"id": d.id, "document_id": doc.id, "title": doc.title, "doc_no": doc.doc_no,
               "case_no": case_service.get_case(db_session=s, case_no=str(d.case_id)).case_no,
               "method": d.method, "served_at": local(d.served_at), "recipient": d.recipient,
               "receipt_id": d.receipt_id,
               "receipt_pdf_url": pdf_url(d.receipt_id) if d.receipt_id is not None else None}
        case_id = d.case_id
    render_after_response(background, engine, case_id)
    return row
