"""`/api/cases/{case_no}/violations`: a case's 违法行为 — list (withdrawn ones too), 登记 one (its
conduct, 认定的事实和理由, period and 违法明细: rows in JSON, or an .xlsx/.csv file imported), 撤回 one
with its reason.

登记 takes either a JSON body (the inputs of `violation` in workflows/rules/<set>/inputs.yaml, the 明细
as `details` rows) or multipart/form-data (the same inputs as JSON in `data`, the 明细 file in
`details_file`). The file is read by `caseflow.violations.importer` — judged by its bytes, every
wrong cell of every row named by the line of the file — before the service registers anything; the
amounts are the sums of the rows, never typed. Every refusal is the stable error body with 4xx.

The helpers here (`violation_form`, `details_upload`, `imported_rows`, `TEMPLATE_NAME`) serve the
case page's form too.
"""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.datastructures import FormData, UploadFile

from caseflow.cases import service as case_service
from caseflow.cases.violation_acts import add_violation, withdraw_violation
from caseflow.cases.violations import detail_rows, listing
from caseflow.db.base import utcnow
from caseflow.db.session import unit_of_work
from caseflow.errors import InvalidInput, NotFound
from caseflow.legal_time import SHANGHAI
from caseflow.violations.details import DetailRow
from caseflow.violations.importer import FIELD as FILE_FIELD
from caseflow.violations.importer import MAX_BYTES, import_details, template_xlsx
from caseflow.web.deps import CsrfDep, EngineDep, ViewerDep
from caseflow.web.params import Reason, RequestModel
from caseflow.web.routes.api_evidence import UPLOAD, UploadForm

router = APIRouter(tags=["违法行为"])

Seq = Annotated[int, Path(ge=1, le=100000, description="违法行为序号")]
TEMPLATE_NAME = "违法明细导入模板.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "案件不存在或不属于本机关"},
    409: {"description": "规则拒绝：VIOLATION_CLOSED（不在调查取证阶段）、VIOLATION_NOT_OFFICER（不是本案承办人员）、"
                         "CONDUCT_NOT_OF_ITEM（不是本事项依据的条款规定的违法行为）、VIOLATION_DETAILS_REQUIRED"
                         "（须列明违法明细）、VIOLATION_WITHDRAWN（已撤回或不存在）"},
    413: {"description": "请求超过 2 MB（REQUEST_TOO_LARGE）"},
    422: {"description": "填写有误：details 逐项说明，违法明细的错误逐行逐格说明（如 \"details[3].quantity\": "
                         "\"第5行：数量须大于零\"，行号为明细文件中的行号）；明细文件无法读取的，details_file 说明原因"},
}


# ── request and response bodies ────────────────────────────────────────────
class WithdrawIn(RequestModel):
    reason: Reason = Field(description="撤回理由（必填）")


class WithdrawnOut(BaseModel):
    at: str = Field(description="撤回时间（UTC，ISO 8601）")
    reason: str


class ViolationOut(BaseModel):
    seq: int = Field(description="序号")
    conduct: str = Field(description="违法行为（法规原文的表述）")
    conduct_code: str | None = Field(description="违法行为代码（workflows/conducts.yaml）；调查终结时只填金额的为 null")
    rule_breached: str | None = Field(description="违反的规定")
    punished_by: str | None = Field(description="处罚依据")
    period_from: str | None = Field(description="违法行为发生日期")
    period_until: str | None = Field(description="违法行为终了日期（与发生日期同日的为 null）")
    facts: str | None = Field(description="认定的事实和理由")
    itemised: bool = Field(description="金额由违法明细合计")
    rows: int = Field(description="违法明细行数")
    amount_involved: str | None = Field(description="违规费用（元），明细金额的合计")
    amount_loss: str | None = Field(description="造成医疗保障基金损失金额（元），明细基金支付的合计")
    amount_defrauded: str | None = Field(description="骗取金额（元）：骗取类违法行为同基金损失")
    fund_split: str = Field(description="按险种的基金损失，如「其中职工医保基金…元、居民医保基金…元」；未分两个险种的为空")
    withdrawn: WithdrawnOut | None


