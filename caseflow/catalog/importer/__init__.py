"""Importer of published 权责清单: one `CatalogItem` per 行政处罚 / 行政强制 item of a list file.

`read_list(path)` detects which of the known text shapes the file has, parses it with that shape's
module and builds the items (other types — 行政检查, 行政确认, 行政给付, 其他 … — are skipped).
The data is kept as published; only markup is removed. `serialise` writes/reads items as dicts.

Shapes: `cell_lines` (one cell per tab-indented line, 玉田), `tab_rows` (tab-separated rows),
`sectioned` (总表 + one table per type, 平山), `post_rows` (岗责体系 with one row per post, 栾川).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from caseflow.catalog.importer import cell_lines, post_rows, sectioned, tab_rows
from caseflow.catalog.importer.build import build_item
from caseflow.catalog.importer.classify import is_imported
from caseflow.catalog.importer.raw import RawItem
from caseflow.catalog.importer.serialise import from_dict, to_dict
from caseflow.catalog.model import CatalogItem

Parser = Callable[[str], tuple[list[RawItem], str | None]]

# Checked in this order: the more specific shapes first (a 岗责体系 or a 总表 also has 序号 rows).
SHAPES: dict[str, tuple[Callable[[str], bool], Parser]] = {
    "post_rows": (post_rows.matches, post_rows.parse),
    "sectioned": (sectioned.matches, sectioned.parse),
    "cell_lines": (cell_lines.matches, cell_lines.parse),
    "tab_rows": (tab_rows.matches, tab_rows.parse),
}


def detect_shape(text: str) -> str:
    for shape, (matches, _) in SHAPES.items():
        if matches(text):
            return shape
    raise ValueError("unknown list shape: no 序号 header found")


def read_list(path: Path | str, *, agency: str | None = None) -> list[CatalogItem]:
    """The 行政处罚 and 行政强制 items of the list at `path`, in published order.

    `agency` overrides the issuing body found in the list (行政主体/实施主体/行使主体 or header).
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    raw_items, list_agency = SHAPES[detect_shape(text)][1](text)
    return [
        build_item(raw, source_file=path.name, list_agency=list_agency, agency=agency)
        for raw in raw_items
        if is_imported(raw.published_type)
    ]


__all__ = ["SHAPES", "detect_shape", "from_dict", "read_list", "to_dict"]
