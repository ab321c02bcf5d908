"""The party table: who a case is against (organisation or individual) and how to reach them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.db.base import Base, utcnow
from caseflow.db.types import UTCDateTime


class PartyKind(str, enum.Enum):
    organisation = "organisation"  # 法人或者其他组织
    individual = "individual"  # 公民

    @property
    def label(self) -> str:
        return {"organisation": "法人或者其他组织", "individual": "公民"}[self.value]


class Party(Base):
    """A 当事人. Organisations carry 统一社会信用代码 and 法定代表人; individuals a 身份证号."""

    __tablename__ = "parties"
    __table_args__ = (
        UniqueConstraint("agency_id", "uscc"),
        UniqueConstraint("agency_id", "id_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    kind: Mapped[PartyKind] = mapped_column(Enum(PartyKind, native_enum=False, length=20))
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str | None] = mapped_column(String(18), nullable=True)
    legal_representative: Mapped[str | None] = mapped_column(String(50), nullable=True)
    id_number: Mapped[str | None] = mapped_column(String(18), nullable=True)
    address: Mapped[str] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    renamed_from = None  # not stored (no annotation): the former name, when this request recorded a change

    @property
    def identifier(self) -> str:
        return (self.uscc if self.kind is PartyKind.organisation else self.id_number) or ""
