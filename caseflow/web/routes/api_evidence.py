"""`/api/cases/{case_no}/evidence` and around it: a case's 证据材料 — list, 登记 (multipart: the item as
JSON in `data`, its files in `files`), 上传 more files to an item, 撤回 an item or one file — its 案卷评查
findings, an evidence file's bytes and the case's 案卷 (PDF, or its 预览 in any state).

Uploads never sit in memory. `upload_form` parses the multipart body once the viewer is known (nobody
signed out gets a file onto the disk): Starlette spools each file part to a temporary file. The
routes are plain `def`, so the service — which sniffs, hashes and stores each file 1 MiB at a time,
in the act's one unit of work: a refused file leaves nothing — runs in the threadpool, never in the
event loop. The temporary files are closed (deleted) when the response is done. A download streams
the stored chunks; binding a 案卷 (seconds) also runs in the threadpool.

The helpers here (`upload_form`, `uploads_of`, `file_download`, `casefile_pdf`) serve the pages too.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy import Engine, select
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException

from caseflow.cases import service as case_service
from caseflow.cases.evidence_acts import MAX_FILES_PER_ACT, Upload, add_evidence, attach_files, withdraw_evidence
from caseflow.cases.evidence_listing import evidence_listing, file_review_listing
from caseflow.cases.models import Case
from caseflow.casefile.service import case_file, preview_case_file
from caseflow.db.session import unit_of_work
from caseflow.errors import InvalidInput, NotFound
from caseflow.evidence.models import EvidenceFile
from caseflow.evidence.storage import default_store
from caseflow.web.deps import CsrfDep, EngineDep, Viewer, ViewerDep
from caseflow.web.params import Reason, RequestModel, RowId, StrictId

router = APIRouter(tags=["证据材料与案卷"])

MAX_FIELDS = 100  # the 登记证据 form has a dozen
Seq = Annotated[int, Path(ge=1, le=100000, description="证据序号")]
Volume = Literal["正卷", "副卷"]

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "案件、证据或文件不存在，或不属于本机关"},
    409: {"description": "规则拒绝：EVIDENCE_CLOSED（不在调查取证阶段）、EVIDENCE_NOT_OFFICER（不是本案承办人员）、"
                         "EVIDENCE_WITHDRAWN（已撤回）"},
    413: {"description": "请求超过单个文件上限加 1 MB（REQUEST_TOO_LARGE）"},
    422: {"description": "填写有误（details 逐项说明），或文件被拒收：FILE_TYPE_NOT_ALLOWED（按内容识别的类型"
                         "不可上传）、FILE_TOO_LARGE、CASE_FILES_TOO_LARGE、FILE_EMPTY、FILE_UNREADABLE、"
                         "TOO_MANY_FILES、FILE_MISSING"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: ERRORS[404]}


# ── request and response bodies ────────────────────────────────────────────
class WithdrawIn(RequestModel):
    reason: Reason = Field(description="撤回理由（必填）")
    file_id: StrictId | None = Field(None, description="只撤回该证据的这一个文件；不填则撤回整项证据")


class WithdrawnOut(BaseModel):
    reason: str
    at: str = Field(description="撤回时间（北京时间）")
    by: str


class EvidenceFileOut(BaseModel):
    id: int
    filename: str
    type: str = Field(description="按内容识别的类型（中文）")
    mime: str
    size: int = Field(description="字节")
    size_text: str
    sha256: str
    pages: int | None = Field(description="PDF 的页数；图片为 1")
    description: str | None = Field(description="说明（打印在案卷中照片下方）")
    uploaded_at: str
    uploaded_by: str
    withdrawn: dict[str, str] | None = Field(description="已撤回时：{reason}")
    download_url: str


class EvidenceOut(BaseModel):
    seq: int = Field(description="序号")
    kind: str = Field(description="证据种类（《行政处罚法》第四十六条）")
    title: str
    source: str
    obtained_by: str
    collectors: list[str]
    collected_on: str
    pages: int | None
    proves: str | None = Field(description="证明目的")
    note: str | None
    document_id: int | None = Field(description="在系统中制作的笔录：其文书编号")
    recorded_by: str
    recorded_at: str
    relied_on: bool = Field(description="调查终结时选为据以认定事实的证据")
    withdrawn: WithdrawnOut | None
    files: list[EvidenceFileOut]


class FindingOut(BaseModel):
    code: str
    message: str
    required: bool = Field(description="true：须处理，未处理前不能批准结案")


def _multipart(*, item: bool) -> dict[str, Any]:
    """The multipart body of an upload, for /docs (the routes parse it themselves, after login)."""
    props: dict[str, Any] = {
        "files": {"type": "array", "items": {"type": "string", "format": "binary"},
                  "description": f"证据文件，0–{MAX_FILES_PER_ACT} 个（照片、扫描件 PDF、录音录像、Office 文档）；"
                                 "按文件内容识别类型"},
        "description": {"type": "string", "maxLength": 500, "description": "说明，适用于本次上传的每个文件（可选）"},
    }
    if item:
        props = {"data": {"type": "string", "description": "证据的填写项，JSON 对象：kind、title、source、"
                          "obtained_by、collectors、collected_on、pages、proves、note"
                          "（见 workflows/rules/v1/inputs.yaml 的 evidence_item）",
                          "example": json.dumps({"kind": "书证", "title": "住院病历12份", "source": "调取自某医院病案室",
                                                 "obtained_by": "复制", "collected_on": "2026-06-05",
                                                 "proves": "证明虚构诊疗项目的事实"}, ensure_ascii=False)},
                 **props}
    schema = {"type": "object", "properties": props, "required": ["data"] if item else ["files"]}
    return {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}}


# ── helpers shared with the pages ─────────────────────────────────────────
async def upload_form(request: Request, viewer: ViewerDep) -> AsyncIterator[FormData]:
    """The multipart body, files spooled to temporary files (closed when the response is done).
    Depends on the viewer so that it is parsed only for a signed-in user; listed before CsrfDep,
    which then reads the form's `csrf_token` from it."""
    try:
        form = await request.form(max_files=MAX_FILES_PER_ACT, max_fields=MAX_FIELDS)
    except HTTPException as exc:  # Starlette's refusal of the multipart body
        if "files" in str(exc.detail).lower():
            raise InvalidInput(f"一次最多上传{MAX_FILES_PER_ACT}个文件。", code="TOO_MANY_FILES",
                               details={"files": f"不能超过{MAX_FILES_PER_ACT}个"}) from None
        raise InvalidInput("上传的表单格式不正确或填写项过多、过长，请检查后重试。", details={}) from None
    try:
        yield form
    finally:
        await form.close()


