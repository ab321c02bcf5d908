"""Request and response bodies of the API (pydantic), with Chinese descriptions for /docs."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from caseflow.web.params import (
    Identifier,
    Line40,
    Line100,
    Line200,
    Line300,
    Name50,
    Reason,
    RequestModel,
    Version,
)


class ErrorOut(BaseModel):
    """Every refusal: a stable code for programs, a Chinese message for people, details by field."""

    code: str = Field(description="错误代码，如 INVALID_INPUT、POST_REQUIRED、CASE_CONFLICT")
    message: str = Field(description="中文说明")
    details: dict[str, Any] | None = Field(None, description="逐项说明（字段 → 问题）或规则的事实")
    reload: bool | None = Field(None, description="并发冲突时为 true：请刷新后重试")
    retry_after: int | None = Field(None, description="多少秒后可重试")


# The refusals every route of the API may answer with, documented once (the app attaches them).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text} for status, text in (
        (401, "未登录"), (403, "无权办理或 CSRF 校验失败"), (404, "不存在或不属于本机关"),
        (409, "规则拒绝（code 为规则代码）或并发冲突（须刷新）"), (413, "请求过大"),
        (422, "填写有误（details 逐项说明）"), (429, "尝试过于频繁"), (503, "系统繁忙"))
}


class LoginIn(RequestModel):
    username: Name50 = Field(description="用户名")
    password: str = Field(max_length=200, description="密码")


class LoginOut(BaseModel):
    user_id: int
    access_token: str = Field(description="可用于 Authorization: Bearer 的会话令牌")
    token_type: str
    csrf_token: str = Field(description="以 Cookie 调用改变数据的接口时放在 X-CSRF-Token 头中")


class ViewerOut(BaseModel):
    id: int
    username: str
    full_name: str
    agency: str
    posts: list[str]


class CaseRow(BaseModel):
    case_no: str
    title: str
    party: str | None = Field(None, description="当事人")
    item_key: str
    item_name: str
    procedure: str
    state: str
    state_name: str
    opened_at: str | None
    lead_officer: str | None
    next_due_at: str | None = Field(description="最近一个进行中期限的届满时间（北京时间）")
    overdue: bool
    version: int


class CasePage(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[CaseRow]


class PartyIn(RequestModel):
    kind: Literal["organisation", "individual"] = Field(description="organisation 法人或其他组织；individual 公民")
    name: Line200
    address: Line300
    uscc: Identifier | None = Field(None, description="统一社会信用代码（法人或其他组织）")
    legal_representative: Name50 | None = None
    id_number: Identifier | None = Field(None, description="居民身份证号（公民）")
    phone: Line40 | None = None
    name_change: Literal["registered", "typed"] | None = Field(
        None, description="证号已登记为另一名称时（PARTY_NAME_DIFFERS）：registered 以登记的名称为准；"
                          "typed 当事人已更名，以本次填写的名称更新登记")


class OfficerIn(RequestModel):
    username: Name50
    role: Literal["lead", "assistant"] = "assistant"


class CaseIn(RequestModel):
    item_key: Line40 = Field(description="事项编号，如 004-05")
    title: Line300 = Field(description="案由")
    party: PartyIn
    officers: list[OfficerIn] = Field(default_factory=list, max_length=20)
    source: Line200 | None = None


class TransitionIn(RequestModel):
    payload: dict[str, Any] = Field(default_factory=dict,
                                    description="该步骤的数据：案件详情中该步骤的 inputs 所列各项（其他键不接受）")
    opinion: Reason | None = Field(None, description="意见或理由")
    expected_version: Version | None = Field(None, description="您看到的案件版本（防止并发覆盖）")


class IssuedDocumentOut(BaseModel):
    id: int
    title: str
    doc_no: str | None = Field(description="文号（表格类文书无文号）")
    version: int
    status: str = Field(description="pending 待生成PDF；rendered 已生成")
    status_name: str
    pdf_url: str


class DeliveryOut(BaseModel):
    method: str = Field(description="送达方式")
    served_at: str | None = Field(description="送达时间（北京时间）")
    recipient: str = Field(description="受送达人")
    receipt_id: int | None = Field(description="送达回证的文书编号")
    receipt_pdf_url: str | None


class VersionRef(BaseModel):
    id: int
    version: int


class ServedRef(BaseModel):
    id: int
    title: str
    doc_no: str | None


class DocumentOut(BaseModel):
    id: int
    doc_type: str
    title: str
    doc_no: str | None = Field(description="文号；更正版本沿用原文号")
    version: int
    series: int = Field(description="同类文书的第几份")
    supersedes_id: int | None = Field(description="所更正的上一版本")
    status: str = Field(description="pending 待生成PDF；rendered 已生成")
    status_name: str
    sha256: str | None = Field(description="PDF 的 SHA-256（生成后）")
    size: int | None
    issued_at: str | None = Field(description="出具时间（北京时间）")
    issued_by: str
    trigger: str = Field(description="出具它的步骤（reissue_document 为更正）")
    reason: str | None = Field(description="更正理由")
    deliveries: list[DeliveryOut]
    pdf_url: str
    superseded_by: VersionRef | None = Field(None, description="更正它的新版本；当前版本为空")
    receipt_of: ServedRef | None = Field(None, description="送达回证所记录送达的文书")
    case_no: str | None = None


class ReissueIn(RequestModel):
    reason: Reason = Field(description="更正理由")
    corrections: dict[str, Any] = Field(default_factory=dict,
                                        description="更正的内容，结构同文书数据，如 {\"facts\": \"…\"}")


class TransitionOut(BaseModel):
    case_no: str
    state: str
    state_name: str
    version: int
    event_seq: int
    step: str
    linked_case_no: str | None = None
    documents: list[IssuedDocumentOut] = Field(default_factory=list, description="本步骤出具的文书（含送达回证）")


class OfficerReplaceIn(RequestModel):
    remove: Name50 = Field(description="被更换的承办人员用户名")
    add: Name50 | None = Field(None, description="接替人员用户名（同一角色）；其余在办人员不少于两人（含承办人）时可不指定")
    reason: Reason = Field(description="更换理由")
    expected_version: Version | None = Field(None, description="您看到的案件版本（防止并发覆盖）")


class RecusalIn(RequestModel):
    officer: Name50 = Field(description="被申请回避的承办人员用户名")
    applicant: Line200 = Field(description="申请人：本案当事人名称")
    decision: Literal["granted", "refused"] = Field(description="granted 准予回避；refused 驳回申请")
    reason: Reason = Field(description="决定理由")
    replacement: Name50 | None = Field(None, description="接替人员用户名（准予回避且不足两人时必填；驳回时不填）")
    expected_version: Version | None = Field(None, description="您看到的案件版本（防止并发覆盖）")


class OfficerOut(BaseModel):
    role: str = Field(description="承办人 / 协办人")
    name: str
    username: str
    credentials: list[str] = Field(description="执法证号")
    assigned_at: str | None = Field(description="指派时间（北京时间）")
    removed: bool
    removed_at: str | None = Field(description="调离时间（北京时间）")
    removed_reason: str | None = Field(description="调离的决定及理由")


class OfficersOut(BaseModel):
    case_no: str
    version: int
    event_seq: int = Field(description="本决定的办理记录序号")
    step: str | None = Field(description="本决定记为的步骤，如「更换承办人员」「决定回避」「驳回回避申请」")
    officers: list[OfficerOut] = Field(description="全部承办人员（含已调离的）")


class DeliveryIn(RequestModel):
    method: Literal["直接送达", "留置送达", "邮寄送达", "委托送达", "电子送达", "公告送达"] = Field(
        "直接送达", description="送达方式")
    served_at: datetime | None = Field(None, description="送达时间（无时区按北京时间；默认现在）")
    signed_at: datetime | None = Field(None, description="邮寄送达：回执上注明的收件日期（《民事诉讼法》第九十一条）")
    published_at: datetime | None = Field(None, description="公告送达：发出公告的日期，经过三十日视为送达（第九十五条）")
    recipient: Line200 | None = Field(None, description="受送达人（默认当事人）")
    receiver: Line100 | None = Field(None, description="代收人")
    service_place: Line300 | None = Field(None, description="送达地点（默认当事人地址）")
    server_names: list[Name50] | None = Field(None, max_length=20, description="送达人（默认本案承办人员）")
    witness: Line100 | None = Field(None, description="见证人（留置送达必填）")
    refusal_reason: Line300 | None = Field(None, description="拒收事由（留置送达必填）")
    service_note: Reason | None = Field(None, description="备注（公告送达须说明无法以其他方式送达的情况）")

    def payload(self) -> dict[str, Any]:
        """The service's payload: only what was given (the rest takes the service's defaults)."""
        return {k: v for k, v in self.model_dump().items() if v not in (None, "", [])}


class DeliveryCreatedOut(BaseModel):
    id: int = Field(description="送达记录编号")
    document_id: int
    title: str = Field(description="被送达的文书")
    doc_no: str | None
    case_no: str
    method: str
    served_at: str | None = Field(description="送达时间（北京时间）")
    recipient: str
    receipt_id: int | None = Field(description="送达回证的文书编号")
    receipt_pdf_url: str | None = Field(description="送达回证 PDF（响应发出后生成）")