_DETAIL_ROW = {"type": "object", "description": "一行违法明细", "properties": {
    "item": {"type": "string", "description": "项目或药品名称（必填）"},
    "day": {"type": "string", "description": "日期（必填），如 2026-03-05"},
    "until": {"type": "string", "description": "结束日期（住院等跨日的）"},
    "quantity": {"type": ["string", "number"], "description": "数量（必填），大于零，最多两位小数"},
    "unit_price": {"type": ["string", "number"], "description": "单价（元）；与金额至少填一项"},
    "amount": {"type": ["string", "number"], "description": "金额（元），即违规费用；填了单价的按数量×单价计算"},
    "fund_paid": {"type": ["string", "number"], "description": "医疗保障基金支付金额（元，必填），不能大于金额"},
    "fund": {"type": "string", "description": "险种：职工医保 或 居民医保"},
    "patient": {"type": "string", "description": "参保人姓名（保存时隐去中间的字）"},
    "note": {"type": "string", "description": "备注"}}}
_PAYLOAD = {"type": "object", "required": ["conduct", "facts"], "properties": {
    "conduct": {"type": "string", "description": "违法行为：本事项依据的条款规定的违法行为的名称或代码"},
    "facts": {"type": "string", "description": "认定的事实和理由"},
    "period_from": {"type": "string", "format": "date", "description": "发生日期（有明细的按明细自动计算，可不填）"},
    "period_until": {"type": "string", "format": "date", "description": "终了日期（同上）"},
    "details": {"type": "array", "items": _DETAIL_ROW, "description": "违法明细（与 details_file 二者选一）"}}}
_EXAMPLE = {"conduct": "虚构医药服务项目", "facts": "当事人在2026年3月至5月间虚构康复理疗项目……",
            "details": [{"item": "中频脉冲电治疗", "day": "2026-03-05", "quantity": "3", "unit_price": "12.50",
                         "fund_paid": "30.00", "fund": "职工医保", "patient": "王小梅"}]}
_ADD_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": _PAYLOAD, "example": _EXAMPLE},
    "multipart/form-data": {"schema": {"type": "object", "required": ["data"], "properties": {
        "data": {"type": "string", "description": "违法行为的填写项，JSON 对象（conduct、facts、period_from、period_until）",
                 "example": json.dumps({"conduct": "虚构医药服务项目", "facts": "……"}, ensure_ascii=False)},
        FILE_FIELD: {"type": "string", "format": "binary",
                     "description": "违法明细文件：Excel（.xlsx）或 CSV，表头见「下载明细模板」；按文件内容识别类型"}}}}}}}


# ── helpers shared with the page ─────────────────────────────────────────
def today() -> Any:
    return utcnow().astimezone(SHANGHAI).date()


def details_upload(form: FormData) -> UploadFile | None:
    """The 明细 file of the form (field `details_file`), or None where none was chosen (a file input
    left empty sends a nameless empty part)."""
    given = [f for f in form.getlist(FILE_FIELD) if not (isinstance(f, str) and not f.strip())]
    files = [f for f in given if isinstance(f, UploadFile) and (f.filename or f.size)]
    if len(given) != len([f for f in given if isinstance(f, UploadFile)]):
        raise InvalidInput("违法明细须以文件上传（Excel 或 CSV）。", details={FILE_FIELD: "须为文件"})
    if len(files) > 1:
        raise InvalidInput("一次只能导入一个明细文件。", details={FILE_FIELD: "只能选择一个文件"})
    return files[0] if files else None


def imported_rows(upload: UploadFile | None) -> list[DetailRow] | None:
    """The rows of the 明细 file, typed and checked (a plain read of the spooled file: call it from
    the threadpool); None without a file."""
    if upload is None:
        return None
    upload.file.seek(0)
    data = upload.file.read(MAX_BYTES + 1)  # the importer refuses what is over its limit
    name = "".join(c for c in (upload.filename or "") if c.isprintable())[:100] or "明细文件"
    return import_details(data, name, today=today())


