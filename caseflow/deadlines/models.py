"""The deadline table: one row per limit running (or run) on a case, with its computed due moment."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Enum, ForeignKey, Index, String, Text, text
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
    __table_args__ = (
        Index("ix_deadlines_status_due_at", "status", "due_at"),
        # The sweep and the dashboards read only running limits: partial indexes keep them to the
        # open rows (a plain index on due_at made SQLite pick it over a faster plan; see bench/).
        Index("ix_deadlines_open_due_at", "due_at",
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
        # Covering (status included, so SQLite reads no table row): overdue counts per rule.
        Index("ix_deadlines_open_rule_agency_due_at", "rule_code", "agency_id", "due_at", "status",
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
        # 监督看板's monthly overdue rate: every limit of the agency due in a month, by status and
        # rule, read from this index alone.
        Index("ix_deadlines_agency_due_at_status_rule", "agency_id", "due_at", "status", "rule_code"),
        # 监督看板's overdue and due-soon counts: the agency's running limits with rule and case,
        # read from the index alone (migration 0008).
        Index("ix_deadlines_open_agency_due_at_rule_case", "agency_id", "due_at", "rule_code", "case_id",
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
        # A case's nearest running limit (worklist and case list ordering).
        Index("ix_deadlines_open_case_due_at", "case_id", "due_at", "rule_code",
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
        # The sweep's queue (migration 0018): running limits with an alert to come, in the order it
        # takes them, (next_alert_at, id), so each chunk seeks past the last one's key and reads
        # only its own rows; on PostgreSQL an ordered index scan under the LIMIT, no sort (bitmap
        # scans are off for that query: alerts/sweep.py), and deadlines is autovacuumed after 2 %.
        Index("ix_deadlines_open_next_alert_at_id", "next_alert_at", "id",
              sqlite_where=text("status = 'open' AND next_alert_at IS NOT NULL"),
              postgresql_where=text("status = 'open' AND next_alert_at IS NOT NULL")),
        # 监督看板's overdue and due-soon counts per rule, item and 承办人, from this index alone
        # (migration 0019; status included: SQLite checks the bound `status = ?` in the index).
        Index("ix_deadlines_open_board", "agency_id", "rule_code", "due_at", "remind_at", "item_key",
              "lead_user_id", "status",
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    # The case's agency, copied so supervisors' counts read one covering index (see bench/).
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), nullable=True)
    rule_code: Mapped[str] = mapped_column(String(40))
    # The case's item and 承办人 (its first active lead officer), copied for the 监督看板's counts and
    # kept by the database — set on insert, followed on every change of the case's officers
    # (migration 0019's triggers); the application never writes them.
    item_key: Mapped[str | None] = mapped_column(String(40), nullable=True)
    lead_user_id: Mapped[int | None] = mapped_column(nullable=True)
    name: Mapped[str] = mapped_column(String(100))
    basis: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    # When the responsible people are reminded (e.g. one working day before; two hours before a
    # 24-hour limit); None: no reminder (a window granted to the party).
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # When the sweep next has something to raise: remind_at, then due_at after the reminder, then
    # None once the overdue alert is out. Keeps every tick an index range scan of what is due.
    next_alert_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    reasoning: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[DeadlineStatus] = mapped_column(
        Enum(DeadlineStatus, native_enum=False, length=20), default=DeadlineStatus.open
    )
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # An extension (status extended; the new limit is a new row): who approved it, how, why.
    extended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    extension_approval: Mapped[str | None] = mapped_column(String(200), nullable=True)
    extension_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_running(self) -> bool:
        return self.status is DeadlineStatus.open
