"""Login failures kept in the database, so every server process counts the same attempts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.db.base import Base
from caseflow.db.types import UTCDateTime


class LoginFailure(Base):
    """One failed login for a username (as typed, lower-cased) from one address."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_key_at", "username", "address", "failed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime)