UploadForm = Annotated[FormData, Depends(upload_form)]
UPLOAD = Depends(upload_form)  # first in a route's dependencies, before CsrfDep


def text_field(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value.strip() or None if isinstance(value, str) else None


def uploads_of(form: FormData) -> list[Upload]:
    """The files of the form (field `files`; a file input left empty sends a nameless empty part),
    each with the form's one `description`."""
    description = text_field(form, "description")
    return [Upload(name=f.filename or "", source=f.file, description=description)
            for f in form.getlist("files") if isinstance(f, UploadFile) and (f.filename or f.size)]


def file_download(engine: Engine, viewer: Viewer, file_id: int) -> StreamingResponse:
    """An evidence file of a case of the viewer's agency (another agency's: 404), streamed from the
    store chunk by chunk, as an attachment under its uploaded name and its stored (sniffed) type."""
    with unit_of_work(engine, write=False) as s:
        row = s.execute(select(EvidenceFile.sha256, EvidenceFile.filename, EvidenceFile.mime, EvidenceFile.size)
                        .join(Case, Case.id == EvidenceFile.case_id)
                        .where(EvidenceFile.id == file_id, Case.agency_id == viewer.agency_id)).one_or_none()
    if row is None:
        raise NotFound("未找到该证据文件。", code="EVIDENCE_FILE_NOT_FOUND")
    sha256 = row.sha256

    def body() -> Iterator[bytes]:  # a sync generator: Starlette reads it in the threadpool
        with unit_of_work(engine, write=False) as s:
            yield from default_store().chunks(s, sha256)

    return StreamingResponse(body(), media_type=row.mime, headers={
        "Content-Disposition": f"attachment; filename=\"{_ascii_name(file_id, row.filename)}\"; "
                               f"filename*=UTF-8''{quote(row.filename, safe='')}",
        "Content-Length": str(row.size), "X-Content-Type-Options": "nosniff", "X-Content-SHA256": sha256,
        "Cache-Control": "private, no-cache"})


def _ascii_name(file_id: int, filename: str) -> str:
    """The name for clients that ignore `filename*`: the file's number and its extension."""
    ext = filename.rsplit(".", 1)[1] if "." in filename else ""
    return f"evidence-{file_id}" + (f".{ext}" if ext.isascii() and ext.isalnum() and len(ext) <= 8 else "")


def casefile_pdf(engine: Engine, viewer: Viewer, case_no: str, *, volume: str | None, preview: bool,
                 download: bool) -> Response:
    """The case's 案卷 volume (the first unless `volume` names 正卷 or 副卷): as bound at 归档, or its
    预览 as it would be bound now. Binds (seconds): call it from the threadpool."""
    bind = preview_case_file if preview else case_file
    volumes = bind(engine, case_no=case_no, agency_id=viewer.agency_id)
    chosen = next((v for v in volumes if v.volume.startswith(volume or "")), None)
    if chosen is None:
        raise NotFound(f"本案案卷没有{volume}（不分正卷、副卷，或没有内部文书）。", code="CASE_FILE_VOLUME_NOT_FOUND")
    label = next((v for v in ("正卷", "副卷") if chosen.volume.startswith(v)), "")
    name = quote(f"{case_no}案卷{label}{'（预览）' if preview else ''}.pdf", safe="")
    return Response(chosen.pdf, media_type="application/pdf", headers={
        "Content-Disposition": f"{'attachment' if download else 'inline'}; filename*=UTF-8''{name}",
        "X-Content-SHA256": chosen.sha256, "Cache-Control": "no-store" if preview else "private, no-cache"})


def item_row(db_session: Any, case: Case, seq: int, *, url: str = "/api/evidence-files/") -> dict[str, Any]:
    """One item as the listing shows it, with its files' download addresses."""
    row = next(r for r in evidence_listing(db_session, case) if r["seq"] == seq)
    return _with_urls(row, url)


def _with_urls(row: dict[str, Any], url: str) -> dict[str, Any]:
    for f in row["files"]:
        f["download_url"] = f"{url}{f['id']}"
    return row


def _payload(form: FormData) -> dict[str, Any]:
    raw = form.get("data")
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidInput("请提供证据的填写项（data）。", details={"data": "必填"})
    try:
        payload = json.loads(raw)
    except ValueError:
        raise InvalidInput("data 不是合法的 JSON。", details={"data": "不是合法的 JSON"}) from None
    if not isinstance(payload, dict):
        raise InvalidInput("data 须为 JSON 对象。", details={"data": "须为对象"})
    return payload


# ── routes ───────────────────────────────────────────────────────────────
@router.get("/cases/{case_no}/evidence", response_model=list[EvidenceOut], responses=NOT_FOUND)
def evidence(case_no: str, viewer: ViewerDep, engine: EngineDep) -> list[dict[str, Any]]:
    """案件的证据材料（按序号），含文件、撤回情况和是否据以认定事实。"""
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=case_no, agency_id=viewer.agency_id)
        return [_with_urls(r, "/api/evidence-files/") for r in evidence_listing(s, case)]


