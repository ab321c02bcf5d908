"""`caseflow serve` gives no passwords and believes no proxy unless told: the demo password belongs
to the demo's own users, set once when the demo is seeded; X-Forwarded-For counts only from the
proxies `--forwarded-allow-ips` names (a client cannot choose the address its logins count under)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from caseflow.auth.models import LoginLimit
from caseflow.auth.service import LoginFailed, authenticate
from caseflow.auth.throttle import LoginThrottle
from caseflow.cli.main import app as cli_app
from caseflow.cli.serve_command import DEMO_PASSWORD, seed_demo_if_empty
from caseflow.config import get_settings
from caseflow.db.session import unit_of_work
from caseflow.org.models import Agency, User
from caseflow.org.service import create_user
from caseflow.web.app import create_app
from caseflow.web.settings import WebSettings
from caseflow.web.workers import proxy_options
from tests.helpers import Org


@pytest.fixture
def served(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """`caseflow serve` up to uvicorn.run, which records its arguments instead of serving."""
    import uvicorn

    from caseflow.documents import renderer

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    monkeypatch.setattr(renderer, "warm_up", lambda: None)
    monkeypatch.setenv("CASEFLOW_DATABASE_URL", database_url)
    monkeypatch.delenv("CASEFLOW_WEB_FORWARDED_ALLOW_IPS", raising=False)
    get_settings.cache_clear()
    yield calls
    get_settings.cache_clear()


def _login(engine: Engine, username: str, password: str) -> int:
    return authenticate(engine=engine, username=username, password=password, ip="10.0.0.8",
                        throttle=LoginThrottle(engine))


def test_serve_gives_no_password_to_users_without_one(served: list[dict[str, Any]], engine: Engine,
                                                      org: Org) -> None:
    with unit_of_work(engine) as s:  # someone added to the demo agency without a password
        create_user(db_session=s, agency=s.get(Agency, org.agency_id), username="nopass", full_name="无密码")
    result = CliRunner().invoke(cli_app, ["serve", "--no-scheduler"])
    assert result.exit_code == 0, result.output
    assert served and "演示账号" not in result.stdout  # no demo login works here: none is offered
    with unit_of_work(engine, write=False) as s:
        assert set(s.scalars(select(User.password_hash).where(User.agency_id == org.agency_id))) == {None}
    for username in ("nopass", "juzhang"):
        with pytest.raises(LoginFailed):
            _login(engine, username, DEMO_PASSWORD)


def test_the_demo_password_is_set_once_when_the_demo_is_seeded(engine: Engine) -> None:
    assert seed_demo_if_empty(engine)
    assert _login(engine, "juzhang", DEMO_PASSWORD)
    with unit_of_work(engine) as s:
        agency = s.scalar(select(Agency).where(Agency.name == "栾川县医疗保障局"))
        create_user(db_session=s, agency=agency, username="later", full_name="后加")
    assert not seed_demo_if_empty(engine)  # seeded already: nothing is given again
    with pytest.raises(LoginFailed):
        _login(engine, "later", DEMO_PASSWORD)


def test_serve_trusts_no_proxy_by_default(served: list[dict[str, Any]], org: Org) -> None:
    assert CliRunner().invoke(cli_app, ["serve", "--no-scheduler", "--no-demo"]).exit_code == 0
    assert served[-1]["proxy_headers"] is False and served[-1]["forwarded_allow_ips"] == ""
    r = CliRunner().invoke(cli_app, ["serve", "--no-scheduler", "--no-demo", "--forwarded-allow-ips",
                                     "10.0.0.5, 10.0.0.6"])
    assert r.exit_code == 0 and "10.0.0.5" in r.output
    assert served[-1]["proxy_headers"] is True and served[-1]["forwarded_allow_ips"] == "10.0.0.5,10.0.0.6"


def _serve(engine: Engine, trusted: str) -> tuple[Any, str]:
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(engine, settings=WebSettings(secret_key="p")),
                                           host="127.0.0.1", port=port, log_level="warning",
                                           **proxy_options(trusted)))  # type: ignore[arg-type]
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    return server, f"http://127.0.0.1:{port}"


def _counted_addresses(engine: Engine) -> set[str]:
    with unit_of_work(engine, write=False) as s:
        return set(s.scalars(select(LoginLimit.address).where(LoginLimit.scope == "pair")))


@pytest.mark.parametrize(("trusted", "counted_as"), [("", {"127.0.0.1"}),
                                                      ("127.0.0.1", {f"10.9.0.{i}" for i in range(6)})])
def test_x_forwarded_for_is_believed_only_from_a_configured_proxy(
        engine: Engine, web_org: Org, trusted: str, counted_as: set[str]) -> None:
    server, base = _serve(engine, trusted)
    try:
        codes = [httpx.post(f"{base}/api/auth/login", json={"username": "lian", "password": "wrong"},
                            headers={"X-Forwarded-For": f"10.9.0.{i}"}).status_code for i in range(6)]
    finally:
        server.should_exit = True
    assert _counted_addresses(engine) == counted_as
    # not trusted: six guesses from one connection address, the sixth refused whatever the header says
    assert codes == ([401] * 5 + [429] if not trusted else [401] * 6)
