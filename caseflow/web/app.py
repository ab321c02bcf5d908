"""The application factory: one FastAPI app with the pages, the API under /api and static files."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from swagger_ui_bundle import swagger_ui_path

from caseflow.auth.sessions import SessionSigner
from caseflow.auth.throttle import LoginThrottle
from caseflow.db.session import default_engine
from caseflow.web import errors
from caseflow.web.routes import (
    api_alerts,
    api_auth,
    api_cases,
    api_documents,
    api_reference,
    pages_alerts,
    pages_auth,
    pages_calculator,
    pages_case,
    pages_dashboard,
    pages_new_case,
    pages_review,
    pages_worklist,
)
from caseflow.web.settings import WebSettings
from caseflow.web.templating import STATIC_DIR, make_templates

API_DESCRIPTION = """医疗保障局行政处罚与行政强制（封存）案件办理系统的接口。

先以 `POST /api/auth/login` 登录：返回的 `access_token` 可放在 `Authorization: Bearer …` 中使用；
若使用登录时设置的 Cookie，改变数据的请求须带 `X-CSRF-Token`（登录返回的 `csrf_token`）。
错误：422 逐项说明填写问题，409 为规则拒绝（`code` 为规则代码）或并发冲突（须刷新），
404 为不存在或不属于本机关。"""


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
    for module in (pages_auth, pages_worklist, pages_case, pages_new_case, pages_review,
                   pages_dashboard, pages_calculator, pages_alerts):
        app.include_router(module.router, include_in_schema=False)
    for module in (api_auth, api_cases, api_documents, api_reference, api_alerts):
        app.include_router(module.router, prefix="/api")
    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_path), name="swagger")
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    @app.get("/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        """Swagger UI served from this server (swagger-ui-bundle), never from a CDN."""
        return get_swagger_ui_html(
            openapi_url="/openapi.json", title="caseflow 接口文档",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon-32x32.png",
        )

    return app
