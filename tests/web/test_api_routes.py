"""Every route of the API (as its OpenAPI lists them) refuses anyone not signed in, with the same
Chinese 401; logging out through the API ends the token."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.helpers import Org
from tests.web.conftest import PASSWORD


def _routes(client: TestClient) -> list[tuple[str, str]]:
    spec = client.get("/openapi.json").json()
    return [(method.upper(), re.sub(r"\{[^}]+\}", "1", path))
            for path, ops in spec["paths"].items() for method in ops]


def test_every_api_route_needs_a_signed_in_user(client: TestClient, web_org: Org) -> None:
    routes = _routes(client)
    assert len(routes) >= 16 and ("GET", "/api/cases/1") in routes
    for method, path in routes:
        if path == "/api/auth/login":
            continue
        r = client.request(method, path, json={})
        assert r.status_code == 401, (method, path, r.status_code)
        body = r.json()
        assert (body["code"], body["message"]) == ("NOT_AUTHENTICATED", "请先登录。"), (method, path)


def test_api_logout_ends_the_token(client: TestClient, web_org: Org) -> None:
    token = client.post("/api/auth/login", json={"username": "lian", "password": PASSWORD}).json()["access_token"]
    client.cookies.clear()
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/auth/me", headers=auth).status_code == 200
    assert client.post("/api/auth/logout", headers=auth).status_code in (200, 204)
    r = client.get("/api/auth/me", headers=auth)
    assert r.status_code == 401 and r.json()["code"] == "NOT_AUTHENTICATED"
