"""Request dependencies: the engine, the signed-in viewer, CSRF checks, the account manager
(Annotated aliases keep route signatures short: `ViewerDep`, `EngineDep`, `CsrfDep`, `ManagerDep`).

A viewer whose password was reset to a one-time password gets only the change-password page and
logging out until they change it (PasswordChangeRequired: the pages redirect, the API says 403).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine, select

from caseflow.auth.permissions import manages_accounts, require_account_manager, supervises
from caseflow.auth.service import CsrfRefused, NotAuthenticated, PasswordChangeRequired
from caseflow.auth.sessions import COOKIE_NAME, CSRF_FIELD, CSRF_HEADER, SessionData, SessionSigner
from caseflow.db.session import unit_of_work
from caseflow.errors import NotFound
from caseflow.org.actors import Actor
from caseflow.org.models import Agency, User
from caseflow.org.service import describe_posts, load_actor


@dataclass(frozen=True)
class Viewer:
    """The signed-in user: an Actor (id, agency, posts) plus what the pages show and need."""

    actor: Actor
    agency_name: str
    session: SessionData
    csrf_token: str
    via_cookie: bool

    @property
    def id(self) -> int:
        return self.actor.id

    @property
    def agency_id(self) -> int:
        return self.actor.agency_id

    @property
    def posts_text(self) -> str:
        return "、".join(describe_posts(self.actor)) or "无岗位"

    @property
    def supervises(self) -> bool:
        return supervises(self.actor)

    @property
    def manages_accounts(self) -> bool:
        return manages_accounts(self.actor)

    def holds(self, post: str, section: str | None = None) -> bool:
        return any(p.post == post and (section is None or p.section_name == section)
                   for p in self.actor.posts)


# What a user who must change their password may still reach.
PASSWORD_CHANGE_PATHS = frozenset({"/account/password", "/logout", "/api/auth/logout", "/api/auth/me"})


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


def get_signer(request: Request) -> SessionSigner:
    return request.app.state.signer


def _presented_session(request: Request, signer: SessionSigner) -> tuple[SessionData | None, bool]:
    """The session from the cookie, or from `Authorization: Bearer` (API clients; no CSRF needed)."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return signer.read(auth[7:].strip()), False
    return signer.read(request.cookies.get(COOKIE_NAME)), True


def get_viewer(request: Request) -> Viewer:
    signer = get_signer(request)
    data, via_cookie = _presented_session(request, signer)
    if data is None:
        raise NotAuthenticated("请先登录。")
    try:
        with unit_of_work(get_engine(request), write=False) as s:
            actor = load_actor(db_session=s, user_id=data.user_id)
            agency_name, valid_after, must_change = s.execute(
                select(Agency.name, User.sessions_valid_after, User.must_change_password)
                .join(User, User.agency_id == Agency.id).where(User.id == actor.id)).one()
    except NotFound:
        raise NotAuthenticated("账号不存在或已停用，请重新登录。") from None
    if data.ended_by(valid_after):
        raise NotAuthenticated("您已退出登录，请重新登录。")
    viewer = Viewer(actor=actor, agency_name=agency_name, session=data,
                    csrf_token=signer.csrf_token(data), via_cookie=via_cookie)
    request.state.viewer = viewer
    if must_change and request.url.path not in PASSWORD_CHANGE_PATHS:
        raise PasswordChangeRequired("请先设置您自己的新密码（一次性密码登录后须修改）。")
    return viewer


def get_manager(viewer: Annotated[Viewer, Depends(get_viewer)]) -> Viewer:
    """The signed-in 局负责人, who manages the accounts of their agency."""
    require_account_manager(viewer.actor)
    return viewer


async def check_csrf(request: Request, viewer: Annotated[Viewer, Depends(get_viewer)]) -> None:
    """State-changing requests made with the cookie must present the session's CSRF token, in the
    `X-CSRF-Token` header or (HTML forms) the `csrf_token` field."""
    if not viewer.via_cookie:
        return
    presented = request.headers.get(CSRF_HEADER)
    if presented is None and "form" in request.headers.get("content-type", ""):
        presented = (await request.form()).get(CSRF_FIELD)  # type: ignore[assignment]
    if not get_signer(request).csrf_ok(viewer.session, presented if isinstance(presented, str) else None):
        raise CsrfRefused("页面已过期或请求来源不明（CSRF 校验失败），请刷新页面后重试。")


EngineDep = Annotated[Engine, Depends(get_engine)]
ViewerDep = Annotated[Viewer, Depends(get_viewer)]
CsrfDep = Depends(check_csrf)
ManagerDep = Annotated[Viewer, Depends(get_manager)]
