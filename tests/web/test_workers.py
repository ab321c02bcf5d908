"""Several server processes share the login state: throttling, logout, the session key."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from caseflow.auth.throttle import LoginThrottle, TooManyAttempts
from caseflow.web.app import create_app
from caseflow.web.settings import WebSettings
from tests.helpers import Org
from tests.web.conftest import PASSWORD, login

ROOT = Path(__file__).resolve().parents[2]


def _two_apps(engine: Engine) -> tuple[TestClient, TestClient]:
    settings = WebSettings(secret_key="shared-secret")
    return (TestClient(create_app(engine, settings=settings), raise_server_exceptions=False),
            TestClient(create_app(engine, settings=settings), raise_server_exceptions=False))


def test_failures_on_one_process_count_on_the_other(engine: Engine, web_org: Org) -> None:
    a, b = _two_apps(engine)
    for i in range(5):
        c = a if i % 2 else b
        r = c.post("/api/auth/login", json={"username": "lian", "password": "wrong"})
        assert r.status_code == 401
    for c in (a, b):
        r = c.post("/api/auth/login", json={"username": "lian", "password": PASSWORD})
        assert r.status_code == 429 and r.json()["code"] == "TOO_MANY_ATTEMPTS"


def test_two_processes_count_the_same_attempts_and_forget_them_together(engine: Engine, web_org: Org) -> None:
    now = [datetime(2026, 11, 23, 1, 0, tzinfo=UTC)]
    a, b = (LoginThrottle(engine, clock=lambda: now[0]) for _ in range(2))
    for i in range(5):
        (a if i % 2 else b).admit("Lian ", "10.0.0.1")
    for t in (a, b):
        with pytest.raises(TooManyAttempts) as refused:
            t.admit("lian", "10.0.0.1")
        assert refused.value.retry_after == 900
    b.admit("lian", "10.0.0.2")  # another address
    now[0] += timedelta(seconds=900)
    a.admit("lian", "10.0.0.1")
    b.succeeded("lian", "10.0.0.1")  # a success on one process clears the pair for both
    for _ in range(4):  # (the username's own limit, 10 across addresses, comes next)
        a.admit("lian", "10.0.0.1")


def test_logout_on_one_process_ends_the_session_on_the_other(engine: Engine, web_org: Org) -> None:
    a, b = _two_apps(engine)
    csrf = login(a, "juzhang")
    cookie = a.cookies.get("caseflow_session")
    b.cookies.set("caseflow_session", cookie)
    assert b.get("/api/auth/me").status_code == 200
    assert a.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    r = b.get("/api/auth/me")
    assert r.status_code == 401 and "退出登录" in r.json()["message"]
    login(b, "juzhang")  # a new login works again at once
    assert b.get("/api/auth/me").status_code == 200


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.skipif(os.environ.get("CASEFLOW_TEST_DATABASE_URL", "").startswith("postgresql"),
                    reason="the server's own SQLite file; the shared state is tested above on both")
def test_serve_with_two_workers_accepts_one_login_everywhere(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "CASEFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}"}
    env.pop("CASEFLOW_WEB_SECRET_KEY", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "caseflow.cli.main", "serve", "--port", str(port), "--workers", "2",
         "--no-scheduler"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "server did not start"
            time.sleep(0.5)
        token = httpx.post(f"{base}/api/auth/login", json={"username": "juzhang", "password": "caseflow2026"}
                           ).json()["access_token"]
        for _ in range(40):  # a new connection each time: both workers answer some
            r = httpx.get(f"{base}/api/auth/me", headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 200, r.text
        # the workers are separate processes: uvicorn's supervisor and two children
        out = subprocess.run(["ps", "--ppid", str(proc.pid), "-o", "pid="], capture_output=True, text=True,
                             check=True)
        pids = {p for p in out.stdout.split() if p.strip()}
        assert len(pids) >= 2
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_the_workers_listener_names_tcp_so_replies_are_not_delayed() -> None:
    from caseflow.web.workers import tcp_listener

    sock = tcp_listener("127.0.0.1", 0)
    try:  # asyncio sets TCP_NODELAY on accepted connections only when the listener says TCP
        assert sock.proto == socket.IPPROTO_TCP and sock.get_inheritable()
    finally:
        sock.close()


def test_a_login_holds_one_connection_at_a_time(database_url: str, web_org: Org) -> None:
    """With a pool of one connection a login that held a connection while the throttle asked for
    another would wait for itself until the pool's timeout."""
    from sqlalchemy import create_engine

    args = {"connect_args": {"check_same_thread": False}} if database_url.startswith("sqlite") else {}
    small = create_engine(database_url, pool_size=1, max_overflow=0, pool_timeout=3, **args)
    try:
        c = TestClient(create_app(small, settings=WebSettings(secret_key="s")), raise_server_exceptions=False)
        assert c.post("/api/auth/login", json={"username": "lian", "password": "wrong"}).status_code == 401
        started = time.monotonic()
        r = c.post("/api/auth/login", json={"username": "lian", "password": PASSWORD})
        assert r.status_code == 200 and time.monotonic() - started < 3
    finally:
        small.dispose()
