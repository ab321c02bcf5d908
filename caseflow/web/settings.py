"""Web settings (environment `CASEFLOW_WEB_*`): cookie secret, Secure flag, session length, the
proxies whose X-Forwarded-For is trusted, the largest request body."""

from __future__ import annotations

import secrets

from pydantic_settings import BaseSettings, SettingsConfigDict


class WebSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CASEFLOW_WEB_", extra="ignore")

    # Without a configured key every start makes a new one: sessions end at a restart.
    secret_key: str = ""
    secure_cookies: bool = False  # set true behind HTTPS
    session_max_age: int = 12 * 3600
    page_size: int = 30
    # Comma-separated addresses of reverse proxies whose X-Forwarded-For is believed; empty: none.
    forwarded_allow_ips: str = ""
    max_body_bytes: int = 2 * 1024 * 1024  # JSON and forms; an upload route sets its own

    def key(self) -> str:
        return self.secret_key or secrets.token_urlsafe(32)
