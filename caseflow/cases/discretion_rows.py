"""The 裁量 of each case's proposal as rows the 监督看板 counts (`case_discretion_rows`): one row per
罚款 the 裁量基准 covers, written with the 裁量 itself (`Case.discretion`, by `record_discretion` at
调查终结 and 变更拟处罚意见: the rows of the latest proposal replace the earlier ones, in the same
transaction), so the board groups narrow rows by an index instead of reading every case's JSON.

Each row also holds its case's `state` and `decision_kind` (which cases count and which are decided is
the board's rule, applied when it reads): they are copied when the rows are written and kept in step by
a database trigger on `cases` (migration 0017), whatever changes the case afterwards.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, delete, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from caseflow.cases.models import Case
from caseflow.db.base import Base

__all__ = ["CaseDiscretionRow", "article_of", "multiple_of", "replace_rows", "rows_of"]

_ARTICLE = re.compile(r"^(《[^》]+》第[^条《》]{1,12}条)")
NO_BENCHMARK = "—"  # the key of a 裁量 recorded without a benchmark title
NO_TIER = "—"


class CaseDiscretionRow(Base):
    """One 罚款 of a case's latest proposal, as the 裁量基准 judged it."""

    __tablename__ = "case_discretion_rows"
    __table_args__ = (
        # 监督看板's 裁量 table: the agency's rows in (benchmark, 条目, basis) order with every figure it
        # counts, read from this index alone (GROUP BY, no case row read).
        Index("ix_case_discretion_rows_board", "agency_id", "benchmark", "item", "basis", "tier", "multiple",
              "first_of_case", "case_outside", "decision_kind", "case_state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    seq: Mapped[int] = mapped_column(Integer)  # the fine's place in the 裁量 (its `penalties`), from 0
    benchmark: Mapped[str] = mapped_column(String(200))  # the benchmark's title, NO_BENCHMARK without one
    item: Mapped[int] = mapped_column(Integer)  # the benchmark's 条目
    basis: Mapped[str] = mapped_column(String(200))  # the law and article ("《…条例》第四十条")
    tier: Mapped[str] = mapped_column(String(40))  # the tier recommended (从轻, 一般 …), NO_TIER without one
    multiple: Mapped[str | None] = mapped_column(String(60), nullable=True)  # the fine ÷ the base, as recorded
    within: Mapped[bool] = mapped_column(Boolean)  # the fine lies in the recommended tier
    # The case's first fine of its (benchmark, 条目, basis) row: the case is counted there once, by this
    # fine's tier; `case_outside`: some fine of the case in that row left the recommended tier.
    first_of_case: Mapped[bool] = mapped_column(Boolean)
    case_outside: Mapped[bool] = mapped_column(Boolean)
    # Copies of the case's columns (the trigger of migration 0017 keeps them in step).
    case_state: Mapped[str] = mapped_column(String(40))
    decision_kind: Mapped[str | None] = mapped_column(String(20), nullable=True)


def article_of(basis: str | None) -> str:
    """The law and article a penalty's basis cites ("《…》第四十条"), else its first 40 characters."""
    m = _ARTICLE.match(basis or "")
    return m.group(1) if m else (basis or "—")[:40]


def multiple_of(text: Any) -> Decimal | None:
    try:
        return Decimal(str(text))
    except (InvalidOperation, ValueError):
        return None


def rows_of(record: Any) -> list[dict[str, Any]]:
    """The rows of one recorded 裁量 (`Case.discretion`), without the case's own columns."""
    if not isinstance(record, dict):  # None, or a JSON null: no 裁量 recorded
        return []
    benchmark = record.get("benchmark") or NO_BENCHMARK
    out: list[dict[str, Any]] = []
    groups: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for seq, p in enumerate(record.get("penalties") or ()):
        item, basis = int(p.get("item") or 0), article_of(p.get("basis", ""))
        m = multiple_of(p.get("multiple"))
        row = {"seq": seq, "benchmark": benchmark[:200], "item": item, "basis": basis[:200],
               "tier": (p.get("tier") or NO_TIER)[:40],
               "multiple": str(m) if m is not None and len(str(m)) <= 60 else None,
               "within": bool(p.get("within", True)), "first_of_case": (item, basis) not in groups}
        groups.setdefault((item, basis), []).append(row)
        out.append(row)
    for rows in groups.values():
        outside = any(not r["within"] for r in rows)
        for r in rows:
            r["case_outside"] = outside
    return out


def replace_rows(db_session: Session, case: Case) -> None:
    """Write the rows of the case's 裁量 as it now stands, in place of its earlier ones.

    The case's state and decision are taken from its row in the database when the rows are inserted;
    the trigger on `cases` carries whatever this transaction flushes to them later."""
    table = CaseDiscretionRow.__table__
    db_session.execute(delete(table).where(table.c.case_id == case.id))
    rows = rows_of(case.discretion)
    if not rows:
        return
    state = select(Case.state).where(Case.id == case.id).scalar_subquery()
    kind = select(Case.decision_kind).where(Case.id == case.id).scalar_subquery()
    db_session.execute(insert(table).values([
        {**r, "case_id": case.id, "agency_id": case.agency_id, "case_state": state, "decision_kind": kind}
        for r in rows]))
