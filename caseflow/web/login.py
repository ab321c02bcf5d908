"""Signing in and out for both the login page and the API: one authenticate call, one cookie.

The address a login is counted under is the connection's: uvicorn puts X-Forwarded-For there only
for the proxies `caseflow serve --forwarded-allow-ips` names (caseflow/web/workers.py), none by
default — a client cannot pick a fresh address for every guess.
"""

from __future__ import annotations

from fastapi import Request, Response

from caseflow.auth.service import authenticate, end_sessions
from caseflow.auth.sessions import COOKIE_NAME, SessionData
from caseflow.db.session import unit_of_work


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _set_cookie(request: Request, response: Response, user_id: int) -> tuple[str, SessionData]:
    app = request.app
    value, data = app.state.signer.new_session(user_id)
    response.set_cookie(
        COOKIE_NAME, value, max_age=app.state.settings.session_max_age, httponly=True,
        samesite="lax", secure=app.state.settings.secure_cookies, path="/",
    )
    return value, data


def sign_in(request: Request, response: Response, username: str, password: str
            ) -> tuple[int, str, SessionData]:
    """Check the password (throttled) and set the session cookie; (user id, signed value, data)."""
    app = request.app
    user_id = authenticate(engine=app.state.engine, username=username, password=password,
                           ip=client_ip(request), throttle=app.state.throttle)
    value, data = _set_cookie(request, response, user_id)
    return user_id, value, data


def renew_session(request: Request, response: Response, user_id: int) -> None:
    """A new session for this browser after the password changed (which ended every older one)."""
    _set_cookie(request, response, user_id)


def sign_out(request: Request, response: Response, session: SessionData) -> None:
    """End the user's sessions (cookie or bearer token alike, on every process) and clear the cookie."""
    with unit_of_work(request.app.state.engine) as s:
        end_sessions(db_session=s, user_id=session.user_id)
    response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="lax",
                           secure=request.app.state.settings.secure_cookies)
