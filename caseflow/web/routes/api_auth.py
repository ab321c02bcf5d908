"""`/api/auth`: log in (JSON), log out, who am I."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from caseflow.web.deps import CsrfDep, ViewerDep
from caseflow.web.login import sign_in, sign_out
from caseflow.web.schemas import LoginIn, LoginOut, ViewerOut

router = APIRouter(prefix="/auth", tags=["登录"])


@router.post("/login", response_model=LoginOut)
def login(body: LoginIn, request: Request, response: Response) -> LoginOut:
    """用户名与密码登录。同一用户名在同一地址 15 分钟内失败 5 次后暂停登录（429）。"""
    user_id, value, data = sign_in(request, response, body.username, body.password)
    return LoginOut(user_id=user_id, access_token=value, token_type="bearer",
                    csrf_token=request.app.state.signer.csrf_token(data))


@router.post("/logout", status_code=204, dependencies=[CsrfDep])
def logout(request: Request, viewer: ViewerDep) -> Response:
    out = Response(status_code=204)
    sign_out(request, out, viewer.session)
    return out


@router.get("/me", response_model=ViewerOut)
def me(viewer: ViewerDep) -> ViewerOut:
    return ViewerOut(id=viewer.id, username=viewer.actor.username, full_name=viewer.actor.full_name,
                     agency=viewer.agency_name, posts=viewer.posts_text.split("、"))
