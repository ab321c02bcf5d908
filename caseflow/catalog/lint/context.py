"""What every check reads: the catalog items in published order, the known laws, the seed files."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from caseflow.catalog.importer.classify import PENALTY
from caseflow.catalog.lint.laws import KnownLaws
from caseflow.catalog.model import CatalogItem


@dataclass
class LintContext:
    items: list[CatalogItem]  # sorted by key
    laws: KnownLaws
    seeds_dir: Path

    @cached_property
    def by_file(self) -> dict[str, list[CatalogItem]]:
        out: dict[str, list[CatalogItem]] = defaultdict(list)
        for item in self.items:
            out[item.source_file].append(item)
        return dict(out)

    def penalty_items(self) -> list[CatalogItem]:
        return [i for i in self.items if is_penalty(i)]


def is_penalty(item: CatalogItem) -> bool:
    return item.power_type == PENALTY


def list_number(item: CatalogItem) -> str:
    return item.key.split("-")[0]
