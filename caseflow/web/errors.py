"""Translating errors into responses: JSON under /api, a Chinese page elsewhere; never a trace.

InvalidInput → 422 with a Chinese message per field; RuleViolation → 409 with the rule's code;
Conflict → 409 asking to reload; NotFound → 404 (also for another agency's case); not signed in →
401 (API) or the login page; CSRF or a view not for the viewer's posts → 403; too many logins → 429; no free database
connection within the pool's timeout → 503.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from caseflow.auth.permissions import NotPermitted
from caseflow.auth.service import CsrfRefused, LoginFailed, NotAuthenticated, TooManyAttempts
from caseflow.errors import CaseflowError, Conflict, InvalidInput, NotFound, RuleViolation

log = logging.getLogger("caseflow.web")

CONFLICT_MESSAGE = "案件已被他人修改，请刷新后重试。"


def status_of(exc: CaseflowError) -> int:
    for kind, status in ((InvalidInput, 422), (RuleViolation, 409), (Conflict, 409), (NotFound, 404),
                         (NotAuthenticated, 401), (LoginFailed, 401), (CsrfRefused, 403), (NotPermitted, 403),
                         (TooManyAttempts, 429)):
        if isinstance(exc, kind):
            return status
    return 400


def body_of(exc: CaseflowError) -> dict[str, Any]:
    out = exc.to_dict()
    if isinstance(exc, Conflict):
        out["message"] = exc.message if "刷新" in exc.message else CONFLICT_MESSAGE
        out["reload"] = True
    return out


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path in ("/docs", "/openapi.json")


def _page(request: Request, status: int, title: str, message: str, code: str | None = None) -> Response:
    templates = request.app.state.templates
    viewer = getattr(request.state, "viewer", None)
    return templates.TemplateResponse(
        request, "error.html", {"viewer": viewer, "title": title, "message": message, "code": code},
        status_code=status,
    )


TITLES = {404: "未找到", 409: "无法办理", 422: "填写有误", 403: "请求被拒绝", 429: "请稍后再试",
          401: "请登录", 400: "请求有误"}

# pydantic's error types in Chinese, for API bodies that fail validation.
_PYDANTIC = {"missing": "必填", "string_type": "须为文字", "int_parsing": "须为整数",
             "int_type": "须为整数", "int_from_float": "须为整数", "dict_type": "须为对象", "list_type": "须为列表",
             "json_invalid": "不是合法的 JSON", "bool_parsing": "须为是/否", "bool_type": "须为是/否",
             "model_attributes_type": "格式不正确", "enum": "不在可选范围内", "literal_error": "不在可选范围内",
             "string_too_long": "过长", "too_long": "项数过多", "greater_than_equal": "超出范围",
             "less_than_equal": "超出范围", "greater_than": "超出范围", "less_than": "超出范围",
             "datetime_parsing": "不是有效的日期时间", "datetime_from_date_parsing": "不是有效的日期时间",
             "datetime_type": "不是有效的日期时间", "date_parsing": "不是有效的日期", "date_from_datetime_parsing":
             "不是有效的日期", "extra_forbidden": "不接受此项", "string_unicode": "含有无法识别的字符"}


def _message(err: dict[str, Any]) -> str:
    """One pydantic error in Chinese: our own checks' words (a ValueError's text), else by its type."""
    if err.get("type") == "value_error" and err.get("ctx", {}).get("error"):
        return str(err["ctx"]["error"])
    return _PYDANTIC.get(err.get("type", ""), "格式不正确")


def install(app: FastAPI) -> None:
    @app.exception_handler(CaseflowError)
    async def _caseflow(request: Request, exc: CaseflowError) -> Response:
        status = status_of(exc)
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyAttempts) else None
        if wants_json(request):
            return JSONResponse(body_of(exc), status_code=status, headers=headers)
        if isinstance(exc, NotAuthenticated):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
        return _page(request, status, TITLES.get(status, "出错了"), body_of(exc)["message"], exc.code)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        details: dict[str, str] = {}
        for err in exc.errors():
            loc = [str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path", "form")]
            details[".".join(loc) or "body"] = _message(err)
        message = "填写有误：" + "；".join(f"{k}{v}" for k, v in details.items()) + "。"
        if wants_json(request):
            return JSONResponse({"code": "INVALID_INPUT", "message": message, "details": details},
                                status_code=422)
        return _page(request, 422, "填写有误", message, "INVALID_INPUT")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = {404: "页面不存在。", 405: "不支持该请求方式。"}.get(exc.status_code, "请求有误。")
        if wants_json(request):
            return JSONResponse({"code": f"HTTP_{exc.status_code}", "message": message},
                                status_code=exc.status_code)
        return _page(request, exc.status_code, TITLES.get(exc.status_code, "出错了"), message)

    @app.exception_handler(PoolTimeout)
    async def _busy(request: Request, exc: PoolTimeout) -> Response:
        # Every database connection stayed busy for the pool's timeout: overload, not a bug.
        log.warning("数据库连接繁忙：%s %s", request.method, request.url.path)
        message = "系统繁忙，请稍后重试。"
        headers = {"Retry-After": "5"}
        if wants_json(request):
            return JSONResponse({"code": "BUSY", "message": message}, status_code=503, headers=headers)
        response = _page(request, 503, "系统繁忙", message, "BUSY")
        response.headers.update(headers)
        return response

    @app.exception_handler(DataError)
    async def _unstorable(request: Request, exc: DataError) -> Response:
        # A value the database refused (too long for its column, a NUL byte…) that no boundary check
        # caught: the request was wrong, not the server; logged so the boundary can be tightened.
        log.warning("数据库拒绝的输入：%s %s：%s", request.method, request.url.path, str(exc.orig)[:200])
        message = "填写的内容超出允许的长度或含有无法保存的字符，请检查后重试。"
        if wants_json(request):
            return JSONResponse({"code": "INVALID_INPUT", "message": message, "details": {}}, status_code=422)
        return _page(request, 422, "填写有误", message, "INVALID_INPUT")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("未处理的错误：%s %s", request.method, request.url.path)
        message = "系统内部错误，请稍后重试；如仍有问题请联系系统管理员。"
        if wants_json(request):
            return JSONResponse({"code": "INTERNAL_ERROR", "message": message}, status_code=500)
        return _page(request, 500, "系统错误", message)
