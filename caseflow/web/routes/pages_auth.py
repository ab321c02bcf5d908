"""登录与退出 pages. The login form is protected by a double-submit token (cookie + field)."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from caseflow.auth.service import LoginFailed, TooManyAttempts
from caseflow.web.deps import CsrfDep, ViewerDep
from caseflow.web.login import sign_in, sign_out

router = APIRouter()
LOGIN_TOKEN_COOKIE = "caseflow_login"


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


def _form(request: Request, *, next_url: str, username: str = "", error: str | None = None,
          status: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    resp = request.app.state.templates.TemplateResponse(
        request, "login.html",
        {"viewer": None, "next": next_url, "username": username, "error": error, "token": token},
        status_code=status,
    )
    resp.set_cookie(LOGIN_TOKEN_COOKIE, token, httponly=True, samesite="lax",
                    secure=request.app.state.settings.secure_cookies, max_age=3600)
    return resp


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    return _form(request, next_url=_safe_next(next))


@router.post("/login")
def login_submit(
    request: Request,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    login_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    next_url = _safe_next(next)
    cookie = request.cookies.get(LOGIN_TOKEN_COOKIE, "")
    if not cookie or not hmac.compare_digest(cookie, login_token):
        return _form(request, next_url=next_url, username=username, status=403,
                     error="登录页面已过期，请重新输入后登录。")
    resp = RedirectResponse(next_url, status_code=303)
    try:
        sign_in(request, resp, username, password)
    except TooManyAttempts as exc:
        out = _form(request, next_url=next_url, username=username, error=exc.message, status=429)
        out.headers["Retry-After"] = str(exc.retry_after)
        return out
    except LoginFailed as exc:
        return _form(request, next_url=next_url, username=username, error=exc.message, status=401)
    resp.delete_cookie(LOGIN_TOKEN_COOKIE)
    return resp


@router.post("/logout", dependencies=[CsrfDep])
def logout(request: Request, viewer: ViewerDep) -> Response:
    resp = RedirectResponse("/login", status_code=303)
    sign_out(request, resp, viewer.session)
    return resp
