"""Document tables: the issued 执法文书 of a case (`documents`) and their service (`deliveries`).

A document row is written once, in the transaction of the step that issues it, with its 文号 and
the data it is rendered from; its PDF and the PDF's SHA-256 are filled in once afterwards by the
renderer (`status` pending → rendered). Nothing else about it ever changes and it is never
deleted: a corrected document is a new row (`version` + 1, `supersedes_id`) with the same 文号,
and the old one stays. Deliveries are append-only. The ORM refuses other changes and the
database refuses them too (triggers of migration 0005).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from caseflow.db.base import Base, refuse_changes, utcnow
from caseflow.db.types import UTCDateTime


class DocumentStatus(str, enum.Enum):
    pending = "pending"  # issued (文号 and data fixed); PDF not yet rendered
    rendered = "rendered"  # PDF stored with its SHA-256

    @property
    def label(self) -> str:
        return {"pending": "待生成PDF", "rendered": "已生成"}[self.value]


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("case_id", "doc_type", "series", "version"),
        Index("ix_documents_pending", "id", sqlite_where=text("status = 'pending'"),
              postgresql_where=text("status = 'pending'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    doc_type: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(60))  # 行政处罚决定书 …
    # A case may issue several documents of one type (two 听证通知书, one 送达回证 per delivery):
    # each is a series; versions of one document share its series and its 文号.
    series: Mapped[int] = mapped_column(Integer, default=1)
    version: Mapped[int] = mapped_column(Integer, default=1)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True)
    doc_no: Mapped[str | None] = mapped_column(String(60), nullable=True, index=True)  # 文号
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # the rendering data (see snapshot.py)
    trigger: Mapped[str] = mapped_column(String(60))  # the step that issued it ("reissue": 更正)
    event_seq: Mapped[int] = mapped_column(Integer)  # the audit event of that step
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)  # why a new version was issued
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    issued_by_name: Mapped[str] = mapped_column(String(50))
    status: Mapped[DocumentStatus] = mapped_column(
        Enum(DocumentStatus, native_enum=False, length=20), default=DocumentStatus.pending
    )
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary, nullable=True))
    rendered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    deliveries: Mapped[list[Delivery]] = relationship(
        back_populates="document", order_by="Delivery.id", foreign_keys="Delivery.document_id"
    )

    @property
    def label(self) -> str:
        no = f"（{self.doc_no}）" if self.doc_no else ""
        ver = f"第{self.version}版" if self.version > 1 else ""
        return f"{self.title}{no}{ver}"


class Delivery(Base):
    """One service (送达) of a document: how, when, to whom, by whom; with its 送达回证."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    method: Mapped[str] = mapped_column(String(20))  # 直接送达 … 公告送达
    served_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recipient: Mapped[str] = mapped_column(String(200))  # 受送达人
    receiver: Mapped[str | None] = mapped_column(String(100), nullable=True)  # 代收人
    place: Mapped[str] = mapped_column(String(300))
    server_names: Mapped[list[str]] = mapped_column(JSON)
    witness: Mapped[str | None] = mapped_column(String(100), nullable=True)  # 留置送达见证人
    refusal_reason: Mapped[str | None] = mapped_column(String(300), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    receipt_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True)
    trigger: Mapped[str] = mapped_column(String(60))
    event_seq: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_name: Mapped[str] = mapped_column(String(50))

    document: Mapped[Document] = relationship(back_populates="deliveries", foreign_keys=[document_id])
    receipt: Mapped[Document | None] = relationship(foreign_keys=[receipt_id])


# The PDF is filled in by `service.store_pdf` with one guarded UPDATE, never through the ORM.
refuse_changes(Document, update="documents are immutable: issue a new version instead",
               delete="documents are never deleted")
refuse_changes(Delivery, update="deliveries are append-only", delete="deliveries are append-only")
