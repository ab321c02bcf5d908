"""Every response carries the security headers — pages, API, static files, errors, /docs — and no
page holds a script the Content-Security-Policy would block; a body over 2 MB is refused with 413
(JSON under /api, a Chinese page elsewhere) whether or not it declares its length."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from caseflow.web.templating import STATIC_DIR, TEMPLATES_DIR
from tests.web.conftest import login

MB = 1024 * 1024


def _check_headers(r) -> str:  # type: ignore[no-untyped-def]
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] in ("same-origin", "strict-origin", "no-referrer")
    csp = r.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["frame-ancestors"] == "'none'"
    assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert directives["object-src"] == "'none'"
    return csp


@pytest.mark.parametrize("path", ["/login", "/api/auth/me", "/static/caseflow.css", "/no-such-page",
                                  "/api/no-such", "/openapi.json"])
def test_every_response_carries_the_headers(client: TestClient, path: str) -> None:
    _check_headers(client.get(path))


def test_signed_in_pages_and_errors_carry_them_too(client: TestClient) -> None:
    login(client, "lian")
    for path in ("/", "/alerts", "/account/password", "/accounts", "/cases/99999"):
        csp = _check_headers(client.get(path))
        assert "style-src 'self'" in csp and "unsafe-inline" not in csp


def test_an_unexpected_error_page_carries_them(app, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from caseflow.web.routes import pages_auth

    def boom(*a, **kw):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setattr(pages_auth, "_form", boom)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/login")
    assert r.status_code == 500
    _check_headers(r)


def test_swagger_ui_keeps_working_without_inline_script(client: TestClient) -> None:
    r = client.get("/docs")
    csp = _check_headers(r)
    assert "<script>" not in r.text and "/static/swagger_init.js" in r.text
    assert "style-src 'self' 'unsafe-inline'" in csp  # Swagger UI styles itself inline
    assert client.get("/static/swagger_init.js").status_code == 200


def test_no_template_or_static_page_holds_inline_script() -> None:
    for page in [*TEMPLATES_DIR.glob("*.html"), *STATIC_DIR.glob("*.html")]:
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"inline <script> in {page.name}"
        assert not re.search(r"\son[a-z]+\s*=", html), f"an on… handler in {page.name}"
        assert "javascript:" not in html, page.name


def test_a_json_body_over_2_mb_is_refused_with_413(client: TestClient) -> None:
    body = b'{"username": "' + b"x" * (2 * MB) + b'", "password": "y"}'
    r = client.post("/api/auth/login", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.json()["code"] == "REQUEST_TOO_LARGE" and "超过 2 MB" in r.json()["message"]
    _check_headers(r)
    # just under the limit is read as usual
    ok = client.post("/api/auth/login", json={"username": "x" * (MB), "password": "y"})
    assert ok.status_code in (401, 422)


def test_a_form_over_2_mb_gets_a_chinese_page(client: TestClient) -> None:
    r = client.post("/login", data={"username": "x" * (2 * MB + 10), "password": "y", "login_token": "t"})
    assert r.status_code == 413 and "text/html" in r.headers["content-type"]
    assert "内容过大" in r.text and "超过 2 MB" in r.text


def test_a_chunked_body_is_stopped_at_the_limit(client: TestClient) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(3):
            yield b"x" * MB

    r = client.post("/api/auth/login", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["code"] == "REQUEST_TOO_LARGE"


def test_a_small_chunked_body_reaches_the_route_whole(client: TestClient) -> None:
    from tests.web.conftest import PASSWORD

    def chunks():  # type: ignore[no-untyped-def]
        yield b'{"username": "lian", '
        yield ('"password": "' + PASSWORD + '"}').encode()

    r = client.post("/api/auth/login", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 200 and r.json()["access_token"]


def test_healthz_answers_without_a_session_and_carries_the_headers(client: TestClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200 and r.text == "ok"
    _check_headers(r)