@router.post("/cases/{case_no}/evidence", status_code=201, response_model=EvidenceOut,
             dependencies=[UPLOAD, CsrfDep], responses=ERRORS, openapi_extra=_multipart(item=True))
def register_evidence(case_no: str, form: UploadForm, viewer: ViewerDep, engine: EngineDep) -> dict[str, Any]:
    """登记一项证据（可同时上传其文件）：须由本案承办人员在调查取证阶段办理。文件按内容识别类型（与扩展名无关），
    被拒收的（类型、大小、无法打开）整项不登记。"""
    payload, uploads = _payload(form), uploads_of(form)
    with unit_of_work(engine) as s:
        item = add_evidence(db_session=s, case_no=case_no, actor_id=viewer.id, payload=payload, uploads=uploads)
        return item_row(s, s.get(Case, item.case_id), item.seq)


@router.post("/cases/{case_no}/evidence/{seq}/files", status_code=201, response_model=EvidenceOut,
             dependencies=[UPLOAD, CsrfDep], responses=ERRORS, openapi_extra=_multipart(item=False))
def upload_files(case_no: str, seq: Seq, form: UploadForm, viewer: ViewerDep, engine: EngineDep) -> dict[str, Any]:
    """为已登记的证据上传文件（扫描件、照片、录音录像）；有一个文件被拒收则都不上传。返回该项证据。"""
    uploads = uploads_of(form)
    with unit_of_work(engine) as s:
        files = attach_files(db_session=s, case_no=case_no, seq=seq, actor_id=viewer.id, uploads=uploads)
        return item_row(s, s.get(Case, files[0].case_id), seq)


