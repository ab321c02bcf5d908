"""Bound 案卷 volumes (`case_files`): one row per volume of an archived case (正卷, and 副卷 where the
agency keeps 正副卷), its PDF in the file store under its SHA-256, its page count and its 卷内目录.
Written once after 归档 and never changed (the binding is reproducible: binding again gives the
same bytes, so two binders racing store one row)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.db.base import Base, refuse_changes, utcnow
from caseflow.db.types import UTCDateTime


class CaseFile(Base):
    __tablename__ = "case_files"
    __table_args__ = (UniqueConstraint("case_id", "volume"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    volume: Mapped[str] = mapped_column(String(10))  # "" (one volume), "正卷", "副卷"
    archive_no: Mapped[str] = mapped_column(String(20))  # 归档号
    sha256: Mapped[str] = mapped_column(ForeignKey("stored_files.sha256"))
    size: Mapped[int] = mapped_column(BigInteger)
    pages: Mapped[int] = mapped_column(Integer)  # pages of the PDF
    numbered_pages: Mapped[int] = mapped_column(Integer)  # 页数 on the cover
    contents: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # the 卷内目录
    unreadable: Mapped[list[str]] = mapped_column(JSON)  # parts that could not be printed
    bound_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


refuse_changes(CaseFile, update="a bound 案卷 is never changed", delete="a bound 案卷 is never deleted")
