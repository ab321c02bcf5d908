"""The login throttle from its requirement: at most 5 attempts of a username from one address in
15 minutes are checked, however many arrive at once; a username tried from many addresses is
slowed (a growing wait), never locked out; an address trying many usernames is stopped; a success
forgets the pair. Attempts run concurrently against the ASGI app and the service, on the test
database (SQLite, or PostgreSQL with CASEFLOW_TEST_DATABASE_URL)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import Engine

from caseflow.auth import service as auth_service
from caseflow.auth.service import LoginFailed, TooManyAttempts, authenticate
from caseflow.auth.throttle import LoginThrottle
from caseflow.web.app import create_app
from caseflow.web.settings import WebSettings
from tests.helpers import Org
from tests.web.conftest import PASSWORD


class Checks:
    """Counts the password verifications, each made slow enough for attempts to overlap."""

    def __init__(self, real, delay: float) -> None:  # type: ignore[no-untyped-def]
        self.real, self.delay, self.count, self.lock = real, delay, 0, threading.Lock()

    def __call__(self, password_hash: str | None, password: str) -> bool:
        with self.lock:
            self.count += 1
        time.sleep(self.delay)
        return bool(self.real(password_hash, password))


def _quick_verify(password_hash: str | None, password: str) -> bool:
    """What argon2 would answer for the test users (who all have PASSWORD), without its cost."""
    return password_hash is not None and password == PASSWORD


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[Checks]:
    c = Checks(_quick_verify, delay=0.05)
    monkeypatch.setattr(auth_service, "verify_password", c)
    yield c


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth_service, "verify_password", _quick_verify)


def _burst(app, logins: list[tuple[str, str, str]]) -> list[httpx.Response]:  # type: ignore[no-untyped-def]
    """POST /api/auth/login for each (username, password, address) at once."""
    async def run() -> list[httpx.Response]:
        clients = {addr: httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(addr, 40000)),
                                           base_url="http://testserver") for _, _, addr in logins}
        try:
            return list(await asyncio.gather(*(
                clients[addr].post("/api/auth/login", json={"username": u, "password": p})
                for u, p, addr in logins)))
        finally:
            for c in clients.values():
                await c.aclose()
    return asyncio.run(run())


def _app(engine: Engine):  # type: ignore[no-untyped-def]
    return create_app(engine, settings=WebSettings(secret_key="throttle-test"))


def test_forty_concurrent_wrong_passwords_are_checked_at_most_five_times(
        engine: Engine, web_org: Org, checks: Checks) -> None:
    responses = _burst(_app(engine), [("lian", f"wrong-{i}", "10.1.1.1") for i in range(40)])
    refused = [r for r in responses if r.status_code == 429]
    assert 1 <= checks.count <= 5
    assert sum(r.status_code == 401 for r in responses) == checks.count
    assert len(refused) == 40 - checks.count
    for r in refused:
        assert r.json()["code"] == "TOO_MANY_ATTEMPTS" and "登录失败次数过多" in r.json()["message"]
        assert int(r.headers["Retry-After"]) > 0


def test_the_right_password_is_refused_while_the_pair_is_blocked(
        engine: Engine, web_org: Org, checks: Checks) -> None:
    app = _app(engine)
    _burst(app, [("lian", "wrong", "10.1.1.2")] * 5)
    assert checks.count == 5
    burst = [("lian", "wrong", "10.1.1.2")] * 19 + [("lian", PASSWORD, "10.1.1.2")]
    responses = _burst(app, burst)
    assert [r.status_code for r in responses] == [429] * 20
    assert checks.count == 5  # none of them was checked
    assert all("caseflow_session" not in r.headers.get("set-cookie", "") for r in responses)
    # the same username from another address is not blocked by this pair
    assert _burst(app, [("lian", PASSWORD, "10.1.1.3")])[0].status_code == 200


def test_one_right_password_among_wrong_ones_is_checked_only_within_the_limit(
        engine: Engine, web_org: Org, checks: Checks) -> None:
    burst = [("lian", "wrong", "10.1.1.4")] * 19 + [("lian", PASSWORD, "10.1.1.4")]
    responses = _burst(_app(engine), burst)
    # The pair allows 5; but when the right password is checked early, its success forgets the pair
    # (by design) and the wrong ones after it start a new count: what always bounds the burst is the
    # username's own limit: 10 attempts before it slows, and a success takes only itself off it —
    # at most 10 wrong passwords and the right one are ever checked.
    assert checks.count <= 11
    assert sum(r.status_code == 200 for r in responses) <= 1
    assert sum(r.status_code in (200, 401) for r in responses) == checks.count


def test_many_addresses_at_once_are_slowed_per_username(engine: Engine, web_org: Org, checks: Checks) -> None:
    responses = _burst(_app(engine), [("lian", "wrong", f"10.2.0.{i}") for i in range(40)])
    assert checks.count <= 10
    refused = [r for r in responses if r.status_code == 429]
    assert len(refused) == 40 - checks.count
    assert all(r.json()["details"]["limit"] == "username" for r in refused)


def test_one_address_trying_many_usernames_is_stopped(engine: Engine, web_org: Org, checks: Checks) -> None:
    app = _app(engine)
    responses = _burst(app, [(f"guess{i}", "wrong", "10.3.0.1") for i in range(40)])
    assert checks.count <= 30
    assert sum(r.status_code == 429 for r in responses) == 40 - checks.count
    # a real user behind that address waits too; elsewhere they log in
    r = _burst(app, [("shencha", PASSWORD, "10.3.0.1"), ("shencha", PASSWORD, "10.3.0.2")])
    assert [x.status_code for x in r] == [429, 200]
    assert r[0].json()["details"]["limit"] == "address"


def test_concurrent_attempts_through_the_service_in_threads(engine: Engine, web_org: Org, checks: Checks) -> None:
    throttle = LoginThrottle(engine)

    def attempt(i: int) -> str:
        try:
            authenticate(engine=engine, username="Lian ", password="wrong", ip="10.4.0.1", throttle=throttle)
        except TooManyAttempts:
            return "refused"
        except LoginFailed:
            return "failed"
        return "in"

    with ThreadPoolExecutor(max_workers=40) as pool:
        outcomes = list(pool.map(attempt, range(40)))
    assert outcomes.count("failed") == checks.count <= 5
    assert outcomes.count("refused") == 40 - checks.count


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _try(engine: Engine, throttle: LoginThrottle, username: str, password: str, ip: str) -> int | str:
    try:
        return authenticate(engine=engine, username=username, password=password, ip=ip, throttle=throttle)
    except TooManyAttempts as exc:
        return f"wait {exc.retry_after}"
    except LoginFailed:
        return "wrong"


def test_the_pair_waits_fifteen_minutes_after_its_fifth_attempt(engine: Engine, web_org: Org, quick: None) -> None:
    clock = Clock()
    throttle = LoginThrottle(engine, clock=clock)
    for _ in range(5):
        assert _try(engine, throttle, "lian", "x", "10.5.0.1") == "wrong"
        clock.advance(60)
    clock.advance(-60)  # the fifth was at 4 minutes
    assert _try(engine, throttle, "lian", PASSWORD, "10.5.0.1") == "wait 900"
    clock.advance(600)
    assert _try(engine, throttle, "lian", PASSWORD, "10.5.0.1") == "wait 300"  # refusals count nothing
    clock.advance(300)
    assert _try(engine, throttle, "lian", PASSWORD, "10.5.0.1") == web_org.users["lian"]


def test_a_success_forgets_the_pairs_failures(engine: Engine, web_org: Org, quick: None) -> None:
    throttle = LoginThrottle(engine, clock=Clock())
    for _ in range(4):
        assert _try(engine, throttle, "lian", "x", "10.6.0.1") == "wrong"
    assert _try(engine, throttle, "LIAN", PASSWORD, "10.6.0.1") == "wrong"  # names are exact…
    assert _try(engine, throttle, "lian", PASSWORD, "10.6.0.1") == "wait 900"  # …their count is not
    throttle2 = LoginThrottle(engine, clock=Clock())
    for _ in range(4):
        assert _try(engine, throttle2, "shencha", "x", "10.6.0.2") == "wrong"
    assert _try(engine, throttle2, "shencha", PASSWORD, "10.6.0.2") == web_org.users["shencha"]
    for _ in range(5):  # five new attempts before the pair waits again
        assert _try(engine, throttle2, "shencha", "x", "10.6.0.2") == "wrong"
    assert _try(engine, throttle2, "shencha", "x", "10.6.0.2").startswith("wait")


def test_a_username_under_attack_is_slowed_never_locked_out(engine: Engine, web_org: Org, quick: None) -> None:
    clock = Clock()
    throttle = LoginThrottle(engine, clock=clock)
    for i in range(10):  # an attacker from ten addresses
        assert _try(engine, throttle, "juzhang", "x", f"10.7.0.{i}") == "wrong"
    waits = []
    for i in range(10, 20):  # each further attempt waits longer: 5 s, 10 s, … at most 10 minutes
        outcome = _try(engine, throttle, "juzhang", "x", f"10.7.0.{i}")
        assert isinstance(outcome, str) and outcome.startswith("wait")
        waits.append(int(outcome.split()[1]))
        clock.advance(waits[-1])
        assert _try(engine, throttle, "juzhang", "x", f"10.7.0.{i}") == "wrong"
    assert waits == [5, 10, 20, 40, 80, 160, 320, 600, 600, 600]
    # the real head, at the office: told how long to wait, then let in
    outcome = _try(engine, throttle, "juzhang", PASSWORD, "10.9.9.9")
    assert outcome == "wait 600"
    clock.advance(600)
    assert _try(engine, throttle, "juzhang", PASSWORD, "10.9.9.9") == web_org.users["juzhang"]
    clock.advance(3600)  # an hour without attempts: forgotten
    for i in range(10):
        assert _try(engine, throttle, "juzhang", "x", f"10.8.0.{i}") == "wrong"


def test_an_address_is_limited_for_fifteen_minutes_from_its_first_attempt(engine: Engine, web_org: Org, quick: None) -> None:
    clock = Clock()
    throttle = LoginThrottle(engine, clock=clock)
    for i in range(30):
        assert _try(engine, throttle, f"guess{i}", "x", "10.10.0.1") == "wrong"
        clock.advance(10)
    assert _try(engine, throttle, "lian", PASSWORD, "10.10.0.1") == "wait 600"
    clock.advance(600)
    assert _try(engine, throttle, "lian", PASSWORD, "10.10.0.1") == web_org.users["lian"]


def test_a_success_does_not_count_against_the_address(engine: Engine, web_org: Org, quick: None) -> None:
    """An office behind one address: everybody's morning logins are no attack."""
    throttle = LoginThrottle(engine, clock=Clock())
    for _ in range(3):
        for name in web_org.users:
            assert _try(engine, throttle, name, PASSWORD, "10.11.0.1") == web_org.users[name]
    assert len(web_org.users) * 3 > 30


@pytest.mark.parametrize("username", ["lian\x00", "\ud800", "x" * 5000, "li an\n", ""])
def test_names_no_account_can_have_are_refused_like_a_wrong_password(
        engine: Engine, web_org: Org, username: str) -> None:
    throttle = LoginThrottle(engine)
    assert _try(engine, throttle, username, PASSWORD, "10.12.0.1") == "wrong"
    assert _try(engine, throttle, "lian", "\ud800\x00", "10.12.0.1") == "wrong"


def test_forgotten_counts_are_removed(engine: Engine, web_org: Org, quick: None) -> None:
    from sqlalchemy import select

    from caseflow.auth.models import LoginLimit
    from caseflow.db.session import unit_of_work

    clock = Clock()
    LoginThrottle(engine, clock=clock).admit("old-name", "10.13.0.1")
    clock.advance(2 * 3600)
    LoginThrottle(engine, clock=clock).admit("new-name", "10.13.0.2")  # a new process sweeps at once
    with unit_of_work(engine, write=False) as s:
        keys = {tuple(r) for r in s.execute(select(LoginLimit.username, LoginLimit.address))}
    assert keys == {("new-name", "10.13.0.2"), ("new-name", ""), ("", "10.13.0.2")}