@router.post("/cases/{case_no}/evidence/{seq}/withdraw", response_model=EvidenceOut,
             dependencies=[CsrfDep], responses=ERRORS)
def withdraw(case_no: str, seq: Seq, body: WithdrawIn, viewer: ViewerDep, engine: EngineDep) -> dict[str, Any]:
    """撤回一项证据或其中一个文件（须写明理由）：保留在案、标明撤回，不再装订入卷。"""
    with unit_of_work(engine) as s:
        w = withdraw_evidence(db_session=s, case_no=case_no, seq=seq, actor_id=viewer.id, reason=body.reason,
                              file_id=body.file_id)
        return item_row(s, s.get(Case, w.case_id), seq)


@router.get("/cases/{case_no}/file-review", response_model=list[FindingOut], responses=NOT_FOUND)
def file_review(case_no: str, viewer: ViewerDep, engine: EngineDep) -> list[dict[str, Any]]:
    """案卷评查：须处理的问题（未处理前不能批准结案）在前，其后为提示（写入备考表）。"""
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=case_no, agency_id=viewer.agency_id)
        return file_review_listing(s, case)


@router.get("/evidence-files/{file_id}", response_class=StreamingResponse, responses={
    200: {"content": {"application/octet-stream": {}}, "description": "文件原样（X-Content-SHA256 为其 SHA-256）"},
    **NOT_FOUND})
def evidence_file(file_id: RowId, viewer: ViewerDep, engine: EngineDep) -> StreamingResponse:
    """下载证据文件（原样，分块传输）。"""
    return file_download(engine, viewer, file_id)


@router.get("/cases/{case_no}/casefile.pdf", response_class=Response, responses={
    200: {"content": {"application/pdf": {}}, "description": "案卷 PDF（X-Content-SHA256 为其 SHA-256）"},
    **NOT_FOUND})
def casefile(case_no: str, viewer: ViewerDep, engine: EngineDep,
             volume: Volume | None = Query(None, description="分正卷、副卷时选择；默认第一卷"),
             preview: bool = Query(False, description="true：按现状装订的预览（任何阶段，不保存）"),
             download: bool = Query(False, description="true：作为附件下载")) -> Response:
    """案卷 PDF：已归档案件为归档时装订的案卷（CASE_FILE_NOT_BOUND：尚未归档）；preview=true 为预览。"""
    # Plain `def`: binding takes seconds and runs in the threadpool.
    return casefile_pdf(engine, viewer, case_no, volume=volume, preview=preview, download=download)
