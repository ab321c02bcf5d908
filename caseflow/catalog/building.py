"""Building catalog entries from a published list: import, read the penalty options of each basis,
apply the reviewed hand edits (overlay). The committed files in workflows/catalog/ are exactly what
this produces from the seed lists — a test regenerates and compares them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from caseflow.catalog import importer
from caseflow.catalog.importer.serialise import from_dict, to_dict
from caseflow.catalog.model import CatalogItem
from caseflow.catalog.penalty_text import extract_options
from caseflow.errors import DefinitionError


@dataclass(frozen=True)
class Edit:
    key: str
    field: str
    value: Any
    why: str


def load_overlay(path: Path) -> list[Edit]:
    if not path.exists():
        return []
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    edits = []
    for i, e in enumerate(raw.get("edits") or []):
        if not e.get("why"):
            raise DefinitionError(f"{path.name} 第{i + 1}条人工更正没有写明理由（why）。")
        edits.append(Edit(key=str(e["key"]), field=str(e["field"]), value=e.get("value"), why=e["why"]))
    return edits


def apply_overlay(items: list[CatalogItem], edits: list[Edit]) -> list[CatalogItem]:
    by_key = {i.key: i for i in items}
    for e in edits:
        if e.key not in by_key:
            continue  # an edit of another list
        d = to_dict(by_key[e.key])
        if e.field not in d:
            raise DefinitionError(f"人工更正引用了不存在的字段「{e.field}」（{e.key}）。")
        d[e.field] = e.value
        by_key[e.key] = from_dict(d)
    return [by_key[i.key] for i in items]


def with_options(item: CatalogItem) -> CatalogItem:
    """Read the penalty options of each basis of a 行政处罚 item (a 强制 item's bases set powers)."""
    if item.power_type != "行政处罚":
        return item
    bases = tuple(replace(b, options=extract_options(b.text)) for b in item.bases)
    return replace(item, bases=bases)


def build_list(seed: Path, *, agency: str | None = None, overlay: list[Edit] = ()) -> list[CatalogItem]:  # type: ignore[assignment]
    items = [with_options(i) for i in importer.read_list(seed, agency=agency)]
    return apply_overlay(items, list(overlay))
