"""Tables of authentication: the login limits every server process shares, and the account events.

`login_limits` holds one row per limited key — a (username, address) pair, a username across
addresses, an address across usernames — counted by one conditional upsert per attempt
(caseflow/auth/throttle.py). `account_events` is the append-only trail of account management: who
did what to whose account, when (caseflow/auth/audit.py); database triggers (migration 0010) and
the ORM refuse to change or delete a row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.db.base import Base, refuse_changes, utcnow
from caseflow.db.types import UTCDateTime


class LoginLimit(Base):
    """The admitted login attempts of one key: `scope` pair (username + address), username (all
    addresses, `address` empty) or address (all usernames, `username` empty)."""

    __tablename__ = "login_limits"

    scope: Mapped[str] = mapped_column(String(10), primary_key=True)
    username: Mapped[str] = mapped_column(String(100), primary_key=True)
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)  # attempts admitted and not yet forgotten
    reset_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the count is forgotten from then on
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # next admitted
    admitted: Mapped[bool] = mapped_column(Boolean)  # whether the latest attempt was let through


class AccountEvent(Base):
    """One change to an account: created, posts changed, 执法证 issued or revoked, password set,
    reset or changed, disabled, enabled. `actor_id` is empty for the command line (`via` cli);
    `detail` names what changed (posts, 执法证 number, reason) — never a password."""

    __tablename__ = "account_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    via: Mapped[str] = mapped_column(String(10))
    action: Mapped[str] = mapped_column(String(30))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


refuse_changes(AccountEvent, update="account_events is append-only",
               delete="account_events is append-only")
