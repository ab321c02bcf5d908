"""Shape "cell_lines" (玉田, 000): one cell per tab-indented line, cells spanning several lines.

Every line that starts with a tab (possibly after spaces) opens a cell; lines without one continue
the open cell. The header is the run of cells before the first item. An item starts at its 权力类型
cell, optionally preceded by a numeric 序号 cell (later items of the list have none, and no 备注).
"""

from __future__ import annotations

import re

from caseflow.catalog.importer.classify import is_type_cell
from caseflow.catalog.importer.cleaning import clean_inline
from caseflow.catalog.importer.raw import RawItem, agency_from_preamble, cell, column, optional

_CELL_START = re.compile(r"^[ \u00a0\u3000]*\t")
_DIGITS = re.compile(r"^\d+$")


def matches(text: str) -> bool:
    return bool(re.search(r"^[ \t]*\t序号[ \t]*$", text, re.MULTILINE))


def _cells(text: str) -> tuple[list[str], list[str]]:
    """(preamble lines, raw cells in order)."""
    preamble: list[str] = []
    cells: list[str] = []
    for line in text.split("\n"):
        m = _CELL_START.match(line)
        if m:
            cells.append(line[m.end() :])
        elif not line.strip():
            continue
        elif cells:
            cells[-1] += "\n" + line
        else:
            preamble.append(line)
    return preamble, cells


def parse(text: str) -> tuple[list[RawItem], str | None]:
    preamble, raw_cells = _cells(text)
    flat = [clean_inline(c) for c in raw_cells]
    starts: list[tuple[int, str]] = []  # (index of the 权力类型 cell, 序号 as published)
    for i, value in enumerate(flat):
        if is_type_cell(value) and i > 0:
            seq = flat[i - 1] if _DIGITS.match(flat[i - 1]) else ""
            starts.append((i, seq))
    if not starts:
        return [], agency_from_preamble(preamble)
    first = starts[0][0] - (1 if starts[0][1] else 0)
    header = flat[:first]
    type_col = column(header, "type")
    if type_col is None:
        raise ValueError("cell_lines: no 权力类型 column in the header")

    def field(cells: list[str], name: str) -> str:
        index = column(header, name)
        if index is None or index < type_col:
            return ""
        return cell(cells, index - type_col)

    items: list[RawItem] = []
    for n, (start, seq) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(raw_cells)
        if n + 1 < len(starts) and starts[n + 1][1]:
            end -= 1  # the next item's 序号 cell
        cells = raw_cells[start:end]
        items.append(
            RawItem(
                position=n + 1,
                seq=seq,
                published_type=flat[start],
                name=clean_inline(field(cells, "name")),
                agency=optional(field(cells, "agency")),
                basis=field(cells, "basis"),
                duties=field(cells, "duties"),
                accountability=field(cells, "accountability"),
                department=optional(field(cells, "department")),
            )
        )
    return items, agency_from_preamble(preamble)
