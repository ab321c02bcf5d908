"""Which tier of a benchmark entry a case's circumstances lead to, and the amounts it recommends: the
tier's multiples of the base amount, kept inside the lawful range."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from caseflow.discretion.model import Benchmark, Entry, Factor, Tier

__all__ = ["Recommendation", "recommend"]

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Recommendation:
    benchmark: Benchmark
    entry: Entry
    tier: Tier
    base_amount: Decimal
    low: Decimal  # 元, the tier's range of the base amount
    high: Decimal
    factors: tuple[Factor, ...]

    def multiple_of(self, amount: Decimal) -> Decimal:
        return (amount / self.base_amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def contains(self, amount: Decimal) -> bool:
        return self.low <= amount <= self.high

    def describe(self) -> str:
        """"…第1项「从轻」档（骗取金额的2至3倍，即2,000.00至3,000.00元）" """
        lo, hi = self.tier.multiple
        return (f"{self.benchmark.citation}第{self.entry.item}项「{self.tier.tier}」档（{self.entry.base_name}的"
                f"{lo:g}至{hi:g}倍，即{self.low:,.2f}至{self.high:,.2f}元）")


def _holds(when: dict[str, Any] | None, codes: set[str], effects: set[str], amount: Decimal) -> bool:
    if when is None:
        return True
    mode, conditions = next(iter(when.items()))
    results = []
    for cond in conditions:
        key, value = next(iter(cond.items()))
        results.append({
            "factor": lambda: value in codes,
            "effect": lambda: value in effects,
            "no_effect": lambda: value not in effects,
            "amount_at_most": lambda: amount <= Decimal(str(value)),
            "amount_above": lambda: amount > Decimal(str(value)),
        }[key]())
    return all(results) if mode == "all" else any(results)


def recommend(benchmark: Benchmark, entry: Entry, base_amount: Decimal,
              factors: Iterable[Factor]) -> Recommendation | None:
    """The first tier (in file order) whose conditions hold; None without a base amount."""
    if not base_amount or base_amount <= 0:
        return None
    found = tuple(factors)
    codes, effects = {f.code for f in found}, {f.effect for f in found}
    tier = next((t for t in entry.tiers if _holds(t.when, codes, effects, base_amount)), None)
    if tier is None:
        return None
    low = (base_amount * tier.multiple[0]).quantize(CENT, rounding=ROUND_HALF_UP)
    high = (base_amount * tier.multiple[1]).quantize(CENT, rounding=ROUND_HALF_UP)
    return Recommendation(benchmark, entry, tier, base_amount, low, high, found)
