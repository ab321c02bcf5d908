"""The trail of account management: recording who did what to whose account, and reading it back in
Chinese (the rows are append-only: caseflow/auth/models.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from caseflow.auth.models import AccountEvent
from caseflow.org.models import User

ACTIONS = {
    "created": "新建账号", "posts_changed": "调整岗位", "credential_issued": "登记执法证",
    "credential_revoked": "注销执法证", "password_set": "设置密码", "password_reset": "重置为一次性密码",
    "password_changed": "本人修改密码", "disabled": "停用账号", "enabled": "重新启用账号",
}
CLI_ACTOR = "命令行（系统管理）"


@dataclass(frozen=True)
class By:
    """Who makes a change: a signed-in user on the pages, or the command line (no user)."""

    user_id: int | None
    via: str  # "web" | "cli"

    @classmethod
    def cli(cls) -> By:
        return cls(None, "cli")

    @classmethod
    def web(cls, user_id: int) -> By:
        return cls(user_id, "web")


@dataclass(frozen=True)
class EventRow:
    at: datetime
    action: str
    label: str
    actor: str
    subject: str
    subject_username: str
    detail: str
    raw: dict[str, Any]


def record(*, db_session: Session, subject: User, action: str, by: By,
           detail: dict[str, Any] | None = None) -> None:
    assert action in ACTIONS, action
    db_session.add(AccountEvent(agency_id=subject.agency_id, subject_id=subject.id, actor_id=by.user_id,
                                via=by.via, action=action, detail=detail or None))
    db_session.flush()


def _detail_text(detail: dict[str, Any] | None) -> str:
    if not detail:
        return ""
    parts = []
    if "posts" in detail:
        parts.append("岗位：" + ("、".join(detail["posts"]) or "无"))
    if "removed" in detail and detail["removed"]:
        parts.append("取消：" + "、".join(detail["removed"]))
    if "credential" in detail:
        parts.append("执法证号：" + detail["credential"])
    if "valid" in detail:
        parts.append("有效期：" + detail["valid"])
    if "reason" in detail and detail["reason"]:
        parts.append("原因：" + detail["reason"])
    return "；".join(parts)


def events(*, db_session: Session, agency_id: int | None, subject_id: int | None = None,
           limit: int = 100) -> list[EventRow]:
    """The newest events first: of an agency (None: every agency), or of one account."""
    actor, subject = aliased(User), aliased(User)
    stmt = (select(AccountEvent, actor.full_name, subject.full_name, subject.username)
            .join(subject, subject.id == AccountEvent.subject_id)
            .outerjoin(actor, actor.id == AccountEvent.actor_id)
            .order_by(AccountEvent.id.desc()).limit(limit))
    if agency_id is not None:
        stmt = stmt.where(AccountEvent.agency_id == agency_id)
    if subject_id is not None:
        stmt = stmt.where(AccountEvent.subject_id == subject_id)
    return [EventRow(at=e.at, action=e.action, label=ACTIONS.get(e.action, e.action),
                     actor=actor_name or CLI_ACTOR, subject=subject_name, subject_username=username,
                     detail=_detail_text(e.detail), raw=e.detail or {})
            for e, actor_name, subject_name, username in db_session.execute(stmt)]
