"""Case tables: cases, their parties, officers, penalties, sealed items, interest declarations, events.

`case_events` is the append-only audit trail: the ORM refuses to change or delete its rows and the
database refuses too (triggers created by the initial migration).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.db.base import Base, refuse_changes, utcnow
from caseflow.db.types import Money, UTCDateTime
from caseflow.legal_time import SHANGHAI
from caseflow.org.models import Agency, User
from caseflow.parties.models import Party


class OfficerRole(str, enum.Enum):
    lead = "lead"  # 承办人
    assistant = "assistant"  # 协办人

    @property
    def label(self) -> str:
        return {"lead": "承办人", "assistant": "协办人"}[self.value]


class PartyRole(str, enum.Enum):
    principal = "principal"  # 当事人
    responsible_person = "responsible_person"  # 直接负责的主管人员和其他直接责任人员
    principal_officer = "principal_officer"  # 法定代表人或者主要负责人 (《条例》第四十三条)

    @property
    def label(self) -> str:
        return {"principal": "当事人", "responsible_person": "直接责任人员",
                "principal_officer": "法定代表人或者主要负责人"}[self.value]


class PenaltyStage(str, enum.Enum):
    proposed = "proposed"  # 调查终结的处理建议
    reviewed = "reviewed"  # 法制审核通过
    decided = "decided"  # 决定


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        # 监督看板: cases opened per month, and cases per state, from the index alone.
        Index("ix_cases_agency_opened_at", "agency_id", "opened_at"),
        Index("ix_cases_agency_procedure_state", "agency_id", "procedure_code", "procedure_version", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_no: Mapped[str] = mapped_column(String(60), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))  # indexed by both above
    item_key: Mapped[str] = mapped_column(String(40))  # catalog item, e.g. "004-02"
    item_name: Mapped[str] = mapped_column(String(300))
    # The catalog entry as it was when the case was opened, and its hash: later edits of
    # workflows/catalog never change the rules of a running case.
    catalog_entry: Mapped[dict[str, Any] | None] = mapped_column(
        JSON, nullable=True, deferred=True  # a few KB of JSON: loaded only when a rule reads it
    )
    catalog_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # Posts the item's own 岗责体系 seats in another section than the procedure's default
    # ({post: section}); None when the default applies. See caseflow/cases/posts.py.
    post_sections: Mapped[dict[str, str] | None] = mapped_column(JSON, nullable=True)
    procedure_code: Mapped[str] = mapped_column(String(40))
    procedure_version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(40), index=True)
    suspended_from: Mapped[str | None] = mapped_column(String(40), nullable=True)
    title: Mapped[str] = mapped_column(String(300))  # 案由
    source: Mapped[str | None] = mapped_column(String(200), nullable=True)  # 线索来源
    facts: Mapped[str | None] = mapped_column(Text, nullable=True)  # 违法事实
    evidence: Mapped[str | None] = mapped_column(Text, nullable=True)  # 证据, as the 决定书 states it
    # 序号 of the 证据材料 chosen at 调查终结 as the basis of the facts (the 决定书's evidence); None
    # for a case concluded before evidence was registered item by item.
    relied_evidence: Mapped[list[int] | None] = mapped_column(JSON, nullable=True)
    # 裁量 as recorded with the proposal: the benchmark and its 条目, the circumstances found with their
    # evidence, the tier they lead to, the recommended range and the officer's 裁量说明
    # (caseflow.discretion; None before a proposal, or where the province has no benchmark).
    discretion: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # What the party argued in 陈述、申辩 and at the 听证, in the order recorded, each with the agency's
    # answer on 复核 once given (《行政处罚法》第四十五条; caseflow.cases.arguments): rows of argument,
    # heard ("陈述、申辩" | "听证"), heard_on, answer (采纳 / 部分采纳 / 不采纳, None until answered),
    # reason, answered_on. None where the party argued nothing recorded.
    arguments: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    reasons: Mapped[str | None] = mapped_column(Text, nullable=True)  # 理由（违反的规定、裁量理由）
    major_case: Mapped[bool] = mapped_column(Boolean, default=False)  # 重大案件
    amount_involved: Mapped[Decimal | None] = mapped_column(Money, nullable=True)  # 涉案金额
    amount_defrauded: Mapped[Decimal | None] = mapped_column(Money, nullable=True)  # 骗取金额
    amount_loss: Mapped[Decimal | None] = mapped_column(Money, nullable=True)  # 造成损失金额
    # When the violation happened (《行政处罚法》第三十六条: 追责时效 counts from it, or from its end
    # where it was 连续或者继续).
    violation_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    violation_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Facts recorded by steps and read by guards.
    investigation_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    notice_served_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    hearing_entitled: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    statement_waived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    hearing_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    hearing_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    hearing_date: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    hearing_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    decision_kind: Mapped[str | None] = mapped_column(String(20), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    decision_served_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sealing_extended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    parent_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), nullable=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    filed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # 立案
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    archive_no: Mapped[str | None] = mapped_column(String(20), nullable=True)  # 归档号, YYYY-NNNN
    last_event_seq: Mapped[int] = mapped_column(Integer, default=0)  # seq of its newest event
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    agency: Mapped[Agency] = relationship()
    parties: Mapped[list[CaseParty]] = relationship(
        back_populates="case", order_by="CaseParty.id", cascade="all, delete-orphan"
    )
    officers: Mapped[list[CaseOfficer]] = relationship(
        back_populates="case", order_by="CaseOfficer.id", cascade="all, delete-orphan"
    )
    penalties: Mapped[list[PenaltyItem]] = relationship(
        back_populates="case", order_by="PenaltyItem.id", cascade="all, delete-orphan"
    )
    sealed_items: Mapped[list[SealedItem]] = relationship(
        back_populates="case", order_by="SealedItem.id", cascade="all, delete-orphan"
    )
    remedies: Mapped[list[RemedyProceeding]] = relationship(
        back_populates="case", order_by="RemedyProceeding.id", cascade="all, delete-orphan"
    )
    violations: Mapped[list[CaseViolation]] = relationship(
        back_populates="case", order_by="CaseViolation.seq", cascade="all, delete-orphan"
    )

    def penalties_at(self, stage: PenaltyStage) -> list[PenaltyItem]:
        return [p for p in self.penalties if p.stage is stage]

    def active_officers(self) -> list[CaseOfficer]:
        return [o for o in self.officers if o.removed_at is None]

    @property
    def officer_names(self) -> str:
        """The officers on the case, "王调查、赵取证" (what an on-site record's form starts from)."""
        return "、".join(o.user.full_name for o in self.active_officers())

    @property
    def officer_credentials(self) -> str:
        """Their 执法证 numbers valid today, in the same order (shown at an on-site act)."""
        today = datetime.now(SHANGHAI).date()
        return "、".join(c.number for o in self.active_officers() for c in o.user.credentials if c.valid_on(today))


class CaseParty(Base):
    __tablename__ = "case_parties"
    __table_args__ = (UniqueConstraint("case_id", "party_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    role: Mapped[PartyRole] = mapped_column(Enum(PartyRole, native_enum=False, length=30))

    case: Mapped[Case] = relationship(back_populates="parties")
    party: Mapped[Party] = relationship()


class CaseOfficer(Base):
    """An officer assigned to the case as 承办人 or 协办人."""

    __tablename__ = "case_officers"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[OfficerRole] = mapped_column(Enum(OfficerRole, native_enum=False, length=20))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    case: Mapped[Case] = relationship(back_populates="officers")
    user: Mapped[User] = relationship()


class PenaltyItem(Base):
    """One penalty at one stage: proposed (处理建议), reviewed (法制审核通过) or decided (决定)."""

    __tablename__ = "penalty_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    stage: Mapped[PenaltyStage] = mapped_column(Enum(PenaltyStage, native_enum=False, length=20))
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    kind: Mapped[str] = mapped_column(String(30))
    amount: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    basis: Mapped[str] = mapped_column(Text)
    # 序号 of the violation (CaseViolation.seq) the penalty is imposed for; None: for the case as a whole.
    violation_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)

    case: Mapped[Case] = relationship(back_populates="penalties")
    party: Mapped[Party] = relationship()


class CaseViolation(Base):
    """One violation the case finds (违法行为): when, which statutory conduct (workflows/conducts.yaml),
    the rule it breaches and the clause that punishes it, the 认定理由, and its amounts — the sums of its
    违法明细 (caseflow.violations) where it is itemised; typed totals only for a violation recorded
    before itemising (a case of migration 0016, or one whose 调查终结 gave the amounts alone). Registered
    while the case is investigated; withdrawn with a reason, never deleted; its 明细 change after
    调查终结 only by 变更认定金额."""

    __tablename__ = "case_violations"
    __table_args__ = (UniqueConstraint("case_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)  # 序号 in the case, from 1
    conduct_code: Mapped[str | None] = mapped_column(String(60), nullable=True)
    conduct: Mapped[str | None] = mapped_column(String(200), nullable=True)  # the statutory words
    rule_breached: Mapped[str | None] = mapped_column(String(300), nullable=True)  # 违反的规定
    punished_by: Mapped[str | None] = mapped_column(String(300), nullable=True)  # the clause punishing it
    period_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    period_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    facts: Mapped[str | None] = mapped_column(Text, nullable=True)  # 认定理由: what was done, how counted
    itemised: Mapped[bool] = mapped_column(Boolean, default=False)
    details: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True, deferred=True)
    amount_involved: Mapped[Decimal | None] = mapped_column(Money, nullable=True)  # 违规费用
    amount_defrauded: Mapped[Decimal | None] = mapped_column(Money, nullable=True)  # 骗取金额
    amount_loss: Mapped[Decimal | None] = mapped_column(Money, nullable=True)  # 造成医疗保障基金损失金额
    by_fund: Mapped[dict[str, str] | None] = mapped_column(JSON, nullable=True)  # 险种 → 基金支付 (元, text)
    event_seq: Mapped[int] = mapped_column(Integer)  # the event that registered (or last changed) it
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_name: Mapped[str] = mapped_column(String(50))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    case: Mapped[Case] = relationship(back_populates="violations")

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None


class SealedItem(Base):
    """One line of the 封存清单: name, quantity, unit (行政强制法 第二十四条第二款第（三）项)."""

    __tablename__ = "sealed_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(300), nullable=True)

    case: Mapped[Case] = relationship(back_populates="sealed_items")


class InterestDeclaration(Base):
    """An officer's declared interest in a party (回避, 行政处罚法 第四十三条)."""

    __tablename__ = "interest_declarations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    reason: Mapped[str] = mapped_column(String(300))
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
    party: Mapped[Party] = relationship()


class CaseEvent(Base):
    """Append-only audit trail: who did what to which case, from which state to which, and why."""

    __tablename__ = "case_events"
    __table_args__ = (
        UniqueConstraint("case_id", "seq"),
        Index("ix_case_events_trigger_occurred_at", "trigger", "occurred_at"),  # the sweep's 退回 notices
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    actor_name: Mapped[str] = mapped_column(String(50))
    post: Mapped[str | None] = mapped_column(String(60), nullable=True)
    trigger: Mapped[str] = mapped_column(String(60))
    trigger_name: Mapped[str] = mapped_column(String(100))
    from_state: Mapped[str | None] = mapped_column(String(40), nullable=True)
    to_state: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opinion: Mapped[str | None] = mapped_column(Text, nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship()


refuse_changes(CaseEvent, update="case_events is append-only", delete="case_events is append-only")


class RemedyKind(str, enum.Enum):
    review = "review"  # 行政复议 (《行政复议法》)
    suit = "suit"  # 行政诉讼 (《行政诉讼法》)

    @property
    def label(self) -> str:
        return {"review": "行政复议", "suit": "行政诉讼"}[self.value]


class RemedyOutcome(str, enum.Enum):
    upheld = "upheld"  # 维持
    revoked = "revoked"  # 撤销
    changed = "changed"  # 变更
    confirmed_illegal = "confirmed_illegal"  # 确认违法
    dismissed = "dismissed"  # 驳回

    @property
    def label(self) -> str:
        return {"upheld": "维持", "revoked": "撤销", "changed": "变更", "confirmed_illegal": "确认违法",
                "dismissed": "驳回"}[self.value]


class RemedyProceeding(Base):
    """The party's 行政复议 or 行政诉讼 against the decision: when, before whom, its 案号, and how it
    ended. While one is pending no 加处罚款 accrues (《行政处罚法》第七十三条第三款) and no court
    enforcement is applied for (《行政强制法》第五十三条)."""

    __tablename__ = "remedy_proceedings"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[RemedyKind] = mapped_column(Enum(RemedyKind, native_enum=False, length=20))
    filed_on: Mapped[date] = mapped_column(Date)
    body: Mapped[str] = mapped_column(String(200))  # 复议机关 / 人民法院
    ref_no: Mapped[str | None] = mapped_column(String(100), nullable=True)  # 案号
    outcome: Mapped[RemedyOutcome | None] = mapped_column(
        Enum(RemedyOutcome, native_enum=False, length=20), nullable=True)
    decided_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    outcome_note: Mapped[str | None] = mapped_column(Text, nullable=True)

    case: Mapped[Case] = relationship(back_populates="remedies")

    @property
    def pending(self) -> bool:
        return self.outcome is None
