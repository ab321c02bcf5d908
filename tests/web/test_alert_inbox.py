"""The alert inbox (提醒): the service keyed by the user, the 「提醒」 count in the navigation bar,
the /alerts page with its forms, /api/alerts — and nobody sees or marks anybody else's alerts."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from caseflow.alerts import inbox as alert_inbox
from caseflow.alerts.models import AlertKind
from caseflow.alerts.sweep import sweep
from caseflow.db.session import unit_of_work
from tests.helpers import Org, Runner, open_case, sh, through, walk
from tests.web.conftest import case_path, login
from tests.web.test_pages import csrf_of


@pytest.fixture
def alerted(engine: Engine, web_org: Org) -> str:
    """A decided case whose 七日送达 (last day 2026-07-16) was reminded on 07-15, then went overdue:
    two alerts, each addressed to diaocha1 (an officer), juzhang, songda, jjgz, diaocha2."""
    no = open_case(engine, web_org)
    runner = Runner(engine, web_org, reload=True)
    walk(runner, no, through("decide_penalty"))
    runner.fire(no, "publish_decision", "shencha", "2026-07-07 10:00")  # 公示 met: only 七日送达 runs
    assert sweep(engine, now=sh("2026-07-15 08:00")).reminders == 1
    assert sweep(engine, now=sh("2026-07-17 00:00")).overdue == 1
    return no


def rows(engine: Engine, user_id: int, **kw: object) -> list[alert_inbox.InboxRow]:
    with unit_of_work(engine, write=False) as s:
        return alert_inbox.inbox(s, user_id=user_id, **kw)  # type: ignore[arg-type]


def unread(engine: Engine, user_id: int) -> int:
    with unit_of_work(engine, write=False) as s:
        return alert_inbox.unread_count(s, user_id=user_id)


def nav_count(html: str) -> int | None:
    """The number on the 「提醒」 link, None when it shows none; the link is there either way."""
    m = re.search(r'<a href="/alerts"[^>]*id="nav-alerts"[^>]*>提醒(.*?)</a>', html)
    assert m, "no 「提醒」 link in the navigation bar"
    n = re.search(r'class="nav-count"[^>]*>(\d+)<', m.group(1))
    return int(n.group(1)) if n else None


# ── the service ──────────────────────────────────────────────────────────
def test_inbox_lists_my_alerts_newest_first_and_marks_only_mine(engine: Engine, web_org: Org,
                                                                 alerted: str) -> None:
    me, other = web_org.users["diaocha1"], web_org.other_users["ps_head"]
    mine = rows(engine, me)
    assert [(r.kind, r.kind_label, r.role_label) for r in mine] == [
        (AlertKind.overdue, "已逾期", "承办人"), (AlertKind.reminder, "即将到期", "承办人")]
    assert all(r.case_no == alerted and r.case_title == "测试案件" and r.unread for r in mine)
    assert mine[0].due_at == sh("2026-07-17 00:00") and mine[0].raised_at == sh("2026-07-17 00:00")
    assert "已逾期" in mine[0].message
    assert rows(engine, other) == [] and unread(engine, other) == 0
    assert unread(engine, me) == 2

    ids = [r.id for r in mine]
    with unit_of_work(engine) as s:  # someone else's ids change nothing
        assert alert_inbox.mark_read(s, user_id=other, recipient_ids=ids) == 0
        assert alert_inbox.mark_read(s, user_id=other, recipient_ids=None) == 0
    assert unread(engine, me) == 2

    with unit_of_work(engine) as s:
        assert alert_inbox.mark_read(s, user_id=me, recipient_ids=[ids[0]], now=sh("2026-07-17 09:00")) == 1
        assert alert_inbox.mark_read(s, user_id=me, recipient_ids=[ids[0]]) == 0  # read already
        assert alert_inbox.mark_read(s, user_id=me, recipient_ids=[]) == 0
    after = rows(engine, me)
    assert [r.id for r in after] == [ids[1], ids[0]]  # unread first
    assert after[1].read_at == sh("2026-07-17 09:00")
    assert [r.id for r in rows(engine, me, unread_only=True)] == [ids[1]]
    assert unread(engine, web_org.users["juzhang"]) == 2  # the same alerts, another recipient

    with unit_of_work(engine) as s:
        assert alert_inbox.mark_read(s, user_id=me, recipient_ids=None) == 1
    assert unread(engine, me) == 0 and rows(engine, me, unread_only=True) == []
    read_first = next(r for r in rows(engine, me) if r.id == ids[0])
    assert read_first.read_at == sh("2026-07-17 09:00")  # its first read time is kept


# ── the pages ────────────────────────────────────────────────────────────
def test_nav_shows_the_unread_count_on_every_page(client: TestClient, engine: Engine, web_org: Org,
                                                  alerted: str) -> None:
    login(client, "diaocha1")
    for path in ("/", "/cases", "/review", "/legal-time", "/alerts"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert nav_count(r.text) == 2, path
    r = client.get(f"/cases/{case_path(alerted)}")  # opening the case reads its alerts
    assert r.status_code == 200 and nav_count(r.text) is None
    # A page for an error still renders, with the link (its count left out: no query on the loop).
    r = client.get("/cases/不存在的案号")
    assert r.status_code == 404 and nav_count(r.text) is None


def test_alerts_page_lists_them_with_case_links_and_times_in_beijing(client: TestClient, engine: Engine,
                                                                     web_org: Org, alerted: str) -> None:
    login(client, "diaocha1")
    html = client.get("/alerts").text
    assert "我的提醒" in html and "未读 2 条" in html
    assert html.count(f'href="/cases/{case_path(alerted)}"') == 2
    assert 'class="overdue unread"' in html and 'class="reminder unread"' in html
    assert html.index("已逾期") < html.index("即将到期")  # newest first
    assert "2026-07-16 24时" in html  # the day period's end, 北京时间
    assert "2026-07-15 08:00" in html  # when the reminder was raised
    assert "全部标为已读" in html and html.count('>已读</button>') == 2
    assert 'name="csrf_token"' in html


def test_marking_read_from_the_page_changes_the_count(client: TestClient, engine: Engine, web_org: Org,
                                                      alerted: str) -> None:
    me = web_org.users["diaocha1"]
    login(client, "diaocha1")
    csrf = csrf_of(client.get("/alerts").text)
    first = rows(engine, me)[0].id

    r = client.post(f"/alerts/{first}/read", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/alerts"
    html = client.get(r.headers["location"]).text
    assert nav_count(html) == 1 and "未读 1 条" in html
    assert html.count('>已读</button>') == 1 and 'class="overdue read"' in html

    r = client.post("/alerts/read-all", data={"csrf_token": csrf, "view": "unread"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/alerts?marked=1&view=unread"
    html = client.get(r.headers["location"]).text
    assert "已将 1 条提醒标为已读" in html and "没有未读提醒" in html
    assert nav_count(html) is None
    assert unread(engine, me) == 0 and unread(engine, web_org.users["juzhang"]) == 2


def test_page_forms_need_csrf(client: TestClient, engine: Engine, web_org: Org, alerted: str) -> None:
    me = web_org.users["diaocha1"]
    login(client, "diaocha1")
    first = rows(engine, me)[0].id
    for path in (f"/alerts/{first}/read", "/alerts/read-all"):
        r = client.post(path, data={"csrf_token": "forged"}, follow_redirects=False)
        assert r.status_code == 403 and "CSRF" in r.text, path
        assert client.post(path, data={}, follow_redirects=False).status_code == 403
    assert unread(engine, me) == 2


def test_another_agencys_user_sees_none_and_cannot_mark_them(client: TestClient, engine: Engine,
                                                             web_org: Org, alerted: str) -> None:
    theirs = [r.id for r in rows(engine, web_org.users["diaocha1"])]
    csrf = login(client, "ps_head")
    html = client.get("/alerts").text
    assert "暂无提醒" in html and alerted not in html and nav_count(html) is None

    api = client.get("/api/alerts").json()
    assert api["unread"] == 0 and api["items"] == []
    r = client.post("/api/alerts/read", json={"ids": theirs}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200 and r.json() == {"changed": 0, "unread": 0}
    assert client.post("/api/alerts/read", json={}, headers={"X-CSRF-Token": csrf}).json()["changed"] == 0
    page_csrf = csrf_of(html)
    r = client.post(f"/alerts/{theirs[0]}/read", data={"csrf_token": page_csrf}, follow_redirects=False)
    assert r.status_code == 303  # silently nothing: the row is not theirs
    r = client.post("/alerts/read-all", data={"csrf_token": page_csrf}, follow_redirects=False)
    assert r.headers["location"] == "/alerts?marked=0"
    assert unread(engine, web_org.users["diaocha1"]) == 2


def test_not_signed_in(client: TestClient, alerted: str) -> None:
    r = client.get("/alerts", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert client.get("/api/alerts").status_code == 401
    assert client.post("/api/alerts/read", json={}).status_code == 401


# ── the API ──────────────────────────────────────────────────────────────
def test_api_lists_and_marks_read(client: TestClient, engine: Engine, web_org: Org, alerted: str) -> None:
    csrf = login(client, "diaocha1")
    body = client.get("/api/alerts").json()
    assert body["unread"] == 2 and len(body["items"]) == 2
    top = body["items"][0]
    assert top["kind"] == "overdue" and top["kind_name"] == "已逾期"
    assert top["case_no"] == alerted and top["case_title"] == "测试案件"
    assert top["role"] == "officer" and top["role_name"] == "承办人"
    assert top["due_at"] == "2026-07-17 00:00" and top["read_at"] is None

    r = client.post("/api/alerts/read", json={"ids": [top["id"]]}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200 and r.json() == {"changed": 1, "unread": 1}
    listed = client.get("/api/alerts?unread=true").json()
    assert [a["kind"] for a in listed["items"]] == ["reminder"] and listed["unread"] == 1
    everything = client.get("/api/alerts").json()["items"]
    assert everything[1]["id"] == top["id"] and everything[1]["read_at"] is not None

    r = client.post("/api/alerts/read", json={}, headers={"X-CSRF-Token": csrf})
    assert r.json() == {"changed": 1, "unread": 0}
    assert client.get("/api/alerts?unread=true").json()["items"] == []


def test_api_read_needs_csrf_with_the_cookie_but_not_with_a_token(client: TestClient, engine: Engine,
                                                                  web_org: Org, alerted: str) -> None:
    login(client, "diaocha1")
    r = client.post("/api/alerts/read", json={})
    assert r.status_code == 403 and r.json()["code"]
    r = client.post("/api/alerts/read", json={}, headers={"X-CSRF-Token": "forged"})
    assert r.status_code == 403
    assert unread(engine, web_org.users["diaocha1"]) == 2

    token = client.post("/api/auth/login", json={"username": "juzhang", "password": "test-pass-2026"}
                        ).json()["access_token"]
    client.cookies.clear()
    r = client.post("/api/alerts/read", json={"ids": []}, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and r.json() == {"changed": 0, "unread": 2}
    r = client.post("/api/alerts/read", json={"ids": ["x"]}, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 422
