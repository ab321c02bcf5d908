"""Alert rows, with the people each is addressed to: one per deadline and kind (reminder/overdue), and
one per 退回 (a case sent back by 法制审核 or the head: its event, kind `returned`).

The unique keys (deadline_id, kind) and (case_id, event_seq, kind) are what make two sweeping
processes never raise the same alert twice: the second INSERT finds the row and does nothing.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.db.base import Base, utcnow
from caseflow.db.types import UTCDateTime


class AlertKind(str, enum.Enum):
    reminder = "reminder"  # the limit ends soon
    overdue = "overdue"  # the limit has ended and the step is not done
    returned = "returned"  # the case was sent back (法制审核退回, 负责人退回 …)

    @property
    def label(self) -> str:
        return {"reminder": "即将到期", "overdue": "已逾期", "returned": "被退回"}[self.value]


class AlertRole(str, enum.Enum):
    officer = "officer"  # the case's 承办人
    assistant = "assistant"  # a 协办人 of the case
    post_holder = "post_holder"  # holds the post of the step that meets the limit
    section_head = "section_head"  # 股长 of the section responsible
    supervisor = "supervisor"  # 局负责人

    @property
    def label(self) -> str:
        return {"officer": "承办人", "assistant": "协办人", "post_holder": "岗位人员",
                "section_head": "股室负责人", "supervisor": "局负责人"}[self.value]


class Alert(Base):
    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("deadline_id", "kind"), UniqueConstraint("case_id", "event_seq", "kind"))

    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_id: Mapped[int | None] = mapped_column(ForeignKey("deadlines.id"), nullable=True)
    event_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the 退回's audit event
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    kind: Mapped[AlertKind] = mapped_column(Enum(AlertKind, native_enum=False, length=20))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    message: Mapped[str] = mapped_column(String(400))

    recipients: Mapped[list[AlertRecipient]] = relationship(order_by="AlertRecipient.id")


class AlertRecipient(Base):
    __tablename__ = "alert_recipients"
    __table_args__ = (
        UniqueConstraint("alert_id", "user_id"),
        Index("ix_alert_recipients_user_unread", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[AlertRole] = mapped_column(Enum(AlertRole, native_enum=False, length=20))
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
