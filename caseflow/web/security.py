"""What every response carries and every request may be: security headers and the body limit.

Headers: a Content-Security-Policy that runs scripts only from this server's files (no inline
script, no `on…=` handlers, no `javascript:` links — the pages' behaviour is in /static/*.js), lets
no other site frame a page (`frame-ancestors 'none'` and X-Frame-Options DENY), X-Content-Type-
Options nosniff and Referrer-Policy same-origin. Swagger UI at /docs sets styles inline: its policy
allows inline styles, still no inline script (its start-up is /static/swagger_init.js).

Bodies: a request body over `max_body` bytes (2 MB; JSON and forms) is refused with 413 before the
application reads it — JSON under /api, a Chinese page elsewhere — whether it declares its length or
is sent in chunks (read up to the limit, then handed on). The routes that take a file (证据材料
uploads, `UPLOAD_PATHS`) take the evidence settings' per-file limit plus 1 MiB for the form around
it; a chunked upload is never buffered here: its bytes are counted as the route reads them, and the
read that passes the limit raises `BodyTooLarge` (answered with the same 413).

The middleware wraps the whole application, the error handler of last resort included, so even a
500 page carries the headers.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from caseflow.config import get_settings

_BASE = ("default-src 'self'; script-src 'self'; img-src 'self' data:; font-src 'self'; "
         "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
         "frame-ancestors 'none'")
CSP = _BASE + "; style-src 'self'"
DOCS_CSP = _BASE + "; style-src 'self' 'unsafe-inline'"
HEADERS = ((b"x-frame-options", b"DENY"), (b"x-content-type-options", b"nosniff"),
           (b"referrer-policy", b"same-origin"), (b"cross-origin-opener-policy", b"same-origin"))
# The routes that take files: 登记证据 (with its files) and 上传文件, as pages and under /api.
UPLOAD_PATHS = re.compile(r"^/(?:api/)?cases/[^/]+/evidence(?:/\d+/files)?$")
TOO_LARGE_CODE = "REQUEST_TOO_LARGE"


def upload_limit() -> int:
    """The largest upload request: one file at the per-file limit, plus 1 MiB for the form."""
    return (get_settings().evidence_max_file_mib + 1) << 20


def too_large_message(limit: int) -> str:
    return f"提交的内容超过 {limit / 1024 / 1024:g} MB，无法处理。请减少内容后重试。"


class BodyTooLarge(Exception):
    """A chunked upload passed its limit while the route was reading it."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


def _too_large_body(limit: int) -> dict[str, Any]:
    return {"code": TOO_LARGE_CODE, "message": too_large_message(limit), "details": {"max_bytes": limit}}


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, *, max_body: int, templates: Any) -> None:
        self.app, self.max_body, self.templates = app, max_body, templates

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = (DOCS_CSP if scope["path"] == "/docs" else CSP).encode()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in ((b"content-security-policy", csp), *HEADERS) if k not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        upload = UPLOAD_PATHS.match(scope["path"]) is not None
        limit = upload_limit() if upload else self.max_body
        headers = dict(scope.get("headers", []))
        length = headers.get(b"content-length")
        if length is not None:
            declared = int(length) if length.isdigit() else limit + 1
            if declared > limit:
                await self._too_large(scope, send_with_headers, limit)
                return
        elif headers.get(b"transfer-encoding") is not None and upload:
            receive = _counted(receive, limit)  # an upload is streamed to disk, never held here
        elif headers.get(b"transfer-encoding") is not None:
            body = await _read_up_to(receive, limit)
            if body is None:
                await self._too_large(scope, send_with_headers, limit)
                return
            receive = _replay(body, receive)
        await self.app(scope, receive, send_with_headers)

    async def _too_large(self, scope: Scope, send: Send, limit: int) -> None:
        if scope["path"].startswith("/api"):
            body = json.dumps(_too_large_body(limit), ensure_ascii=False).encode()
            await _respond(send, 413, body, b"application/json")
            return
        page = _too_large_page(self.templates, Request(scope), limit)
        await _respond(send, 413, page.encode(), b"text/html; charset=utf-8")


def _too_large_page(templates: Any, request: Request, limit: int) -> str:
    return templates.get_template("error.html").render(
        request=request, viewer=None, title="内容过大", message=too_large_message(limit), code=TOO_LARGE_CODE)


def _counted(receive: Receive, limit: int) -> Receive:
    """`receive`, raising BodyTooLarge once the body read so far passes `limit` bytes."""
    size = 0

    async def counted() -> Message:
        nonlocal size
        message = await receive()
        if message["type"] == "http.request":
            size += len(message.get("body", b""))
            if size > limit:
                raise BodyTooLarge(limit)
        return message

    return counted


async def _body_too_large(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BodyTooLarge)
    headers = {"Connection": "close"}
    if request.url.path.startswith("/api"):
        return JSONResponse(_too_large_body(exc.limit), status_code=413, headers=headers)
    page = _too_large_page(request.app.state.templates, request, exc.limit)
    return HTMLResponse(page, status_code=413, headers=headers)


async def _read_up_to(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None as soon as it passes `limit` bytes."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # then the disconnect, when it comes

    return replay


async def _respond(send: Send, status: int, body: bytes, content_type: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def install(app: FastAPI, *, max_body: int) -> None:
    """Wrap the application's whole middleware stack (built at the first request)."""
    app.add_exception_handler(BodyTooLarge, _body_too_large)
    build = app.build_middleware_stack

    def build_wrapped() -> ASGIApp:
        return SecurityMiddleware(build(), max_body=max_body, templates=app.state.templates)

    app.build_middleware_stack = build_wrapped  # type: ignore[method-assign]
