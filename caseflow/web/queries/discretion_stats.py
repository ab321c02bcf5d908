"""监督看板: whether like cases are punished alike (医保发〔2021〕35号 第六条) — for each 裁量基准 条目 and
basis, how many cases each tier was applied to, and the spread of the fines' multiples of the base
amount (最小、中位、最大), and the cases whose fine left the recommended tier.

One query: the 裁量 each of the agency's cases recorded with its proposal (`Case.discretion`, rewritten
by 变更拟处罚意见, so a case counts once, by its latest), the JSON read in Python. Cases whose proposal
came to nothing (撤销立案, 终结, 不予行政处罚, 移送司法机关) are left out; a case counts as 已决定 once
its penalty decision is made."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from statistics import median
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from caseflow.cases.models import Case
from caseflow.discretion.files import load_benchmarks

__all__ = ["SpreadRow", "discretion_spread", "tier_columns"]

ENDED_WITHOUT_PENALTY = ("filing_revoked", "terminated", "not_filed")
TIER_ORDER = ("不予处罚", "减轻", "从轻", "一般", "从重")
_ARTICLE = re.compile(r"^(《[^》]+》第[^条《》]{1,12}条)")


@dataclass
class SpreadRow:
    benchmark: str
    item: int
    basis: str  # the law and article ("《医疗保障基金使用监督管理条例》第四十条")
    name: str = ""  # the 条目's name, where the benchmark still has it
    cases: int = 0
    decided: int = 0  # of them, with the penalty decided
    tiers: dict[str, int] = field(default_factory=dict)  # tier → cases
    multiples: list[Decimal] = field(default_factory=list)  # every fine's
    outside: int = 0  # cases with a fine outside the recommended tier (with a 裁量说明)

    @property
    def low(self) -> Decimal | None:
        return min(self.multiples) if self.multiples else None

    @property
    def middle(self) -> Decimal | None:
        return Decimal(median(self.multiples)).quantize(Decimal("0.01")) if self.multiples else None

    @property
    def high(self) -> Decimal | None:
        return max(self.multiples) if self.multiples else None


def _article(basis: str) -> str:
    m = _ARTICLE.match(basis or "")
    return m.group(1) if m else (basis or "—")[:40]


def _multiple(text: Any) -> Decimal | None:
    try:
        return Decimal(str(text))
    except (InvalidOperation, ValueError):
        return None


def discretion_spread(*, db_session: Session, agency_id: int) -> list[SpreadRow]:
    """Rows by (benchmark, 条目, basis), in that order."""
    rows: dict[tuple[str, int, str], SpreadRow] = {}
    result = db_session.execute(
        select(Case.discretion, Case.decision_kind)
        .where(Case.agency_id == agency_id, Case.discretion.is_not(None),
               Case.state.not_in(ENDED_WITHOUT_PENALTY),
               or_(Case.decision_kind.is_(None), Case.decision_kind == "penalty")))
    for record, decision in result:
        if not isinstance(record, dict):  # a JSON null: no 裁量 recorded
            continue
        fines: dict[tuple[str, int, str], list[dict[str, Any]]] = {}
        for p in record.get("penalties") or ():
            key = (record.get("benchmark") or "—", int(p.get("item") or 0), _article(p.get("basis", "")))
            fines.setdefault(key, []).append(p)
        for key, ps in fines.items():  # the case once per row, by the tier of its first fine there
            row = rows.setdefault(key, SpreadRow(*key))
            row.cases += 1
            row.decided += decision == "penalty"
            tier = ps[0].get("tier") or "—"
            row.tiers[tier] = row.tiers.get(tier, 0) + 1
            row.multiples += [m for m in (_multiple(p.get("multiple")) for p in ps) if m is not None]
            row.outside += any(not p.get("within", True) for p in ps)
    names = {(b.title, e.item): e.name for b in load_benchmarks().values() for e in b.entries}
    for (title, item, _), row in rows.items():
        row.name = names.get((title, item), "")
    return [rows[k] for k in sorted(rows)]


def tier_columns(rows: list[SpreadRow]) -> list[str]:
    """The tiers the rows use, lightest first."""
    used = {t for r in rows for t in r.tiers}
    return [t for t in TIER_ORDER if t in used] + sorted(used - set(TIER_ORDER))
