"""Web fixtures: the test organisation with passwords, an app on the test database, a client."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update

from caseflow.auth.passwords import hash_password
from caseflow.db.session import unit_of_work
from caseflow.org.models import User
from caseflow.web.app import create_app
from caseflow.web.settings import WebSettings
from tests.helpers import Org

PASSWORD = "test-pass-2026"


@pytest.fixture(scope="session")
def password_hash() -> str:
    return hash_password(PASSWORD)


@pytest.fixture
def web_org(engine: Engine, org: Org, password_hash: str) -> Org:
    with unit_of_work(engine) as s:
        s.execute(update(User).values(password_hash=password_hash))
    return org


@pytest.fixture
def app(engine: Engine, web_org: Org):  # type: ignore[no-untyped-def]
    return create_app(engine, settings=WebSettings(secret_key="test-secret"))


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the API; the client keeps the cookie. Returns the CSRF token."""
    r = client.post("/api/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return r.json()["csrf_token"]


def case_path(case_no: str) -> str:
    return quote(case_no)


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    """The case ids the background renderer was asked for, instead of rendering."""
    from caseflow.web import documents as web_documents

    calls: list[int | None] = []
    monkeypatch.setattr(web_documents, "render_pending",
                        lambda engine, *, case_id=None: calls.append(case_id) or 0)
    return calls
