"""Shape "tab_rows" (001, 002): one item per line, tab-separated cells under a 序号 header row.

The header may repeat before every item (凉州); sub-header rows (项目/子项) are skipped. Cells are
mapped by header name; an imported row whose cell count differs from its header is an error.
"""

from __future__ import annotations

import re

from caseflow.catalog.importer.classify import is_imported
from caseflow.catalog.importer.cleaning import clean_inline
from caseflow.catalog.importer.raw import (
    RawItem,
    agency_from_preamble,
    cell,
    column,
    optional,
    tab_rows_under_header,
)

_DIGITS = re.compile(r"^\d+$")


def matches(text: str) -> bool:
    return bool(re.search(r"^序号\t", text, re.MULTILINE))


def parse(text: str) -> tuple[list[RawItem], str | None]:
    preamble: list[str] = []
    items: list[RawItem] = []
    position = 0
    for header, cells in tab_rows_under_header(text, preamble):
        first = clean_inline(cells[0])
        if not _DIGITS.match(first):
            continue
        position += 1
        published_type = clean_inline(cell(cells, column(header, "type")))
        if not is_imported(published_type):
            continue
        if len(cells) != len(header):
            raise ValueError(f"tab_rows: row {first} has {len(cells)} cells, header {len(header)}")
        name = clean_inline(cell(cells, column(header, "name")))
        sub_name = clean_inline(cell(cells, column(header, "sub_name")))
        items.append(
            RawItem(
                position=position,
                seq=first,
                published_type=published_type,
                name=f"{name}——{sub_name}" if sub_name else name,
                agency=optional(cell(cells, column(header, "agency"))),
                basis=cell(cells, column(header, "basis")),
                duties=cell(cells, column(header, "duties")),
                accountability=cell(cells, column(header, "accountability")),
                department=optional(cell(cells, column(header, "department"))),
                local_code=optional(cell(cells, column(header, "local_code"))),
            )
        )
    return items, agency_from_preamble(preamble)
