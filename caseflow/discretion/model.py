"""The shape of a province's 裁量基准: circumstances (情节) with their effect, and entries — for the
penalties of some bases — with tiers of multiples of a base amount and the conditions of each tier."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

__all__ = ["Benchmark", "Entry", "Factor", "Tier", "EFFECTS", "BASE_AMOUNTS"]

EFFECTS = {"lighter": "从轻或者减轻", "heavier": "从重"}
# The amount a multiple is of, as the case records it.
BASE_AMOUNTS = {"amount_defrauded": "骗取金额", "amount_loss": "造成损失金额"}


@dataclass(frozen=True)
class Factor:
    code: str
    name: str
    effect: str  # lighter | heavier
    basis: str
    statutory: bool = False
    verified: bool = True


@dataclass(frozen=True)
class Tier:
    tier: str  # 从轻 / 一般 / 从重
    multiple: tuple[Decimal, Decimal]
    when: dict[str, Any] | None
    text: str
    verified: bool


@dataclass(frozen=True)
class Entry:
    item: int  # 第…项
    name: str
    bases: tuple[str, ...]
    measure: str
    base: str  # a key of BASE_AMOUNTS
    lawful: tuple[Decimal, Decimal]
    tiers: tuple[Tier, ...]

    def applies_to(self, kind: str, basis: str) -> bool:
        return kind == self.measure and any(basis.startswith(b) for b in self.bases)

    @property
    def base_name(self) -> str:
        return BASE_AMOUNTS[self.base]


@dataclass(frozen=True)
class Benchmark:
    province: str
    title: str
    source: str
    verified: bool
    factors: tuple[Factor, ...] = ()
    entries: tuple[Entry, ...] = ()
    file: str = ""
    by_code: dict[str, Factor] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_code.update({f.code: f for f in self.factors})

    @property
    def citation(self) -> str:
        return f"《{self.title}》"

    def entry_for(self, kind: str, basis: str) -> Entry | None:
        return next((e for e in self.entries if e.applies_to(kind, basis)), None)

    def factor_named(self, text: str) -> Factor | None:
        """A circumstance by its code or its name (a form sends either)."""
        return self.by_code.get(text) or next((f for f in self.factors if f.name == text), None)
