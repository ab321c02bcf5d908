"""修改密码: every signed-in user changes their own password here — and a user whose password was
reset (or who was just added) is sent here until they do. The current password is checked like a
login (the throttle counts the attempt first); the change ends every other session and this
browser gets a new one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from caseflow.auth.password_changes import change_own_password
from caseflow.db.session import unit_of_work
from caseflow.errors import CaseflowError
from caseflow.org.models import User
from caseflow.web.deps import CsrfDep, EngineDep, ViewerDep, Viewer
from caseflow.web.errors import body_of, status_of
from caseflow.web.login import client_ip, renew_session

router = APIRouter()


def _must_change(engine: object, viewer: Viewer) -> bool:
    with unit_of_work(engine, write=False) as s:  # type: ignore[arg-type]
        return bool(s.get(User, viewer.id).must_change_password)  # type: ignore[union-attr]


def _form(request: Request, viewer: Viewer, engine: object, *, error: dict | None = None,
          done: bool = False, status: int = 200) -> Response:
    resp = request.app.state.templates.TemplateResponse(request, "password.html", {
        "viewer": viewer, "page": "password", "error": error, "done": done,
        "must_change": _must_change(engine, viewer),
    }, status_code=status)
    if isinstance(error, dict) and error.get("code") == "TOO_MANY_ATTEMPTS":
        resp.headers["Retry-After"] = str(error["details"]["retry_after"])
    return resp


@router.get("/account/password")
def password_form(request: Request, viewer: ViewerDep, engine: EngineDep, done: int = 0) -> Response:
    return _form(request, viewer, engine, done=bool(done))


@router.post("/account/password", dependencies=[CsrfDep])
def change_password(
    request: Request, viewer: ViewerDep, engine: EngineDep,
    current_password: Annotated[str, Form()] = "",
    new_password: Annotated[str, Form()] = "",
    repeat_password: Annotated[str, Form()] = "",
) -> Response:
    throttle = request.app.state.throttle
    ip = client_ip(request)
    try:
        throttle.admit(viewer.actor.username, ip)
        try:
            change_own_password(engine=engine, user_id=viewer.id, current=current_password,
                                new=new_password, repeat=repeat_password)
        except CaseflowError as exc:
            if exc.code != "PASSWORD_WRONG":  # the current password was right
                throttle.succeeded(viewer.actor.username, ip)
            raise
        throttle.succeeded(viewer.actor.username, ip)
    except CaseflowError as exc:
        return _form(request, viewer, engine, error=body_of(exc), status=status_of(exc))
    resp = RedirectResponse("/account/password?done=1", status_code=303)
    renew_session(request, resp, viewer.id)
    return resp
