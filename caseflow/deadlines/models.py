"""The deadline table: one row per limit running (or run) on a case, with its computed due moment."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.db.base import Base, utcnow
from caseflow.db.types import UTCDateTime


class DeadlineStatus(str, enum.Enum):
    open = "open"
    met = "met"
    overdue = "overdue"
    extended = "extended"
    cancelled = "cancelled"

    @property
    def label(self) -> str:
        return {
            "open": "进行中", "met": "已履行", "overdue": "已逾期",
            "extended": "已延长", "cancelled": "已取消",
        }[self.value]


class Deadline(Base):
    __tablename__ = "deadlines"
    __table_args__ = (Index("ix_deadlines_status_due_at", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    rule_code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100))
    basis: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    reasoning: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[DeadlineStatus] = mapped_column(
        Enum(DeadlineStatus, native_enum=False, length=20), default=DeadlineStatus.open
    )
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_running(self) -> bool:
        return self.status is DeadlineStatus.open
