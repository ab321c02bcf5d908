"""The application factory: one FastAPI app with the pages, the API under /api and static files,
wrapped in the security headers and the request body limit (caseflow/web/security.py)."""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from caseflow.auth.service import PasswordChangeRequired
from caseflow.auth.sessions import SessionSigner
from caseflow.auth.throttle import LoginThrottle
from caseflow.db.session import default_engine
from caseflow.web import errors, security
from caseflow.web.request_guard import RequestGuard
from caseflow.web.schemas import ERROR_RESPONSES
from caseflow.web.routes import (
    api_alerts,
    api_auth,
    api_cases,
    api_documents,
    api_evidence,
    api_reference,
    api_violations,
    pages_accounts,
    pages_alerts,
    pages_auth,
    pages_calculator,
    pages_case,
    pages_dashboard,
    pages_evidence,
    pages_new_case,
    pages_password,
    pages_review,
    pages_violations,
    pages_worklist,
    public,
)
from caseflow.web.settings import WebSettings
from caseflow.web.templating import STATIC_DIR, make_templates

API_DESCRIPTION = """医疗保障局行政处罚与行政强制（封存）案件办理系统的接口。

先以 `POST /api/auth/login` 登录：返回的 `access_token` 可放在 `Authorization: Bearer …` 中使用；
若使用登录时设置的 Cookie，改变数据的请求须带 `X-CSRF-Token`（登录返回的 `csrf_token`）。
错误：422 逐项说明填写问题，409 为规则拒绝（`code` 为规则代码）或并发冲突（须刷新），
404 为不存在或不属于本机关，413 为请求过大（证据文件的上传为单个文件上限加 1 MB，其余 2 MB）。
证据文件以 multipart/form-data 上传（字段 `files`），按文件内容识别类型。"""


def create_app(engine: Engine | None = None, *, settings: WebSettings | None = None) -> FastAPI:
    settings = settings or WebSettings()
    app = FastAPI(title="caseflow 案件办理系统", description=API_DESCRIPTION, version="0.1.0",
                  docs_url=None, redoc_url=None)
    app.state.engine = engine or default_engine()
    app.state.settings = settings
    app.state.signer = SessionSigner(settings.key(), max_age=settings.session_max_age)
    app.state.throttle = LoginThrottle(app.state.engine)
    app.state.templates = make_templates()
    errors.install(app)
    app.add_exception_handler(PasswordChangeRequired, _password_change_required)  # type: ignore[arg-type]
    app.add_middleware(RequestGuard)
    security.install(app, max_body=settings.max_body_bytes)
    for module in (pages_auth, pages_worklist, pages_case, pages_evidence, pages_new_case, pages_review,
                   pages_violations, pages_dashboard, pages_calculator, pages_alerts, pages_accounts, pages_password):
        app.include_router(module.router, include_in_schema=False)
    app.include_router(public.router, include_in_schema=False)  # 执法公示: no session needed
    for module in (api_auth, api_cases, api_documents, api_evidence, api_violations, api_reference, api_alerts):
        app.include_router(module.router, prefix="/api", responses=ERROR_RESPONSES)
    app.mount("/static/swagger", StaticFiles(directory=SWAGGER_UI_DIR), name="swagger")
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> PlainTextResponse:
        """The process answers (for a process supervisor or a load balancer in front of several
        `serve` workers): a constant, through the same middleware as every page, no database —
        also the reference the page benchmarks are measured against (bench/web.py)."""
        return PlainTextResponse("ok")

    @app.get("/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        """Swagger UI 5 (it reads OpenAPI 3.1) served from this server — the assets fastapi-offline
        ships, never a CDN — started by a script file (the Content-Security-Policy allows no inline
        script)."""
        return HTMLResponse(SWAGGER_PAGE)

    return app


SWAGGER_UI_DIR = str(Path(fastapi_offline.__file__).parent / "static")
SWAGGER_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>caseflow 接口文档</title>
<link rel="stylesheet" href="/static/swagger/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="/openapi.json"></div>
<script src="/static/swagger/swagger-ui-bundle.js"></script>
<script src="/static/swagger_init.js"></script>
</body>
</html>
"""


async def _password_change_required(request: Request, exc: PasswordChangeRequired) -> Response:
    """A user with a one-time password: the pages go to 修改密码, the API answers 403."""
    if errors.wants_json(request):
        return JSONResponse(exc.to_dict(), status_code=403)
    return RedirectResponse("/account/password", status_code=303)
