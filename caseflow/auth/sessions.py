"""Signed session cookies and CSRF tokens (itsdangerous).

The cookie carries the user id and a random token made at login, signed and time-stamped; it is
HttpOnly, SameSite=Lax, Secure when configured. The CSRF token of a session is an HMAC of that
login token (so it changes at every login and needs no storage); HTML forms carry it in a hidden
field, API calls made with the cookie in the `X-CSRF-Token` header. The cookie also carries the
moment of login: logging out sets the user's `sessions_valid_after`, which ends every session
signed in before it, on every server process; otherwise a session ends at `max_age`.
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import datetime

from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE_NAME = "caseflow_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
DEFAULT_MAX_AGE = 12 * 3600  # one working day


@dataclass(frozen=True)
class SessionData:
    user_id: int
    token: str
    issued_at: float  # seconds since the epoch, when the user signed in

    def ended_by(self, valid_after: datetime | None) -> bool:
        """True when the user logged out (anywhere) after this session began."""
        return valid_after is not None and self.issued_at <= valid_after.timestamp()


class SessionSigner:
    def __init__(self, secret_key: str, *, max_age: int = DEFAULT_MAX_AGE) -> None:
        self.max_age = max_age
        self._serializer = URLSafeTimedSerializer(secret_key, salt="caseflow-session")
        self._csrf = URLSafeTimedSerializer(secret_key, salt="caseflow-csrf")

    def new_session(self, user_id: int) -> tuple[str, SessionData]:
        data = SessionData(user_id=user_id, token=secrets.token_urlsafe(24), issued_at=time.time())
        return self._serializer.dumps({"uid": user_id, "tok": data.token, "iat": data.issued_at}), data

    def read(self, value: str | None) -> SessionData | None:
        if not value:
            return None
        try:
            raw = self._serializer.loads(value, max_age=self.max_age)
            return SessionData(user_id=int(raw["uid"]), token=str(raw["tok"]), issued_at=float(raw["iat"]))
        except (BadSignature, KeyError, TypeError, ValueError):
            return None

    def csrf_token(self, data: SessionData) -> str:
        return self._csrf.dumps(data.token)

    def csrf_ok(self, data: SessionData, presented: str | None) -> bool:
        if not presented:
            return False
        try:
            token = self._csrf.loads(presented, max_age=self.max_age)
        except BadSignature:
            return False
        return hmac.compare_digest(str(token), data.token)
