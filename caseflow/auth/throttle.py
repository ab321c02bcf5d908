"""Login throttling that holds under any concurrency: an attempt is counted before its password is
checked, and only a counted attempt is checked.

Three limits, each a row of `login_limits` counted by one conditional upsert (INSERT … ON CONFLICT
DO UPDATE, on SQLite and PostgreSQL alike) that admits the attempt and counts it in the same
statement, so two attempts can never both take the last place:

- a username from one address (pair): 5 attempts, then none until 15 minutes after the last;
- a username from every address: 10 attempts, then a wait that doubles from 5 seconds to at most
  10 minutes between attempts (slowed, never locked out), forgotten after an hour without one;
- an address for every username: 30 attempts in 15 minutes (from the first of them).

One attempt's three upserts run in one transaction, always in that order (PostgreSQL holds each
row's lock to the commit, SQLite the database's write lock), and a refusal rolls all three back:
only attempts whose password is checked are counted. A success forgets the pair and takes its own
attempt off the username's and the address's counts. Every server process shares the rows.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, case, delete, literal, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from caseflow.auth.models import LoginLimit
from caseflow.db.base import utcnow
from caseflow.db.session import unit_of_work
from caseflow.db.types import UTCDateTime
from caseflow.errors import CaseflowError

log = logging.getLogger("caseflow.auth")


@dataclass(frozen=True)
class Limit:
    scope: str
    free: int  # attempts admitted one after the other
    forget_after: int  # seconds after the last attempt (or the first, `fixed`) the count starts over
    fixed: bool = False
    waits: tuple[int, ...] = ()  # seconds to wait after attempt free, free+1, …; () until forgotten
    message: str = "登录失败次数过多，请{wait}后再试。"


PAIR = Limit("pair", free=5, forget_after=15 * 60)
USERNAME = Limit("username", free=10, forget_after=60 * 60, waits=(5, 10, 20, 40, 80, 160, 320, 600),
                 message="该用户名近期登录失败较多，为防止猜测密码，请{wait}后再试。")
ADDRESS = Limit("address", free=30, forget_after=15 * 60, fixed=True,
                message="本机所在网络近期登录失败过多，请{wait}后再试。")
LIMITS = (PAIR, USERNAME, ADDRESS)
SWEEP_EVERY = 600  # seconds between removals of forgotten rows, per process


class TooManyAttempts(CaseflowError):
    code = "TOO_MANY_ATTEMPTS"

    def __init__(self, retry_after: int, message: str = PAIR.message, scope: str = "pair") -> None:
        wait = f"{retry_after}秒" if retry_after < 60 else f"{math.ceil(retry_after / 60)}分钟"
        super().__init__(message.format(wait=wait), details={"retry_after": retry_after, "limit": scope})
        self.retry_after = retry_after


def _key_part(text: str, size: int) -> str:
    """The text as stored in a key: lower-cased; a digest when it is too long or not plain text
    (a NUL, a control character or an unpaired surrogate could not be stored on PostgreSQL)."""
    value = text.strip().lower()
    try:
        value.encode("utf-8")
        plain = len(value) <= size and value.isprintable()
    except UnicodeEncodeError:
        plain = False
    if plain:
        return value
    return "#" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:40]


def _key(limit: Limit, name: str, address: str) -> tuple[str, str]:
    """(username, address) of the limit's row: a pair has both, the others one of them."""
    return {"pair": (name, address), "username": (name, ""), "address": ("", address)}[limit.scope]


