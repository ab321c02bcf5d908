"""账号管理 pages for the 局负责人: the agency's users, adding one (posts, 执法证, a one-time password),
and one user's page — change posts, add or revoke a 执法证, reset the password to a one-time one,
disable or enable the account — with the account's audit trail. Every change goes through
caseflow/auth/accounts.py or password_changes.py and is recorded there."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from caseflow.auth import accounts, audit
from caseflow.auth.audit import By
from caseflow.auth.password_changes import reset_password
from caseflow.db.session import unit_of_work
from caseflow.errors import CaseflowError, InvalidInput
from caseflow.legal_time import SHANGHAI
from caseflow.web.account_forms import credential_from, groups, posts_from, text_from, typed
from caseflow.web.deps import CsrfDep, EngineDep, ManagerDep, Viewer
from caseflow.web.errors import body_of, status_of

router = APIRouter()
UserId = Annotated[int, Path(ge=1, le=2**31 - 1)]
DONE = {"posts": "岗位已保存。", "credential": "执法证已登记。", "revoked": "执法证已注销。",
        "disabled": "账号已停用，其登录会话已结束。", "enabled": "账号已重新启用。"}


def _page(request: Request, name: str, viewer: Viewer, status: int = 200, **data: Any) -> Response:
    """An account page; never cached (one shows a one-time password)."""
    resp = request.app.state.templates.TemplateResponse(
        request, name, {"viewer": viewer, "page": "accounts", **data}, status_code=status)
    resp.headers["Cache-Control"] = "no-store"
    return resp


@router.get("/accounts")
def account_list(request: Request, viewer: ManagerDep, engine: EngineDep) -> Response:
    with unit_of_work(engine, write=False) as s:
        users = accounts.list_accounts(db_session=s, agency_id=viewer.agency_id)
        events = audit.events(db_session=s, agency_id=viewer.agency_id, limit=20)
    return _page(request, "accounts.html", viewer, users=users, events=events)


def _new_form(request: Request, viewer: Viewer, engine: Any, *, values: dict[str, Any] | None = None,
              error: dict[str, Any] | None = None, status: int = 200) -> Response:
    with unit_of_work(engine, write=False) as s:
        choices = accounts.post_choices(db_session=s, agency_id=viewer.agency_id)
    return _page(request, "account_new.html", viewer, status, groups=groups(choices),
                 values=values or {"posts": []}, error=error)


@router.get("/accounts/new")
def new_account_form(request: Request, viewer: ManagerDep, engine: EngineDep) -> Response:
    return _new_form(request, viewer, engine)


@router.post("/accounts/new", dependencies=[CsrfDep])
async def new_account(request: Request, viewer: ManagerDep, engine: EngineDep) -> Response:
    return await run_in_threadpool(_add, request, viewer, engine, await request.form())


def _add(request: Request, viewer: Viewer, engine: Any, form: FormData) -> Response:
    try:
        username = text_from(form, "username", "用户名", 50)
        full_name = text_from(form, "full_name", "姓名", 50)
        credential = credential_from(form)
        with unit_of_work(engine) as s:
            user, password = accounts.add_user(
                db_session=s, agency_id=viewer.agency_id, username=username, full_name=full_name,
                posts=posts_from(form), credential=credential, by=By.web(viewer.id))
            shown = {"id": user.id, "username": user.username, "full_name": user.full_name}
    except CaseflowError as exc:
        return _new_form(request, viewer, engine, values=typed(form), error=body_of(exc),
                         status=status_of(exc))
    return _page(request, "account_password.html", viewer, user=shown, password=password,
                 created=True)


def _detail(request: Request, viewer: Viewer, engine: Any, user_id: int, *, done: str | None = None,
            error: dict[str, Any] | None = None, values: dict[str, Any] | None = None,
            status: int = 200) -> Response:
    with unit_of_work(engine, write=False) as s:
        user = accounts.get_account(db_session=s, user_id=user_id, agency_id=viewer.agency_id)
        choices = accounts.post_choices(db_session=s, agency_id=viewer.agency_id)
        events = audit.events(db_session=s, agency_id=viewer.agency_id, subject_id=user_id, limit=50)
    values = values or {}
    held = values.get("posts", [accounts.PostChoice(h.post, h.section_name).label for h in user.posts])
    return _page(request, "account.html", viewer, status, user=user, groups=groups(choices),
                 held=held, events=events, done=DONE.get(done or ""), error=error, values=values,
                 today=datetime.now(SHANGHAI).date())


@router.get("/accounts/{user_id}")
def account_page(request: Request, user_id: UserId, viewer: ManagerDep, engine: EngineDep,
                 done: str | None = None) -> Response:
    return _detail(request, viewer, engine, user_id, done=done)


Change = Callable[[Session, FormData, Viewer, int], object]


async def _change(request: Request, viewer: Viewer, engine: Any, user_id: int, done: str,
                  act: Change) -> Response:
    """Apply one change from a form on the user's page (in a worker thread, like every database
    call); back to the page, with the error if refused."""
    form = await request.form()
    return await run_in_threadpool(_apply, request, viewer, engine, user_id, done, act, form)


def _apply(request: Request, viewer: Viewer, engine: Any, user_id: int, done: str, act: Change,
           form: FormData) -> Response:
    try:
        with unit_of_work(engine) as s:
            act(s, form, viewer, user_id)
    except CaseflowError as exc:
        return _detail(request, viewer, engine, user_id, error=body_of(exc),
                       values=typed(form, posts=done == "posts"), status=status_of(exc))
    return RedirectResponse(f"/accounts/{user_id}?done={done}", status_code=303)


def _set_posts(s: Session, form: FormData, viewer: Viewer, user_id: int) -> object:
    return accounts.set_posts(db_session=s, agency_id=viewer.agency_id, user_id=user_id,
                              posts=posts_from(form), by=By.web(viewer.id))


def _add_credential(s: Session, form: FormData, viewer: Viewer, user_id: int) -> object:
    credential = credential_from(form)
    if credential is None:
        raise InvalidInput("请填写执法证号。", details={"credential_number": "必填"})
    return accounts.add_credential(db_session=s, agency_id=viewer.agency_id, user_id=user_id,
                                   credential=credential, by=By.web(viewer.id))


def _disable(s: Session, form: FormData, viewer: Viewer, user_id: int) -> object:
    return accounts.disable(db_session=s, agency_id=viewer.agency_id, user_id=user_id,
                            by=By.web(viewer.id), reason=text_from(form, "reason", "停用原因", 200))


def _enable(s: Session, form: FormData, viewer: Viewer, user_id: int) -> object:
    return accounts.enable(db_session=s, agency_id=viewer.agency_id, user_id=user_id,
                           by=By.web(viewer.id))


@router.post("/accounts/{user_id}/posts", dependencies=[CsrfDep])
async def change_posts(request: Request, user_id: UserId, viewer: ManagerDep,
                       engine: EngineDep) -> Response:
    return await _change(request, viewer, engine, user_id, "posts", _set_posts)


@router.post("/accounts/{user_id}/credentials", dependencies=[CsrfDep])
async def add_credential(request: Request, user_id: UserId, viewer: ManagerDep,
                         engine: EngineDep) -> Response:
    return await _change(request, viewer, engine, user_id, "credential", _add_credential)


@router.post("/accounts/{user_id}/credentials/{credential_id}/revoke", dependencies=[CsrfDep])
async def revoke_credential(request: Request, user_id: UserId, credential_id: UserId,
                            viewer: ManagerDep, engine: EngineDep) -> Response:
    def revoke(s: Session, form: FormData, viewer: Viewer, user_id: int) -> object:
        return accounts.revoke_credential(db_session=s, agency_id=viewer.agency_id, user_id=user_id,
                                          credential_id=credential_id, by=By.web(viewer.id))
    return await _change(request, viewer, engine, user_id, "revoked", revoke)


@router.post("/accounts/{user_id}/disable", dependencies=[CsrfDep])
async def disable_account(request: Request, user_id: UserId, viewer: ManagerDep,
                          engine: EngineDep) -> Response:
    return await _change(request, viewer, engine, user_id, "disabled", _disable)


@router.post("/accounts/{user_id}/enable", dependencies=[CsrfDep])
async def enable_account(request: Request, user_id: UserId, viewer: ManagerDep,
                         engine: EngineDep) -> Response:
    return await _change(request, viewer, engine, user_id, "enabled", _enable)


@router.post("/accounts/{user_id}/password", dependencies=[CsrfDep])
def reset_account_password(request: Request, user_id: UserId, viewer: ManagerDep,
                           engine: EngineDep) -> Response:
    """A one-time password, shown once on the page that answers (no redirect: nothing keeps it)."""
    with unit_of_work(engine) as s:
        password = reset_password(db_session=s, agency_id=viewer.agency_id, user_id=user_id,
                                  by=By.web(viewer.id))
        user = accounts.get_account(db_session=s, user_id=user_id, agency_id=viewer.agency_id)
        shown = {"id": user.id, "username": user.username, "full_name": user.full_name}
    return _page(request, "account_password.html", viewer, user=shown, password=password,
                 created=False)
