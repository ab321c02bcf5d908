"""The case page's 违法行为 forms (POST, then back to the page at #violations): 登记违法行为 with its 违法明细
imported from an Excel or CSV file, 撤回 one with its reason; and the blank 明细 template to fill in.

The 登记 form is multipart (the `violation` inputs and the file `details_file`), parsed once the viewer
is known (`api_evidence.upload_form`); the routes are plain `def`, so the file is read and the service
runs in the threadpool, in one unit of work — a wrong row leaves nothing. A plain form POST is answered
with a redirect to the page, or the page again with the refusal in place (every wrong row of the file
listed); with `Accept: application/json` (static/evidence.js posts `data-upload` forms so) JSON:
{"location"} to go to, or the refusal ({code, message, details}) with its status.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from caseflow.cases.violation_acts import add_violation, withdraw_violation
from caseflow.web.deps import CsrfDep, EngineDep, ViewerDep
from caseflow.web.routes.api_evidence import UPLOAD, UploadForm, text_field
from caseflow.web.routes.api_violations import Seq, details_upload, imported_rows, template_response
from caseflow.web.routes.pages_evidence import answer_act
from caseflow.web.step_forms import payload_from_form

router = APIRouter()

ANCHOR = "#violations"
ROWS_WRONG = "明细文件中有错误，违法行为未登记。请在文件中改正以下各行后，重新选择文件登记："


def _for_script(body: dict[str, Any]) -> dict[str, Any]:
    """The refusal as the page's script shows it (its message, then each of `details`): wrong 明细 rows
    are listed once, under a lead, as the page without script shows them — not also in the message."""
    details = body.get("details")
    if isinstance(details, dict) and any(str(k).startswith("details[") for k in details):
        rows = {k: m for k, m in details.items() if str(k).startswith("details[")}
        return {**body, "message": ROWS_WRONG, "details": rows}
    if isinstance(details, dict) and body.get("code") == "INVALID_INPUT":
        return {**body, "details": {}}  # each field's message is in the message already
    return body


@router.post("/cases/{case_no}/violations", dependencies=[UPLOAD, CsrfDep])
def register_violation(request: Request, case_no: str, form: UploadForm, viewer: ViewerDep,
                       engine: EngineDep) -> Response:
    """登记违法行为 (the `violation` inputs; the 明细 from the file chosen) from the 违法行为 section."""
    def run(s: Session) -> str:
        rows = imported_rows(details_upload(form))  # a wrong row: refused before anything is registered
        add_violation(db_session=s, case_no=case_no, actor_id=viewer.id, payload=payload_from_form(form),
                      imported=rows)
        return "add_violation"

    return answer_act(request, engine, viewer, case_no, form, failed="violations:add", run=run, anchor=ANCHOR,
                      for_script=_for_script)


@router.post("/cases/{case_no}/violations/{seq}/withdraw", dependencies=[UPLOAD, CsrfDep])
def withdraw(request: Request, case_no: str, seq: Seq, form: UploadForm, viewer: ViewerDep,
             engine: EngineDep) -> Response:
    """撤回 violation `seq` with the reason."""
    def run(s: Session) -> str:
        withdraw_violation(db_session=s, case_no=case_no, seq=seq, actor_id=viewer.id,
                           reason=text_field(form, "reason"))
        return "withdraw_violation"

    return answer_act(request, engine, viewer, case_no, form, failed=f"violations:withdraw:{seq}", run=run,
                      anchor=ANCHOR, for_script=_for_script)


@router.get("/violations/details-template.xlsx")
def details_template(viewer: ViewerDep) -> Response:
    """The blank 违法明细 template (违法明细导入模板.xlsx), with a sheet 「填写说明」."""
    return template_response()