async def violation_form(request: Request, form: UploadForm) -> tuple[dict[str, Any], UploadFile | None]:
    """登记's input: a JSON body (the payload, rows in `details`), or multipart (the payload as JSON in
    `data`, the 明细 file in `details_file`)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            payload = await request.json()
        except ValueError:
            raise InvalidInput("请求内容不是合法的 JSON。", details={"body": "不是合法的 JSON"}) from None
        return _object(payload, "body"), None
    if kind in ("multipart/form-data", "application/x-www-form-urlencoded"):
        raw = form.get("data")
        if not isinstance(raw, str) or not raw.strip():
            raise InvalidInput("请提供违法行为的填写项（data）。", details={"data": "必填"})
        try:
            payload = json.loads(raw)
        except ValueError:
            raise InvalidInput("data 不是合法的 JSON。", details={"data": "不是合法的 JSON"}) from None
        return _object(payload, "data"), details_upload(form)
    raise InvalidInput("请以 JSON（application/json）或表单（multipart/form-data）提交。",
                       details={"body": "格式不正确"})


def _object(payload: Any, field: str) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise InvalidInput("违法行为的填写项须为 JSON 对象。", details={field: "须为对象"})
    return payload


ViolationForm = Annotated[tuple[dict[str, Any], UploadFile | None], Depends(violation_form)]


def row_of(case: Any, seq: int) -> dict[str, Any]:
    return next(r for r in listing(case) if r["seq"] == seq)


def template_response(rows: Any = (), *, name: str = TEMPLATE_NAME, ascii_name: str = "violation-details-template.xlsx",
                      cache: str = "private, max-age=3600") -> Response:
    """The 违法明细 sheet (blank: the template; else a violation's rows), as an attachment under its
    Chinese name (RFC 5987)."""
    return Response(template_xlsx(rows), media_type=XLSX, headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}",
        "Cache-Control": cache})


# ── routes ───────────────────────────────────────────────────────────────
@router.get("/cases/{case_no}/violations", response_model=list[ViolationOut], responses={404: ERRORS[404]})
def violations(case_no: str, viewer: ViewerDep, engine: EngineDep) -> list[dict[str, Any]]:
    """案件的违法行为（按序号，含已撤回的），每项的金额为其违法明细的合计。"""
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=case_no, agency_id=viewer.agency_id)
        return listing(case)


@router.get("/cases/{case_no}/violations/{seq}/details.xlsx", response_class=Response,
            responses={200: {"content": {XLSX: {}}, "description": "违法明细（参保人姓名已隐去中间的字）"}, 404: ERRORS[404]})
def violation_details(case_no: str, seq: Seq, viewer: ViewerDep, engine: EngineDep) -> Response:
    """一项违法行为的违法明细（Excel），与导入模板格式相同：可查看，也可改正后在「变更认定金额」中重新导入。"""
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=case_no, agency_id=viewer.agency_id)
        v = next((v for v in case.violations if v.seq == seq and v.itemised), None)
        if v is None:
            raise NotFound(f"本案没有附违法明细的第{seq}项违法行为。", code="VIOLATION_NOT_FOUND")
        rows = detail_rows(v)
    return template_response(rows, name=f"违法明细（第{seq}项 {v.conduct}）.xlsx",
                             ascii_name=f"violation-{seq}-details.xlsx", cache="private, no-store")


@router.post("/cases/{case_no}/violations", status_code=201, response_model=ViolationOut,
             dependencies=[UPLOAD, CsrfDep], responses=ERRORS, openapi_extra=_ADD_BODY)
def register_violation(case_no: str, given: ViolationForm, viewer: ViewerDep, engine: EngineDep) -> dict[str, Any]:
    """登记一项违法行为：须由本案承办人员在调查取证阶段办理。违法明细逐行提交（details），或以 Excel/CSV 文件导入
    （multipart 的 details_file）；金额和期间按明细合计，有一行有误的整项不登记。"""
    payload, upload = given
    rows = imported_rows(upload)
    with unit_of_work(engine) as s:
        v = add_violation(db_session=s, case_no=case_no, actor_id=viewer.id, payload=payload, imported=rows)
        return row_of(v.case, v.seq)


@router.post("/cases/{case_no}/violations/{seq}/withdraw", response_model=ViolationOut,
             dependencies=[CsrfDep], responses=ERRORS)
def withdraw(case_no: str, seq: Seq, body: WithdrawIn, viewer: ViewerDep, engine: EngineDep) -> dict[str, Any]:
    """撤回一项违法行为（须写明理由）：保留在案、标明撤回，案件的金额合计随之变更。"""
    with unit_of_work(engine) as s:
        v = withdraw_violation(db_session=s, case_no=case_no, seq=seq, actor_id=viewer.id, reason=body.reason)
        return row_of(v.case, seq)
