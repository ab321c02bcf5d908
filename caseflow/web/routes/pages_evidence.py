"""The case page's 证据材料 forms (POST, then back to the page at #evidence): 登记证据 with its files,
上传文件 to an item, 撤回 an item or a file; an evidence file's download; the 案卷 PDF (or its 预览).

The upload forms are multipart, parsed once the viewer is known (`api_evidence.upload_form`: files
spooled to temporary files); the routes are plain `def`, so the service runs in the threadpool, in
one unit of work — a refused file leaves nothing. A plain form POST is answered with a redirect to
the page, or the page again with the refusal in place; the page's script (static/evidence.js)
posts the same form with `Accept: application/json` to show the upload's progress, and gets JSON:
{"location"} to go to, or the refusal ({code, message, details}) with its status.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from caseflow.cases.evidence_acts import add_evidence, attach_files, withdraw_evidence
from caseflow.db.session import unit_of_work
from caseflow.errors import CaseflowError, InvalidInput, NotFound
from caseflow.web.deps import CsrfDep, EngineDep, Viewer, ViewerDep
from caseflow.web.errors import body_of, status_of
from caseflow.web.params import RowId
from caseflow.web.routes.api_evidence import (
    UPLOAD,
    Seq,
    UploadForm,
    Volume,
    casefile_pdf,
    file_download,
    text_field,
    uploads_of,
)
from caseflow.web.routes.pages_case import case_url, render
from caseflow.web.step_forms import payload_from_form

router = APIRouter()

ANCHOR = "#evidence"
NOT_ITEM_INPUTS = frozenset({"description", "files"})  # the upload's, not the item's


def _values(form: FormData) -> dict[str, str]:
    """What was typed, to show again beside a refusal (never the files, never the token)."""
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


def answer_act(request: Request, engine: Any, viewer: Viewer, case_no: str, form: FormData, *, failed: str,
               run: Callable[[Session], str], anchor: str = ANCHOR,
               for_script: Callable[[dict[str, Any]], dict[str, Any]] = lambda body: body) -> Response:
    """Run a case-page act (`run` returns its audit trigger) in one unit of work; back to the page at
    `anchor`, or the page again with the refusal. JSON for the page's script (`for_script` shapes a
    refusal for it)."""
    as_json = "application/json" in request.headers.get("accept", "")
    try:
        with unit_of_work(engine) as s:
            trigger = run(s)
    except CaseflowError as exc:
        if as_json:
            return JSONResponse(for_script(body_of(exc)), status_code=status_of(exc))
        if isinstance(exc, NotFound):
            raise
        return render(request, engine, viewer, case_no, status=status_of(exc), error=body_of(exc),
                      failed=failed, values=_values(form))
    location = case_url(case_no, done=trigger) + anchor
    if as_json:
        return JSONResponse({"location": location})
    return RedirectResponse(location, status_code=303)


@router.post("/cases/{case_no}/evidence", dependencies=[UPLOAD, CsrfDep])
def register_evidence(request: Request, case_no: str, form: UploadForm, viewer: ViewerDep,
                      engine: EngineDep) -> Response:
    """登记证据 (the inputs of `evidence_item`) with the files chosen, from the 证据材料 section."""
    item = FormData([(k, v) for k, v in form.multi_items() if k not in NOT_ITEM_INPUTS])

    def run(s: Session) -> str:
        add_evidence(db_session=s, case_no=case_no, actor_id=viewer.id, payload=payload_from_form(item),
                     uploads=uploads_of(form))
        return "add_evidence"

    return answer_act(request, engine, viewer, case_no, form, failed="evidence:add", run=run)


@router.post("/cases/{case_no}/evidence/{seq}/files", dependencies=[UPLOAD, CsrfDep])
def upload_files(request: Request, case_no: str, seq: Seq, form: UploadForm, viewer: ViewerDep,
                 engine: EngineDep) -> Response:
    """上传文件 to item `seq`."""
    def run(s: Session) -> str:
        attach_files(db_session=s, case_no=case_no, seq=seq, actor_id=viewer.id, uploads=uploads_of(form))
        return "upload_evidence_file"

    return answer_act(request, engine, viewer, case_no, form, failed=f"evidence:files:{seq}", run=run)


@router.post("/cases/{case_no}/evidence/{seq}/withdraw", dependencies=[UPLOAD, CsrfDep])
def withdraw(request: Request, case_no: str, seq: Seq, form: UploadForm, viewer: ViewerDep,
             engine: EngineDep) -> Response:
    """撤回 item `seq`, or (`file_id`) one of its files, with the reason."""
    raw = text_field(form, "file_id")
    failed = f"evidence:withdraw:{seq}" + (f":{raw}" if raw else "")

    def run(s: Session) -> str:
        if raw is not None and not (raw.isdigit() and 0 < int(raw) < 2**31):
            raise InvalidInput("要撤回的文件不正确。", details={"file_id": "须为文件编号"})
        withdraw_evidence(db_session=s, case_no=case_no, seq=seq, actor_id=viewer.id,
                          reason=text_field(form, "reason"), file_id=int(raw) if raw else None)
        return "withdraw_evidence"

    return answer_act(request, engine, viewer, case_no, form, failed=failed, run=run)


@router.get("/evidence-files/{file_id}")
def evidence_file(file_id: RowId, viewer: ViewerDep, engine: EngineDep) -> StreamingResponse:
    """Download an evidence file (a case of the viewer's agency; another's is 404)."""
    return file_download(engine, viewer, file_id)


@router.get("/cases/{case_no}/casefile.pdf")
def casefile(case_no: str, viewer: ViewerDep, engine: EngineDep, volume: Volume | None = None,
             preview: bool = False, download: bool = Query(False)) -> Response:
    """The 案卷: 预览 (any state, shown in the browser) or the archived volumes (downloaded).
    Plain `def`: binding takes seconds and runs in the threadpool."""
    return casefile_pdf(engine, viewer, case_no, volume=volume, preview=preview, download=download)
