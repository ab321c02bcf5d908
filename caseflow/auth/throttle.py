"""Login throttling: after 5 failures for one username from one address within 15 minutes,
further attempts are refused (HTTP 429) until the oldest failure leaves the window.

The failures are rows of `login_failures`, written in their own transaction (the refused login's
own transaction rolls back), so every `caseflow serve` worker process counts the same attempts
and a restart forgets nothing. A success clears the username's failures from that address.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, select

from caseflow.auth.models import LoginFailure
from caseflow.db.base import utcnow
from caseflow.db.session import unit_of_work

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


class LoginThrottle:
    def __init__(self, engine: Engine, *, max_failures: int = MAX_FAILURES,
                 window_seconds: float = WINDOW_SECONDS, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine, self.max_failures, self.clock = engine, max_failures, clock
        self.window = timedelta(seconds=window_seconds)

    @staticmethod
    def _key(username: str, ip: str) -> tuple[str, str]:
        return username.strip().lower()[:100], ip[:64]

    def retry_after(self, username: str, ip: str) -> int:
        """Seconds until another attempt is allowed; 0 when it is allowed now."""
        name, address = self._key(username, ip)
        now = self.clock()
        with unit_of_work(self.engine, write=False) as s:
            recent = list(s.scalars(
                select(LoginFailure.failed_at)
                .where(LoginFailure.username == name, LoginFailure.address == address,
                       LoginFailure.failed_at > now - self.window)
                .order_by(LoginFailure.failed_at.desc()).limit(self.max_failures)
            ))
        if len(recent) < self.max_failures:
            return 0
        oldest_counted = recent[-1]
        return max(1, math.ceil((oldest_counted + self.window - now).total_seconds()))

    def failed(self, username: str, ip: str) -> None:
        name, address = self._key(username, ip)
        now = self.clock()
        with unit_of_work(self.engine) as s:
            s.execute(delete(LoginFailure).where(  # what left the window is no longer needed
                LoginFailure.username == name, LoginFailure.address == address,
                LoginFailure.failed_at <= now - self.window))
            s.add(LoginFailure(username=name, address=address, failed_at=now))

    def succeeded(self, username: str, ip: str) -> None:
        name, address = self._key(username, ip)
        with unit_of_work(self.engine, write=False) as s:  # most logins have no failures to clear
            if not s.scalar(select(LoginFailure.id).where(
                    LoginFailure.username == name, LoginFailure.address == address).limit(1)):
                return
        with unit_of_work(self.engine) as s:
            s.execute(delete(LoginFailure).where(LoginFailure.username == name,
                                                 LoginFailure.address == address))
