"""Logging in and out: the attempt counted first (throttle), then argon2 verification; the Chinese
refusals people see."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from caseflow.auth.passwords import verify_password
from caseflow.auth.throttle import LoginThrottle, TooManyAttempts
from caseflow.db.base import utcnow
from caseflow.db.session import unit_of_work
from caseflow.errors import CaseflowError
from caseflow.org.models import User

__all__ = ["LoginFailed", "TooManyAttempts", "NotAuthenticated", "CsrfRefused",
           "PasswordChangeRequired", "authenticate", "end_sessions"]

USERNAME_LENGTH = 50  # users.username


class LoginFailed(CaseflowError):
    code = "LOGIN_FAILED"


class NotAuthenticated(CaseflowError):
    code = "NOT_AUTHENTICATED"


class CsrfRefused(CaseflowError):
    code = "CSRF_REFUSED"


class PasswordChangeRequired(CaseflowError):
    """The password was reset to a one-time password: nothing else until the user changes it."""

    code = "PASSWORD_CHANGE_REQUIRED"


def _could_be_a_username(name: str) -> bool:
    """False for what no account can be called (too long, control characters, not text): such a
    name is not looked up (PostgreSQL would refuse a NUL in a query)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return 0 < len(name) <= USERNAME_LENGTH and name.isprintable()


def authenticate(*, engine: Engine, username: str, password: str, ip: str,
                 throttle: LoginThrottle) -> int:
    """The id of the active user with this username and password, or LoginFailed / TooManyAttempts.

    The attempt is counted before the password is checked, and refused uncounted when a limit is
    reached — so however many attempts arrive at once, only those within the limits are checked.
    The message never says whether the username exists. Each database step is its own short unit:
    a login never holds one connection while waiting for another, nor during the argon2 check.
    """
    throttle.admit(username, ip)
    name = username.strip()
    row = None
    if _could_be_a_username(name):
        with unit_of_work(engine, write=False) as s:
            row = s.execute(select(User.id, User.password_hash, User.is_active)
                            .where(User.username == name)).first()
    ok = verify_password(row.password_hash if row else None, password)
    if row is None or not ok or not row.is_active:
        raise LoginFailed("用户名或密码不正确。", details={"password": "用户名或密码不正确"})
    throttle.succeeded(username, ip)
    return int(row.id)


def end_sessions(*, db_session: Session, user_id: int, at: datetime | None = None) -> None:
    """Log out: every session of the user that began before now ends, on every server process."""
    db_session.execute(update(User).where(User.id == user_id).values(sessions_valid_after=at or utcnow()))
