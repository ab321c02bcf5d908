"""Request and response bodies of the API (pydantic), with Chinese descriptions for /docs."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class LoginIn(BaseModel):
    username: str = Field(description="用户名")
    password: str = Field(description="密码")


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


class PartyIn(BaseModel):
    kind: Literal["organisation", "individual"] = Field(description="organisation 法人或其他组织；individual 公民")
    name: str
    address: str
    uscc: str | None = Field(None, description="统一社会信用代码（法人或其他组织）")
    legal_representative: str | None = None
    id_number: str | None = Field(None, description="居民身份证号（公民）")
    phone: str | None = None


class OfficerIn(BaseModel):
    username: str
    role: Literal["lead", "assistant"] = "assistant"


class CaseIn(BaseModel):
    item_key: str = Field(description="事项编号，如 004-05")
    title: str = Field(description="案由")
    party: PartyIn
    officers: list[OfficerIn] = Field(default_factory=list)
    source: str | None = None


class TransitionIn(BaseModel):
    payload: dict[str, Any] = Field(default_factory=dict, description="该步骤的数据")
    opinion: str | None = Field(None, description="意见或理由")
    expected_version: int | None = Field(None, description="您看到的案件版本（防止并发覆盖）")


class TransitionOut(BaseModel):
    case_no: str
    state: str
    state_name: str
    version: int
    event_seq: int
    step: str
    linked_case_no: str | None = None
