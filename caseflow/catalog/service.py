"""The catalog service: loading workflows/catalog/, finding items, snapshots for cases."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from caseflow.catalog.files import read_list
from caseflow.catalog.lawful_penalties import RETURN, return_bound_text
from caseflow.catalog.model import TARGET_LABEL, CatalogItem, LegalBasis
from caseflow.catalog.ranges import NoRange, lawful_range
from caseflow.config import get_settings
from caseflow.errors import DefinitionError, InvalidInput, NotFound


@dataclass(frozen=True)
class Catalog:
    items: dict[str, CatalogItem]

    def item(self, key: str) -> CatalogItem:
        try:
            return self.items[key]
        except KeyError:
            raise NotFound(f"事项目录中没有编号为「{key}」的事项。") from None

    def search(self, text: str = "", *, agency: str | None = None) -> list[CatalogItem]:
        return [
            i for i in self.items.values()
            if (not text or text in i.name or text == i.key) and (agency is None or i.agency == agency)
        ]


def load_catalog(directory: Path) -> Catalog:
    items: dict[str, CatalogItem] = {}
    for path in sorted(directory.glob("list-*.yaml")):
        for item in read_list(path):
            if item.key in items:
                raise DefinitionError(f"事项编号「{item.key}」重复（{path.name}）。")
            items[item.key] = item
    return Catalog(items)


@lru_cache(maxsize=4)
def _catalog_at(directory: str) -> Catalog:
    return load_catalog(Path(directory))


def get_catalog() -> Catalog:
    return _catalog_at(str(get_settings().workflows_dir / "catalog"))


def find_basis(item: CatalogItem, basis: str) -> LegalBasis:
    """The basis of `item` named by its article (第四十条) or full citation; Chinese error if none."""
    matches = [b for b in item.bases if basis in (b.article, b.citation) or b.citation.endswith(basis)]
    if not matches:
        cited = "、".join(b.citation for b in item.bases) or "无"
        raise InvalidInput(f"事项「{item.key}」没有依据「{basis}」；可选依据：{cited}。",
                           details={"basis": "不是本事项的依据"})
    return matches[0]


def basis_ranges(item: CatalogItem, basis: LegalBasis, base_amount: str | Decimal | None,
                 case_amounts: Mapping[str, Decimal | None] | None = None) -> list[dict[str, object]]:
    """Every measure of the basis with its lawful range for this base amount (元); a measure
    another authority takes (`by_other_authority`) has no range and says so. With a case's
    recorded amounts (`case_amounts`), 责令退回 says how far it may go in that case."""
    amount = None
    if base_amount not in (None, ""):
        try:
            amount = Decimal(str(base_amount))
        except InvalidOperation:
            raise InvalidInput("基数金额须为数字（单位：元）。", details={"amount": "须为数字"}) from None
    rows: list[dict[str, object]] = []
    for option in basis.options:
        row: dict[str, object] = {"kind": option.kind, "target": option.target,
                                  "target_label": TARGET_LABEL.get(option.target, option.target),
                                  "condition": option.condition,
                                  "by_other_authority": option.by_other_authority}
        if option.by_other_authority:  # a referral (处分, 吊销执业资格 …): not the bureau's to impose
            row.update(minimum=None, maximum=None, unit=None,
                       explanation=f"转由{option.by_other_authority}依法办理，不是本局作出的处罚"
                                   f"（{basis.citation}）")
            rows.append(row)
            continue
        if option.kind == RETURN and case_amounts is not None:
            row.update(minimum=None, maximum=None, unit=None,
                       explanation=return_bound_text(basis, option, case_amounts))
            rows.append(row)
            continue
        try:
            r = lawful_range(option, base_amount=amount, citation=basis.citation)
            row.update(minimum=str(r.minimum), maximum=str(r.maximum), unit=r.unit,
                       explanation=r.explanation)
        except NoRange as exc:
            row.update(minimum=None, maximum=None, unit=None, explanation=str(exc))
        except ValueError as exc:
            raise InvalidInput(str(exc), details={"amount": str(exc)}) from None
        rows.append(row)
    return rows
