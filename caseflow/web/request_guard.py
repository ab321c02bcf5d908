"""Refuses, before any route runs, a request whose path or query string the database could not
store or compare: a NUL byte, another control character, or bytes that are not UTF-8. The answer is
a 422 with a code and a Chinese message (JSON under /api, a page elsewhere), never a 500.
"""

from __future__ import annotations

import json
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Receive, Scope, Send

MESSAGE = "地址或查询参数含有无法识别的字符。"


def _clean(raw: bytes) -> bool:
    try:
        text = unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(c) < 32 or c == "\x7f" for c in text)


class RequestGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            raw_path = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "surrogateescape")
            query = scope.get("query_string", b"").replace(b"+", b" ")
            if not (_clean(raw_path) and _clean(query)):
                await _refuse(scope, send)
                return
        await self.app(scope, receive, send)


async def _refuse(scope: Scope, send: Send) -> None:
    if scope.get("path", "").startswith("/api"):
        body = json.dumps({"code": "INVALID_INPUT", "message": MESSAGE, "details": {}},
                          ensure_ascii=False).encode("utf-8")
        kind = b"application/json"
    else:
        body = (f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>填写有误</title>'
                f'<p>{MESSAGE}<a href="/">返回首页</a></p></html>').encode("utf-8")
        kind = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": 422,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
