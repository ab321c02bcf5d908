"""List-level checks on the raw seed text: the totals a list declares vs. what it lists.

A list may declare "（共六类、十八项）" under its title, a garbled "类(17)项", or (平山) a 总表
with one "N、<类别>  共 n 项" heading per type and one table per type titled "权责清单（<类别>类、
共 n 项）". Declared numbers are compared with the categories, headings and rows actually listed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from caseflow.catalog import importer
from caseflow.catalog.importer.cleaning import clean_inline
from caseflow.catalog.importer.raw import cell, column, tab_rows_under_header
from caseflow.catalog.lint.context import LintContext
from caseflow.catalog.lint.findings import WARNING, Finding
from caseflow.catalog.penalty_text import parse_number

_CN = r"[零〇一二两三四五六七八九十百\d]+"
_TOTALS = re.compile(rf"共\s*({_CN})\s*类\s*[、，,]\s*({_CN})\s*项")
_GARBLED_TOTALS = re.compile(r"^\s*类\s*[（(]\s*(\d+)\s*[)）]\s*项\s*$", re.MULTILINE)
_SUMMARY_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+、(\S+?)\t共\s*(\d+)\s*项", re.MULTILINE)
_SUMMARY_ROW = re.compile(r"^\d+\t\d+\t", re.MULTILINE)
_TABLE_HEADING = re.compile(rf"^权责清单[（(](.+?)类[、，]\s*(?:共\s*)?({_CN})\s*项", re.MULTILINE)
_ROW = re.compile(r"^\d+\t", re.MULTILINE)


def _n(text: str) -> int:
    return int(parse_number(text))


def _listed(text: str) -> tuple[int, set[str]]:
    """(number of items, their types) as listed in a list of one of the row shapes."""
    shape = importer.detect_shape(text)
    if shape == "cell_lines":
        raw, _ = importer.SHAPES[shape][1](text)
        return len(raw), {r.published_type for r in raw}
    types = []
    for header, cells in tab_rows_under_header(text, []):
        if re.fullmatch(r"\d+", clean_inline(cells[0])):
            types.append(clean_inline(cell(cells, column(header, "type"))))
    return len(types), set(types)


def _summary_table(name: str, text: str) -> Iterator[Finding]:
    """平山's 总表: the declared totals vs. its headings and rows, and each table's own count."""
    first_table = _TABLE_HEADING.search(text)
    summary = text[: first_table.start()] if first_table else text
    headings = list(_SUMMARY_HEADING.finditer(summary))
    for n, h in enumerate(headings):
        end = headings[n + 1].start() if n + 1 < len(headings) else len(summary)
        rows = len(_SUMMARY_ROW.findall(summary, h.end(), end))
        if rows != int(h.group(2)):
            yield Finding(name, None, "SUMMARY_COUNT_MISMATCH", WARNING,
                          f"总表“{h.group(1)}”写“共{h.group(2)}项”，其下列出{rows}项。")
    m = _TOTALS.search(summary)
    if m and headings:
        non_empty = sum(1 for h in headings if int(h.group(2)) > 0)
        if _n(m.group(1)) != len(headings):
            yield Finding(name, None, "SUMMARY_COUNT_MISMATCH", WARNING,
                          f"总表写明“共{m.group(1)}类”，但列出{len(headings)}类"
                          f"（其中{non_empty}类有事项、{len(headings) - non_empty}类为0项）。")
        rows = len(_SUMMARY_ROW.findall(summary))
        if _n(m.group(2)) != rows:
            yield Finding(name, None, "SUMMARY_COUNT_MISMATCH", WARNING,
                          f"总表写明“{m.group(2)}项”，但列出{rows}项。")
    tables = list(_TABLE_HEADING.finditer(text))
    for n, t in enumerate(tables):
        end = tables[n + 1].start() if n + 1 < len(tables) else len(text)
        rows = len(_ROW.findall(text, t.end(), end))
        if rows != _n(t.group(2)):
            yield Finding(name, None, "SUMMARY_COUNT_MISMATCH", WARNING,
                          f"“权责清单（{t.group(1)}类）”写“{t.group(2)}项”，表中列出{rows}项。")


def _title_totals(name: str, text: str) -> Iterator[Finding]:
    """The totals under a list's title vs. the items and types listed."""
    header = text.find("序号")
    preamble = text[:header] if header >= 0 else text
    count, types = _listed(text)
    if m := _TOTALS.search(preamble):
        if _n(m.group(1)) != len(types) or _n(m.group(2)) != count:
            yield Finding(name, None, "SUMMARY_COUNT_MISMATCH", WARNING,
                          f"标题下写“共{m.group(1)}类、{m.group(2)}项”，"
                          f"清单实际列出{len(types)}类、{count}项。")
    elif m := _GARBLED_TOTALS.search(preamble):
        if int(m.group(1)) != count:
            yield Finding(name, None, "SUMMARY_COUNT_MISMATCH", WARNING,
                          f"标题下写“{m.group(1)}项”，清单实际列出{count}项。")
        yield Finding(name, None, "SUMMARY_INCOMPLETE", WARNING,
                      f"标题下写“{m.group(0).strip()}”，缺少类别数（清单列出{len(types)}类、{count}项）。")


def check_list_totals(ctx: LintContext) -> Iterator[Finding]:
    """SUMMARY_COUNT_MISMATCH / SUMMARY_INCOMPLETE for every seed file of the catalog."""
    for name in ctx.by_file:
        path: Path = ctx.seeds_dir / name
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8-sig")
        if importer.detect_shape(text) == "sectioned":
            yield from _summary_table(name, text)
        else:
            yield from _title_totals(name, text)
