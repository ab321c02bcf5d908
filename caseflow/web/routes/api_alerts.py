"""`/api/alerts`: the signed-in user's alerts (提醒) and marking them read."""

from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from caseflow.alerts import inbox as alert_inbox
from caseflow.cases.presenters import local
from caseflow.db.session import unit_of_work
from caseflow.web.deps import CsrfDep, EngineDep, ViewerDep
from caseflow.web.params import Offset, RequestModel, StrictId

router = APIRouter(prefix="/alerts", tags=["提醒"])


class AlertOut(BaseModel):
    id: int = Field(description="本人这条提醒的编号（标为已读时使用）")
    kind: str = Field(description="reminder 即将到期；overdue 已逾期；returned 案件被退回")
    kind_name: str
    message: str
    case_no: str
    case_title: str = Field(description="案由")
    due_at: str = Field(description="期限届满时间；被退回的为退回时间（北京时间）")
    raised_at: str = Field(description="提醒时间（北京时间）")
    read_at: str | None = Field(description="标为已读的时间（北京时间）；未读为空")
    role: str = Field(description="officer 承办人；post_holder 岗位人员；section_head 股室负责人；supervisor 局负责人")
    role_name: str


class AlertPage(BaseModel):
    unread: int = Field(description="本人未读提醒数")
    offset: int
    limit: int
    items: list[AlertOut]


class ReadIn(RequestModel):
    ids: list[StrictId] | None = Field(None, max_length=1000,
                                  description="要标为已读的提醒编号；不提供则全部标为已读")


class ReadOut(BaseModel):
    changed: int = Field(description="本次标为已读的条数（他人的或已读的编号不计）")
    unread: int = Field(description="本人剩余未读提醒数")


@router.get("", response_model=AlertPage)
def alerts(viewer: ViewerDep, engine: EngineDep,
           unread: bool = Query(False, description="true：只列未读"),
           offset: Offset = 0, limit: int = Query(50, ge=1, le=200)) -> AlertPage:
    """本人的提醒：未读的在前，再按提醒时间新的在前。"""
    with unit_of_work(engine, write=False) as s:
        rows = alert_inbox.inbox(s, user_id=viewer.id, unread_only=unread, limit=limit,
                                 offset=offset)
        count = alert_inbox.unread_count(s, user_id=viewer.id)
    return AlertPage(unread=count, offset=offset, limit=limit, items=[
        AlertOut(id=r.id, kind=r.kind.value, kind_name=r.kind_label, message=r.message,
                 case_no=r.case_no, case_title=r.case_title, due_at=local(r.due_at) or "",
                 raised_at=local(r.raised_at) or "", read_at=local(r.read_at), role=r.role.value,
                 role_name=r.role_label)
        for r in rows
    ])


@router.post("/read", response_model=ReadOut, dependencies=[CsrfDep])
def read(body: ReadIn, viewer: ViewerDep, engine: EngineDep) -> ReadOut:
    """把本人的提醒标为已读：`{"ids": [...]}` 为所列各条，`{}` 为全部。他人的编号不受影响。"""
    with unit_of_work(engine) as s:
        changed = alert_inbox.mark_read(s, user_id=viewer.id, recipient_ids=body.ids)
        count = alert_inbox.unread_count(s, user_id=viewer.id)
    return ReadOut(changed=changed, unread=count)
