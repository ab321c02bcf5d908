"""Evidence tables: the 证据材料 of a case (`evidence_items`), the files attached to them
(`evidence_files`), their withdrawals (`evidence_withdrawals`) and the stored bytes
(`stored_files` + `stored_chunks`, one row per 1 MiB, keyed by the content's SHA-256).

Like documents, evidence is written once and never changed or deleted: a wrong item or upload is
withdrawn by a withdrawal row with its reason and its audit event, and stays in the record. The ORM
refuses updates and deletes, and so does the database (triggers of migration 0012). Bytes are stored
once per content (two uploads of one photo share its chunks).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.db.base import Base, refuse_changes, utcnow
from caseflow.db.types import UTCDateTime


class StoredFile(Base):
    """One content, by its SHA-256: its size and the type sniffed from its bytes."""

    __tablename__ = "stored_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mime: Mapped[str] = mapped_column(String(100))
    chunks: Mapped[int] = mapped_column(Integer)
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StoredChunk(Base):
    __tablename__ = "stored_chunks"

    sha256: Mapped[str] = mapped_column(ForeignKey("stored_files.sha256"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class EvidenceItem(Base):
    """One piece of evidence as the case file lists it (证据清单's row)."""

    __tablename__ = "evidence_items"
    __table_args__ = (UniqueConstraint("case_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)  # 序号 in the case, from 1
    kind: Mapped[str] = mapped_column(String(20))  # 第四十六条: 书证 … 现场笔录
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(300))  # 提供人 / 调取地点
    obtained_by: Mapped[str] = mapped_column(String(30))  # 调取、复制、拍照 …
    collectors: Mapped[list[str]] = mapped_column(JSON)  # the officers who collected it
    collected_on: Mapped[date] = mapped_column(Date)
    pages: Mapped[int | None] = mapped_column(Integer, nullable=True)
    proves: Mapped[str | None] = mapped_column(Text, nullable=True)  # 证明目的
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True)  # a 笔录
    event_seq: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    recorded_by_name: Mapped[str] = mapped_column(String(50))

    files: Mapped[list[EvidenceFile]] = relationship(order_by="EvidenceFile.id", viewonly=True)


class EvidenceFile(Base):
    """A file carrying (part of) an item: a scan, a photo, a recording, a spreadsheet."""

    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("evidence_items.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("stored_files.sha256"))
    filename: Mapped[str] = mapped_column(String(255))  # as uploaded, shown and offered on download
    mime: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    pages: Mapped[int | None] = mapped_column(Integer, nullable=True)  # a PDF's pages; 1 for an image
    description: Mapped[str | None] = mapped_column(Text, nullable=True)  # printed under a photo
    event_seq: Mapped[int] = mapped_column(Integer)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_name: Mapped[str] = mapped_column(String(50))


class EvidenceWithdrawal(Base):
    """An item or one of its files taken out of the evidence, with the reason (never deleted)."""

    __tablename__ = "evidence_withdrawals"
    __table_args__ = (UniqueConstraint("item_id", "file_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("evidence_items.id"))
    file_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_files.id"), nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    event_seq: Mapped[int] = mapped_column(Integer)
    withdrawn_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_by_name: Mapped[str] = mapped_column(String(50))


for _model in (StoredFile, StoredChunk, EvidenceItem, EvidenceFile, EvidenceWithdrawal):
    refuse_changes(_model, update="evidence is never changed: withdraw it and record it again",
                   delete="evidence is never deleted: withdraw it with a reason")
