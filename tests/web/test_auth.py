"""Logging in: argon2 check, cookie flags, throttling, logout, CSRF."""

from __future__ import annotations

from fastapi.testclient import TestClient

from caseflow.web.app import create_app
from caseflow.web.settings import WebSettings
from tests.web.conftest import PASSWORD, login


def test_login_sets_a_signed_httponly_lax_cookie(client: TestClient) -> None:
    r = client.post("/api/auth/login", json={"username": "shencha", "password": PASSWORD})
    assert r.status_code == 200
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("caseflow_session=")
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower() and "Path=/" in cookie
    assert "Secure" not in cookie
    me = client.get("/api/auth/me").json()
    assert me["username"] == "shencha" and me["agency"] == "栾川县医疗保障局"
    assert me["posts"] == ["法制审核股·审查岗"]


def test_secure_cookie_when_configured(engine, web_org) -> None:  # type: ignore[no-untyped-def]
    app = create_app(engine, settings=WebSettings(secret_key="k", secure_cookies=True))
    with TestClient(app, base_url="https://testserver") as c:
        r = c.post("/api/auth/login", json={"username": "shencha", "password": PASSWORD})
        assert "Secure" in r.headers["set-cookie"]


def test_wrong_password_and_unknown_user_get_the_same_chinese_refusal(client: TestClient) -> None:
    for username in ("shencha", "nobody"):
        r = client.post("/api/auth/login", json={"username": username, "password": "wrong"})
        assert r.status_code == 401
        assert r.json()["message"] == "用户名或密码不正确。"
        assert "caseflow_session" not in r.headers.get("set-cookie", "")


def test_tampered_cookie_is_not_a_session(client: TestClient) -> None:
    login(client, "shencha")
    value = client.cookies.get("caseflow_session")
    client.cookies.set("caseflow_session", value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    assert client.get("/api/auth/me").status_code == 401


def test_five_failures_lock_out_that_username_from_that_address(client: TestClient) -> None:
    for _ in range(5):
        assert client.post("/api/auth/login", json={"username": "lian", "password": "x"}).status_code == 401
    r = client.post("/api/auth/login", json={"username": "lian", "password": PASSWORD})
    assert r.status_code == 429
    assert "登录失败次数过多" in r.json()["message"]
    assert int(r.headers["Retry-After"]) > 0
    # another username from the same address is not affected
    assert client.post("/api/auth/login", json={"username": "shencha", "password": PASSWORD}).status_code == 200


def test_login_page_flow_and_throttle_message(client: TestClient) -> None:
    page = client.get("/login?next=/review")
    assert page.status_code == 200 and "登录" in page.text
    token = client.cookies.get("caseflow_login")
    r = client.post("/login", data={"username": "shencha", "password": PASSWORD, "login_token": token,
                                    "next": "/review"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/review"
    assert "法制审核队列" in client.get("/review").text


def test_login_form_without_its_token_is_refused(client: TestClient) -> None:
    r = client.post("/login", data={"username": "shencha", "password": PASSWORD, "login_token": "forged"})
    assert r.status_code == 403 and "caseflow_session" not in r.headers.get("set-cookie", "")


def test_pages_redirect_to_login_and_api_says_401(client: TestClient) -> None:
    r = client.get("/dashboard", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    r = client.get("/api/cases")
    assert r.status_code == 401 and r.json()["message"] == "请先登录。"


def test_logout_needs_csrf_and_ends_the_session(client: TestClient) -> None:
    csrf = login(client, "juzhang")
    cookie = client.cookies.get("caseflow_session")
    assert client.post("/logout", data={}, follow_redirects=False).status_code == 403
    r = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    client.cookies.set("caseflow_session", cookie)  # replaying the old cookie does not work
    assert client.get("/api/auth/me").status_code == 401


def test_bearer_token_needs_no_csrf(client: TestClient) -> None:
    token = client.post("/api/auth/login", json={"username": "lian", "password": PASSWORD}).json()["access_token"]
    client.cookies.clear()
    r = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and r.json()["username"] == "lian"
