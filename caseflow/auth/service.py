"""Logging in and out: throttle check, argon2 verification, the Chinese refusals people see."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from caseflow.auth.passwords import verify_password
from caseflow.auth.throttle import LoginThrottle
from caseflow.db.base import utcnow
from caseflow.db.session import unit_of_work
from caseflow.errors import CaseflowError
from caseflow.org.models import User


class LoginFailed(CaseflowError):
    code = "LOGIN_FAILED"


class TooManyAttempts(CaseflowError):
    code = "TOO_MANY_ATTEMPTS"

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, (retry_after + 59) // 60)
        super().__init__(f"登录失败次数过多，请{minutes}分钟后再试。",
                         details={"retry_after": retry_after})
        self.retry_after = retry_after


class NotAuthenticated(CaseflowError):
    code = "NOT_AUTHENTICATED"


class CsrfRefused(CaseflowError):
    code = "CSRF_REFUSED"


def authenticate(*, engine: Engine, username: str, password: str, ip: str,
                 throttle: LoginThrottle) -> int:
    """The id of the active user with this username and password, or LoginFailed / TooManyAttempts.

    The message never says whether the username exists. Each database step is its own short unit
    (the throttle writes in its own transaction): a login never holds one connection while waiting
    for another, nor during the argon2 check.
    """
    wait = throttle.retry_after(username, ip)
    if wait:
        raise TooManyAttempts(wait)
    with unit_of_work(engine, write=False) as s:
        row = s.execute(select(User.id, User.password_hash, User.is_active)
                        .where(User.username == username.strip())).first()
    ok = verify_password(row.password_hash if row else None, password)
    if row is None or not ok or not row.is_active:
        throttle.failed(username, ip)
        raise LoginFailed("用户名或密码不正确。", details={"password": "用户名或密码不正确"})
    throttle.succeeded(username, ip)
    return int(row.id)


def end_sessions(*, db_session: Session, user_id: int, at: datetime | None = None) -> None:
    """Log out: every session of the user that began before now ends, on every server process."""
    db_session.execute(update(User).where(User.id == user_id).values(sessions_valid_after=at or utcnow()))
