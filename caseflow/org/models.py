"""Tables of the organisation: agencies, sections, users, post holdings and enforcement credentials."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.db.base import Base, utcnow
from caseflow.db.types import Money, UTCDateTime


class Agency(Base):
    """A 行政机关 such as 栾川县医疗保障局, with the settings its cases and documents use."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    short_name: Mapped[str] = mapped_column(String(20))  # 机关代字, e.g. 栾医保
    province: Mapped[str] = mapped_column(String(20))
    # 听证 thresholds for 较大数额罚款 (行政处罚法 第六十三条; set per province).
    hearing_threshold_individual: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    hearing_threshold_organisation: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    # Limits the sources leave to the agency, reminders, 复议机关/法院/缴款账户 for documents:
    # validated by caseflow/org/settings.py.
    settings: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    sections: Mapped[list[Section]] = relationship(back_populates="agency", order_by="Section.id")


class Section(Base):
    """A 股 or 科 of an agency: 基金监管股, 法制审核股, …"""

    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("agency_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))

    agency: Mapped[Agency] = relationship(back_populates="sections")


class User(Base):
    """A person who works in caseflow; what they may do follows from their post holdings."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    full_name: Mapped[str] = mapped_column(String(50))
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Logging out ends every session of the user signed in before this moment (on every server
    # process: the check reads this column, not process memory).
    sessions_valid_after: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Set when a password was reset to a one-time password: the pages send the user to change it.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    agency: Mapped[Agency] = relationship()
    posts: Mapped[list[PostHolding]] = relationship(back_populates="user", order_by="PostHolding.id")
    credentials: Mapped[list[EnforcementCredential]] = relationship(
        back_populates="user", order_by="EnforcementCredential.valid_from"
    )


class PostHolding(Base):
    """User U holds post P (立案岗, 审查岗, 局负责人 …) in section S; S is empty for agency-level posts."""

    __tablename__ = "post_holdings"
    __table_args__ = (UniqueConstraint("user_id", "post", "section_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    post: Mapped[str] = mapped_column(String(30))
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id"), nullable=True)

    user: Mapped[User] = relationship(back_populates="posts")
    section: Mapped[Section | None] = relationship()

    @property
    def section_name(self) -> str | None:
        return self.section.name if self.section else None


class EnforcementCredential(Base):
    """A 行政执法证 with its number and validity period (行政处罚法 第四十二条、第五十五条)."""

    __tablename__ = "enforcement_credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User] = relationship(back_populates="credentials")

    def valid_on(self, day: date) -> bool:
        return not self.revoked and self.valid_from <= day <= self.valid_until
