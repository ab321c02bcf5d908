"""监督看板: whether like cases are punished alike (医保发〔2021〕35号 第六条) — for each 裁量基准 条目 and
basis, how many cases each tier was applied to, and the spread of the fines' multiples of the base
amount (最小、中位、最大), and the cases whose fine left the recommended tier.

One GROUP BY over the agency's `case_discretion_rows` (caseflow.cases.discretion_rows: the 裁量 each case
recorded with its latest proposal, one row per fine, replaced by 变更拟处罚意见, so a case counts once),
read from one index: the groups come back, never the cases. Cases whose proposal came to nothing
(撤销立案, 终结, 不予行政处罚, 移送司法机关) are left out; a case counts as 已决定 once its penalty
decision is made — both read from the case's state and decision the rows carry."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from caseflow.cases.discretion_rows import CaseDiscretionRow, multiple_of
from caseflow.discretion.files import load_benchmarks

__all__ = ["SpreadRow", "discretion_spread", "tier_columns"]

ENDED_WITHOUT_PENALTY = ("filing_revoked", "terminated", "not_filed")
TIER_ORDER = ("不予处罚", "减轻", "从轻", "一般", "从重")


@dataclass
class SpreadRow:
    benchmark: str
    item: int
    basis: str  # the law and article ("《医疗保障基金使用监督管理条例》第四十条")
    name: str = ""  # the 条目's name, where the benchmark still has it
    cases: int = 0
    decided: int = 0  # of them, with the penalty decided
    tiers: dict[str, int] = field(default_factory=dict)  # tier → cases
    multiples: Counter[Decimal] = field(default_factory=Counter)  # every fine's multiple → how many fines
    outside: int = 0  # cases with a fine outside the recommended tier (with a 裁量说明)

    @property
    def low(self) -> Decimal | None:
        return min(self.multiples) if self.multiples else None

    @property
    def middle(self) -> Decimal | None:
        """The median of every fine's multiple (the mean of the two middle ones for an even count)."""
        n = sum(self.multiples.values())
        if not n:
            return None
        ranks, seen, picked = ((n - 1) // 2, n // 2), 0, []
        for m in sorted(self.multiples):
            k = self.multiples[m]
            picked += [m for r in ranks if seen <= r < seen + k]
            seen += k
        mid = picked[0] if n % 2 else (picked[0] + picked[1]) / 2
        return Decimal(mid).quantize(Decimal("0.01"))

    @property
    def high(self) -> Decimal | None:
        return max(self.multiples) if self.multiples else None


def discretion_spread(*, db_session: Session, agency_id: int) -> list[SpreadRow]:
    """Rows by (benchmark, 条目, basis), in that order."""
    r = CaseDiscretionRow
    cols: tuple[Any, ...] = (r.benchmark, r.item, r.basis, r.tier, r.multiple, r.first_of_case, r.case_outside,
                             r.decision_kind)  # the index's order: the groups stream out of it
    result = db_session.execute(
        select(*cols, func.count())
        .where(r.agency_id == agency_id, r.case_state.not_in(ENDED_WITHOUT_PENALTY),
               or_(r.decision_kind.is_(None), r.decision_kind == "penalty"))
        .group_by(*cols))
    rows: dict[tuple[str, int, str], SpreadRow] = {}
    for benchmark, item, basis, tier, multiple, first, outside, kind, n in result:
        is_decided = kind == "penalty"
        row = rows.setdefault((benchmark, item, basis), SpreadRow(benchmark, item, basis))
        if first:  # the case, once per row, by the tier of its first fine there
            row.cases += n
            row.decided += n if is_decided else 0
            row.tiers[tier] = row.tiers.get(tier, 0) + n
            row.outside += n if outside else 0
        m = multiple_of(multiple) if multiple is not None else None
        if m is not None:
            row.multiples[m] += n
    names = {(b.title, e.item): e.name for b in load_benchmarks().values() for e in b.entries}
    for (title, item, _), row in rows.items():
        row.name = names.get((title, item), "")
    return [rows[k] for k in sorted(rows)]


def tier_columns(rows: list[SpreadRow]) -> list[str]:
    """The tiers the rows use, lightest first."""
    used = {t for r in rows for t in r.tiers}
    return [t for t in TIER_ORDER if t in used] + sorted(used - set(TIER_ORDER))
