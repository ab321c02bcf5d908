"""账号管理 and 修改密码 in the browser's terms: the 局负责人 adds a user with posts and a 执法证 and
hands over the one-time password; the user is sent to change it at first login; the head resets a
password and disables an account, whose session ends at once. Others get no account pages."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from caseflow.db.session import unit_of_work
from caseflow.org.models import User
from tests.helpers import Org
from tests.web.conftest import PASSWORD, login

NEW_PASSWORD = "医保基金须依法监管"  # 9 characters: too short
GOOD_PASSWORD = "医保基金须依法依规监管"


def _as_head(client: TestClient) -> str:
    return login(client, "juzhang")


def _add(client: TestClient, csrf: str, **form: object) -> object:
    data = {"csrf_token": csrf, "username": "wangfang", "full_name": "王芳",
            "posts": ["基金监管股·调查岗", "基金监管股·告知岗"], "credential_number": "豫41032026077",
            "valid_from": "2026年1月1日", "valid_until": "2030-12-31"} | form
    return client.post("/accounts/new", data=data, follow_redirects=False)


def _one_time(html: str) -> str:
    found = re.search(r'class="secret mono">([^<]+)<', html)
    assert found, html
    return found.group(1)


def _user_id(engine: Engine, username: str) -> int:
    with unit_of_work(engine, write=False) as s:
        return int(s.scalar(select(User.id).where(User.username == username)))


def test_the_head_adds_a_user_and_hands_over_a_one_time_password(client: TestClient, app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    csrf = _as_head(client)
    page = client.get("/")
    assert 'href="/accounts"' in page.text and 'href="/account/password"' in page.text
    form = client.get("/accounts/new")
    assert form.status_code == 200 and "基金监管股" in form.text and 'value="法制审核股·审查岗"' in form.text
    r = _add(client, csrf)
    assert r.status_code == 200 and "只显示这一次" in r.text
    assert r.headers["Cache-Control"] == "no-store"
    password = _one_time(r.text)
    listing = client.get("/accounts").text
    assert "王芳" in listing and "待改密码" in listing and "豫41032026077" in listing
    assert "新建账号" in listing and "张局长" in listing  # the trail names who did it

    with TestClient(app) as newcomer:
        login(newcomer, "wangfang", password)
        r = newcomer.get("/", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/account/password"
        r = newcomer.get("/api/cases")
        assert r.status_code == 403 and r.json()["code"] == "PASSWORD_CHANGE_REQUIRED"
        page = newcomer.get("/account/password")
        assert "一次性密码" in page.text
        csrf2 = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        r = newcomer.post("/account/password", data={"csrf_token": csrf2, "current_password": password,
                                                     "new_password": NEW_PASSWORD, "repeat_password": NEW_PASSWORD})
        assert r.status_code == 422 and "至少需要10个字符" in r.text and 'href="#f-new_password"' in r.text
        r = newcomer.post("/account/password", data={"csrf_token": csrf2, "current_password": password,
                                                     "new_password": GOOD_PASSWORD, "repeat_password": GOOD_PASSWORD},
                          follow_redirects=False)
        assert r.status_code == 303 and "caseflow_session=" in r.headers["set-cookie"]
        assert "密码已修改" in newcomer.get(r.headers["location"]).text
        assert newcomer.get("/").status_code == 200  # at work, with the new session
        assert "王调查" not in newcomer.get("/accounts").text  # not a head: no account pages
        assert newcomer.get("/accounts").status_code == 403


def test_a_form_with_mistakes_keeps_what_was_typed_and_says_what_is_wrong(client: TestClient) -> None:
    csrf = _as_head(client)
    r = _add(client, csrf, username="Wang Fang", valid_until="2030-02-30")
    assert r.status_code == 422
    assert "2030年2月30日不存在" in r.text and 'href="#f-valid_until"' in r.text
    assert 'value="王芳"' in r.text and 'value="基金监管股·调查岗" checked' in r.text
    r = _add(client, csrf, username="Wang Fang")
    assert r.status_code == 422 and "用户名须为2至50位小写字母" in r.text


def test_the_head_resets_a_password_and_the_old_session_ends(client: TestClient, app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    csrf = _as_head(client)
    lian = _user_id(engine, "lian")
    with TestClient(app) as officer:
        login(officer, "lian")
        assert officer.get("/api/auth/me").status_code == 200
        r = client.post(f"/accounts/{lian}/password", data={"csrf_token": csrf})
        assert r.status_code == 200 and "密码已重置" in r.text
        one_time = _one_time(r.text)
        assert officer.get("/api/auth/me").status_code == 401  # ended at once
        assert officer.post("/api/auth/login", json={"username": "lian", "password": PASSWORD}).status_code == 401
        login(officer, "lian", one_time)
        assert officer.get("/", follow_redirects=False).headers["location"] == "/account/password"
    assert "重置为一次性密码" in client.get(f"/accounts/{lian}").text


def test_disabling_ends_the_users_session_at_once(client: TestClient, app, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    csrf = _as_head(client)
    songda = _user_id(engine, "songda")
    with TestClient(app) as officer:
        login(officer, "songda")
        assert officer.get("/").status_code == 200
        r = client.post(f"/accounts/{songda}/disable", data={"csrf_token": csrf, "reason": "调离"},
                        follow_redirects=False)
        assert r.status_code == 303
        assert "账号已停用" in client.get(r.headers["location"]).text
        assert officer.get("/", follow_redirects=False).headers["location"].startswith("/login")
        r = officer.post("/api/auth/login", json={"username": "songda", "password": PASSWORD})
        assert r.status_code == 401
    page = client.get(f"/accounts/{songda}").text
    assert "已停用" in page and "原因：调离" in page and "重新启用" in page


def test_posts_and_credentials_from_the_users_page(client: TestClient, engine: Engine) -> None:
    csrf = _as_head(client)
    uid = _user_id(engine, "diaocha2")
    r = client.post(f"/accounts/{uid}/posts", data={"csrf_token": csrf, "posts": ["基金监管股·调查岗",
                                                                                 "基金监管股·送达岗"]},
                    follow_redirects=False)
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert "岗位已保存" in page and 'value="基金监管股·送达岗" checked' in page
    r = client.post(f"/accounts/{uid}/credentials", data={"csrf_token": csrf, "credential_number": "豫41032026001",
                                                         "valid_from": "2026-01-01", "valid_until": "2027-01-01"})
    assert r.status_code == 422 and "已登记" in r.text  # 李立安's number
    r = client.post(f"/accounts/{uid}/credentials", data={"csrf_token": csrf, "credential_number": "豫41032026100",
                                                         "valid_from": "2026-01-01", "valid_until": "2027-01-01"},
                    follow_redirects=False)
    assert r.status_code == 303 and "豫41032026100" in client.get(f"/accounts/{uid}").text


def test_account_pages_are_the_heads_own_agencys_and_need_csrf(client: TestClient, web_org: Org) -> None:
    csrf = _as_head(client)
    other = web_org.other_users["ps_lian"]
    assert client.get(f"/accounts/{other}").status_code == 404
    assert client.post(f"/accounts/{other}/disable", data={"csrf_token": csrf}).status_code == 404
    assert client.get("/accounts/99999999999999999999").status_code == 422
    lian = web_org.users["lian"]
    assert client.post(f"/accounts/{lian}/disable", data={}).status_code == 403  # no CSRF token
    me = web_org.users["juzhang"]
    r = client.post(f"/accounts/{me}/disable", data={"csrf_token": csrf})
    assert r.status_code == 422 and "不能停用自己的账号" in r.text


def test_every_user_changes_their_own_password(client: TestClient) -> None:
    csrf = login(client, "shencha")
    assert client.get("/accounts").status_code == 403
    r = client.post("/account/password", data={"csrf_token": csrf, "current_password": "not-mine-at-all",
                                                "new_password": GOOD_PASSWORD, "repeat_password": GOOD_PASSWORD})
    assert r.status_code == 422 and "当前密码不正确" in r.text
    r = client.post("/account/password", data={"csrf_token": csrf, "current_password": PASSWORD,
                                                "new_password": "shencha", "repeat_password": "shencha"})
    assert r.status_code == 422 and "至少需要10个字符" in r.text
    r = client.post("/account/password", data={"csrf_token": csrf, "current_password": PASSWORD,
                                                "new_password": GOOD_PASSWORD, "repeat_password": GOOD_PASSWORD},
                    follow_redirects=False)
    assert r.status_code == 303
    assert client.post("/api/auth/login", json={"username": "shencha", "password": GOOD_PASSWORD}).status_code == 200


def test_guessing_the_current_password_is_throttled_like_a_login(client: TestClient) -> None:
    csrf = login(client, "shencha")
    codes = [client.post("/account/password", data={"csrf_token": csrf, "current_password": f"guess-{i}",
                                                     "new_password": GOOD_PASSWORD,
                                                     "repeat_password": GOOD_PASSWORD}).status_code
             for i in range(6)]
    assert codes == [422] * 5 + [429]
