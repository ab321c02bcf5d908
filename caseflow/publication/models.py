"""Publication tables: what an agency published of a case's 行政处罚决定 (`publications`, one row per
version) and the withdrawals of those publications (`publication_withdrawals`).

《行政处罚法》第四十八条: the decision is made public; when it is 变更、撤销 or 确认违法 the publication
is withdrawn within 三日 with the reason made public. A row holds only the fixed public content —
already redacted (`caseflow.publication.redaction`) — and who released it when, by which audit event
of the case. Like documents and evidence, rows are written once: a correction is a new version
(`supersedes_id`), a withdrawal is a row of its own; the ORM refuses updates and deletes and so does
the database (triggers of migration 0014).

A case may publish more than once (`series`): after a 撤销并责令重新作出 the first publication is
withdrawn and the new decision is published as series 2.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.db.base import Base, refuse_changes, utcnow
from caseflow.db.types import UTCDateTime


class Publication(Base):
    """One version of the content published for one decision of a case."""

    __tablename__ = "publications"
    __table_args__ = (
        UniqueConstraint("case_id", "series", "version"),
        # The public page of an agency: its records, newest decision first (one indexed query).
        Index("ix_publications_agency_decided", "agency_id", "decided_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    series: Mapped[int] = mapped_column(Integer, default=1)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The version this one corrects: a version is corrected at most once (unique), so the current
    # version is the one nothing supersedes.
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("publications.id"), nullable=True, unique=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))  # the 决定书 version it shows

    # What the public sees — nothing else about the case.
    party_name: Mapped[str] = mapped_column(String(300))  # individuals masked: 王*梅
    party_kind: Mapped[str] = mapped_column(String(20))  # organisation | individual
    credit_code: Mapped[str | None] = mapped_column(String(100), nullable=True)  # organisations only
    doc_no: Mapped[str] = mapped_column(String(60))  # 文号
    summary: Mapped[str] = mapped_column(Text)  # 违法事实摘要, redacted
    basis: Mapped[str] = mapped_column(Text)  # 处罚依据
    penalty: Mapped[str] = mapped_column(Text)  # 处罚内容
    agency_name: Mapped[str] = mapped_column(String(100))  # 处罚机关
    decided_on: Mapped[date] = mapped_column(Date)  # 决定日期

    reason: Mapped[str | None] = mapped_column(Text, nullable=True)  # 更正理由 of a later version
    event_seq: Mapped[int] = mapped_column(Integer)  # the case's audit event of the step
    released_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    released_by_name: Mapped[str] = mapped_column(String(50))


class PublicationWithdrawal(Base):
    """The withdrawal of a case's publication (all its versions), with the reason made public."""

    __tablename__ = "publication_withdrawals"
    __table_args__ = (
        UniqueConstraint("case_id", "series"),
        Index("ix_publication_withdrawals_agency", "agency_id", "withdrawn_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    series: Mapped[int] = mapped_column(Integer)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publications.id"))  # the version then current
    reason: Mapped[str] = mapped_column(Text)  # 公开说明的理由 (redacted)
    event_seq: Mapped[int] = mapped_column(Integer)
    withdrawn_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_by_name: Mapped[str] = mapped_column(String(50))


refuse_changes(Publication, update="publications are written once: a correction is a new version",
               delete="publications are never deleted: a publication is withdrawn")
refuse_changes(PublicationWithdrawal, update="withdrawals are written once", delete="withdrawals are never deleted")
