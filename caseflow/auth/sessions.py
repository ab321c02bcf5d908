"""Signed session cookies and CSRF tokens (itsdangerous).

The cookie carries the user id and a random token made at login, signed and time-stamped; it is
HttpOnly, SameSite=Lax, Secure when configured. The CSRF token of a session is an HMAC of that
login token (so it changes at every login and needs no storage); HTML forms carry it in a hidden
field, API calls made with the cookie in the `X-CSRF-Token` header. Logging out revokes the login
token in this process (process-local, like the throttle); otherwise a session ends at `max_age`.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE_NAME = "caseflow_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
DEFAULT_MAX_AGE = 12 * 3600  # one working day


@dataclass(frozen=True)
class SessionData:
    user_id: int
    token: str


class SessionSigner:
    def __init__(self, secret_key: str, *, max_age: int = DEFAULT_MAX_AGE) -> None:
        self.max_age = max_age
        self._serializer = URLSafeTimedSerializer(secret_key, salt="caseflow-session")
        self._csrf = URLSafeTimedSerializer(secret_key, salt="caseflow-csrf")
        self._revoked: dict[str, float] = {}
        self._lock = threading.Lock()

    def new_session(self, user_id: int) -> tuple[str, SessionData]:
        data = SessionData(user_id=user_id, token=secrets.token_urlsafe(24))
        return self._serializer.dumps({"uid": user_id, "tok": data.token}), data

    def read(self, value: str | None) -> SessionData | None:
        if not value:
            return None
        try:
            raw = self._serializer.loads(value, max_age=self.max_age)
            data = SessionData(user_id=int(raw["uid"]), token=str(raw["tok"]))
        except (BadSignature, KeyError, TypeError, ValueError):
            return None
        with self._lock:
            if data.token in self._revoked:
                return None
        return data

    def revoke(self, data: SessionData) -> None:
        now = time.time()
        with self._lock:
            self._revoked[data.token] = now
            for tok, at in list(self._revoked.items()):  # forget revocations of expired sessions
                if now - at > self.max_age:
                    del self._revoked[tok]

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
