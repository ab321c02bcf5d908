"""Shape "post_rows" (栾川, 004): a 岗责体系 with one row per post of each item.

Columns: 序号, 项目名称, 职权类别, 设定依据, 岗位职责 (post name), (duty text), 实施科室. The first
row of an item carries 序号 … 设定依据; the following rows leave those cells empty and only give
another post (调查岗, 审查岗 …) with its duty and section. The list has no 追责情形.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from caseflow.catalog.importer.classify import is_imported
from caseflow.catalog.importer.cleaning import clean_inline
from caseflow.catalog.importer.raw import (
    RawItem,
    RawPost,
    agency_from_preamble,
    cell,
    column,
    tab_rows_under_header,
)

_DIGITS = re.compile(r"^\d+$")
_HEADER = re.compile(r"^序号\t.*\t岗位(?:职责|责任)\t", re.MULTILINE)


def matches(text: str) -> bool:
    return bool(_HEADER.search(text))


def _post_columns(header: list[str]) -> tuple[int, int, int]:
    """(post, duty, section) columns: the 岗位职责 header spans post and the unnamed duty cell."""
    post = next(i for i, h in enumerate(header) if h.startswith("岗位"))
    section = column(header, "department")
    if section is None:
        raise ValueError("post_rows: no 实施科室 column")
    return post, post + 1, section


@dataclass
class _Group:
    """The rows of one item while reading: its first row's cells and its posts."""

    cells: list[str]
    header: list[str]
    posts: list[RawPost] = field(default_factory=list)


def _groups(text: str) -> tuple[list[_Group], list[str]]:
    preamble: list[str] = []
    groups: list[_Group] = []
    for header, cells in tab_rows_under_header(text, preamble):
        if _DIGITS.match(clean_inline(cells[0])):
            groups.append(_Group(cells=cells, header=header))
        post_col, duty_col, section_col = _post_columns(header)
        if groups and clean_inline(cell(cells, post_col)):
            post = RawPost(cell(cells, post_col), cell(cells, duty_col), cell(cells, section_col))
            groups[-1].posts.append(post)
    return groups, preamble


def parse(text: str) -> tuple[list[RawItem], str | None]:
    groups, preamble = _groups(text)
    items: list[RawItem] = []
    for position, group in enumerate(groups, start=1):
        header, cells = group.header, group.cells
        published_type = clean_inline(cell(cells, column(header, "type")))
        if not is_imported(published_type):
            continue
        # 实施科室 of the item: that of its 立案岗 (sealing has none: its first post).
        first = next((p for p in group.posts if clean_inline(p.post) == "立案岗"), None)
        first = first or (group.posts[0] if group.posts else None)
        items.append(
            RawItem(
                position=position,
                seq=clean_inline(cells[0]),
                published_type=published_type,
                name=clean_inline(cell(cells, column(header, "name"))),
                basis=cell(cells, column(header, "basis")),
                department=(clean_inline(first.section) or None) if first else None,
                posts=tuple(group.posts),
            )
        )
    return items, agency_from_preamble(preamble)