class LoginThrottle:
    def __init__(self, engine: Engine, *, limits: tuple[Limit, ...] = LIMITS,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.engine, self.limits, self.clock = engine, limits, clock
        self._swept = 0.0

    def admit(self, username: str, address: str) -> None:
        """Count an attempt of `username` from `address`, or refuse it (TooManyAttempts, nothing
        counted). Call before checking the password; check it only when this returns."""
        name, addr = _key_part(username, 100), _key_part(address, 64)
        now = self.clock()
        with unit_of_work(self.engine) as s:
            for limit in self.limits:
                admitted, not_before = _count(s, limit, *_key(limit, name, addr), now=now)
                if not admitted:  # leaving the block rolls back what this attempt counted
                    wait = max(1, math.ceil((not_before - now).total_seconds())) if not_before else 1
                    raise TooManyAttempts(wait, limit.message, limit.scope)
        self._sweep(now)

    def succeeded(self, username: str, address: str) -> None:
        """The attempt's password was right: forget the pair, uncount it from the others."""
        name, addr = _key_part(username, 100), _key_part(address, 64)
        t = LoginLimit.__table__
        with unit_of_work(self.engine) as s:
            for limit in self.limits:
                username_, address_ = _key(limit, name, addr)
                where = (t.c.scope == limit.scope, t.c.username == username_, t.c.address == address_)
                if limit.scope == "pair":
                    s.execute(delete(t).where(*where))
                else:
                    s.execute(update(t).where(*where, t.c.count > 0).values(
                        count=t.c.count - 1,
                        not_before=case((t.c.count - 1 >= limit.free, t.c.not_before), else_=None)))

    def _sweep(self, now: datetime) -> None:
        """Remove forgotten rows now and then (rows another attempt holds are skipped, not waited
        for). Best effort: a failure here never refuses a login."""
        if time.monotonic() - self._swept < SWEEP_EVERY:
            return
        self._swept = time.monotonic()
        t = LoginLimit.__table__
        gone = (select(t.c.scope, t.c.username, t.c.address).where(t.c.reset_at < now)
                .limit(1000).with_for_update(skip_locked=True))
        try:
            with unit_of_work(self.engine) as s:
                s.execute(delete(t).where(tuple_(t.c.scope, t.c.username, t.c.address).in_(gone)))
        except Exception:  # noqa: BLE001 — cleaning up must not turn a login into an error
            log.warning("清理过期的登录计数失败", exc_info=True)


def _count(s: Session, limit: Limit, username: str, address: str, *,
           now: datetime) -> tuple[bool, datetime | None]:
    """One conditional upsert: admit and count the attempt when the key allows one now; return
    (admitted, the earliest moment of the next admitted attempt)."""
    t = LoginLimit.__table__

    def at(seconds: float) -> Any:
        return literal(now + timedelta(seconds=seconds), UTCDateTime())

    now_ = literal(now, UTCDateTime())
    forgotten = t.c.reset_at <= now_
    admit = or_(forgotten, t.c.not_before.is_(None), t.c.not_before <= now_)
    count = case((forgotten, 1), else_=t.c.count + 1)
    reset = case((forgotten, at(limit.forget_after)), else_=t.c.reset_at) if limit.fixed \
        else at(limit.forget_after)
    not_before = _next(limit, count, reset, at)
    first_reset = now + timedelta(seconds=limit.forget_after)
    insert = pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(t).values(
        scope=limit.scope, username=username, address=address, count=1, reset_at=first_reset,
        not_before=_first_not_before(limit, now),
        admitted=True,
    ).on_conflict_do_update(
        index_elements=[t.c.scope, t.c.username, t.c.address],
        set_={"count": case((admit, count), else_=t.c.count),
              "reset_at": case((admit, reset), else_=t.c.reset_at),
              "not_before": case((admit, not_before), else_=t.c.not_before),
              "admitted": admit},
    ).returning(t.c.admitted, t.c.not_before)
    row = s.execute(stmt).one()
    return bool(row.admitted), row.not_before


def _first_not_before(limit: Limit, now: datetime) -> datetime | None:
    """The earliest next attempt after a key's first (a limit of one attempt waits at once)."""
    if limit.free > 1:
        return None
    return now + timedelta(seconds=limit.waits[0] if limit.waits else limit.forget_after)


def _next(limit: Limit, count: Any, reset: Any, at: Callable[[float], Any]) -> Any:
    """SQL for the earliest next attempt after the `count`-th (an expression of the old row)."""
    if not limit.waits:
        return case((count >= limit.free, reset), else_=None)
    whens = [(count == limit.free + i, at(w)) for i, w in enumerate(limit.waits[:-1])]
    return case(*whens, (count >= limit.free, at(limit.waits[-1])), else_=None)
