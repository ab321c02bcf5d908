"""The shape-independent raw record each list-shape parser yields, and column/header helpers.

A `RawItem` holds the cells of one list item still as text (markup included); `build.py` turns it
into a `CatalogItem`. Column headers differ between lists, so fields are looked up by alias.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from caseflow.catalog.importer.cleaning import clean_inline


@dataclass(frozen=True)
class RawPost:
    """One row of a 岗责体系: the post (立案岗 …), its duty text and its 实施科室."""

    post: str
    duty: str
    section: str


@dataclass(frozen=True)
class RawItem:
    position: int  # 1-based position of the item among all items of its list (every type)
    seq: str  # 序号 as published ("" when the list leaves it empty)
    published_type: str
    name: str
    agency: str | None = None
    basis: str = ""  # 实施依据 / 设定依据 / 事项法定依据 cell, raw
    duties: str = ""  # 责任事项 cell, raw
    accountability: str = ""  # 追责情形 cell, raw
    department: str | None = None
    local_code: str | None = None
    posts: tuple[RawPost, ...] = ()
    key_number: int | None = None  # overrides int(seq) for the key (003: the 总序号)
    notes: tuple[str, ...] = ()


# field → the header texts that name that column in the published lists
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "seq": ("序号",),
    "type": ("权力类型", "事项类别", "职权类别", "类别"),
    "name": ("权力事项", "事项名称", "项目名称"),
    "sub_name": ("子项名称",),
    "agency": ("行政主体", "实施主体", "行使主体"),
    "basis": ("实施依据", "设定依据", "事项法定依据", "法定依据"),
    "duties": ("责任事项", "责任事项内容"),
    "accountability": ("追责情形",),
    "department": ("承办机构", "实施科室", "承办科室"),
    "local_code": ("地方权力编码",),
    "remark": ("备注",),
}

_AGENCY_IN_UNIT_LINE = re.compile(r"单位[：:]\s*(.+?)\s*[（(]公章[)）]")
_AGENCY_IN_TITLE = re.compile(r"^(.+?(?:医疗保障局|医保局))")
_DEPARTMENT_LIKE = re.compile(r"^[\u4e00-\u9fff]{2,12}(?:科|股|室|中心|处)$")


def column(header: list[str], field: str) -> int | None:
    """Index of `field`'s column in a cleaned header row; None when the list has no such column."""
    for alias in COLUMN_ALIASES[field]:
        if alias in header:
            return header.index(alias)
    return None


def cell(cells: list[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index]


def optional(text: str) -> str | None:
    """A cleaned single-value cell, None when empty."""
    value = clean_inline(text)
    return value or None


def looks_like_department(text: str) -> bool:
    """备注 cells that in fact name the handling section (平山: 基金监管科, 参保登记科 …)."""
    return bool(_DEPARTMENT_LIKE.match(clean_inline(text)))


def agency_from_preamble(lines: list[str]) -> str | None:
    """The issuing bureau named in the title lines: 单位：X（公章）, or X医疗保障局…清单."""
    cleaned = [clean_inline(line) for line in lines]
    for line in cleaned:
        m = _AGENCY_IN_UNIT_LINE.search(line)
        if m:
            return m.group(1)
    for line in cleaned:
        m = _AGENCY_IN_TITLE.match(line)
        if m:
            return m.group(1)
    return None


def tab_rows_under_header(text: str, preamble: list[str]) -> Iterator[tuple[list[str], list[str]]]:
    """(header, cells) for every tab-separated row after a 序号 header row (which may repeat).

    Lines without a tab before the first header are collected into `preamble` (the list's title
    and issuing body); rows before any header are skipped.
    """
    header: list[str] | None = None
    for line in text.split("\n"):
        if "\t" not in line:
            if header is None and line.strip():
                preamble.append(line)
            continue
        cells = line.split("\t")
        if clean_inline(cells[0]) == "序号":
            header = [clean_inline(c) for c in cells]
        elif header is not None:
            yield header, cells
