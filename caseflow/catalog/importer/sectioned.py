"""Shape "sectioned" (平山, 003): a 总表 (summary) followed by one detail table per power type.

Items come from the detail tables (序号 restarts at 1 in every table); the 总表 gives each item its
总序号, used for the key so keys stay unique across tables, and is used to cross-check names and
counts (a mismatch becomes a note on the item). `---` rule lines separate rows; a line that does
not start a row continues the previous one. The 备注 column names the handling section (科).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from caseflow.catalog.importer.classify import is_imported
from caseflow.catalog.importer.cleaning import clean_inline, is_rule
from caseflow.catalog.importer.raw import (
    RawItem,
    agency_from_preamble,
    cell,
    column,
    looks_like_department,
    optional,
)

_SECTION = re.compile(r"^权责清单[（(](.+?)类")
_SUMMARY_TYPE = re.compile(r"^\s*[一二三四五六七八九十]+、(\S+?)\t共\s*(\d+)\s*项")
_SUMMARY_ROW = re.compile(r"^(\d+)\t(\d+)\t([^\t]*)")
_ROW = re.compile(r"^\d+\t")


@dataclass(frozen=True)
class SummaryEntry:
    total_seq: int
    seq: int
    power_type: str
    name: str


def matches(text: str) -> bool:
    return "总表" in text and bool(re.search(r"^总序号\t", text, re.MULTILINE))


def _summary(lines: list[str]) -> tuple[list[SummaryEntry], dict[str, int]]:
    entries: list[SummaryEntry] = []
    counts: dict[str, int] = {}
    current = ""
    for line in lines:
        m = _SUMMARY_TYPE.match(line)
        if m:
            current = m.group(1)
            counts[current] = int(m.group(2))
            continue
        m = _SUMMARY_ROW.match(line)
        if m:
            total_seq, seq, name = int(m.group(1)), int(m.group(2)), clean_inline(m.group(3))
            entries.append(SummaryEntry(total_seq, seq, current, name))
    return entries, counts


def _detail_rows(lines: list[str]) -> list[tuple[str, list[str], list[str]]]:
    """(section type, header, raw cells) per detail row, in order."""
    rows: list[tuple[str, list[str], list[str]]] = []
    section, header, open_row = "", [], None
    for line in lines:
        m = _SECTION.match(line.strip())
        starts_row = bool(_ROW.match(line))
        ends_row = bool(m) or starts_row or line.startswith("序号\t") or is_rule(line)
        if open_row is not None and ends_row:
            rows.append((section, header, open_row.split("\t")))
            open_row = None
        if m:
            section = m.group(1)
        elif line.startswith("序号\t"):
            header = [clean_inline(c) for c in line.split("\t")]
        elif starts_row:
            open_row = line
        elif open_row is not None and line.strip() and not line.strip().startswith("单位"):
            open_row += "\n" + line
    if open_row is not None:
        rows.append((section, header, open_row.split("\t")))
    return rows


def parse(text: str) -> tuple[list[RawItem], str | None]:
    lines = text.split("\n")
    first_section = next((i for i, l in enumerate(lines) if _SECTION.match(l.strip())), len(lines))
    summary, counts = _summary(lines[:first_section])
    by_type_seq = {(e.power_type, e.seq): e for e in summary}
    rows = _detail_rows(lines[first_section:])
    detail_counts: dict[str, int] = {}
    for section, header, cells in rows:
        t = clean_inline(cell(cells, column(header, "type"))) or section
        detail_counts[t] = detail_counts.get(t, 0) + 1

    items: list[RawItem] = []
    for position, (section, header, cells) in enumerate(rows, start=1):
        published_type = clean_inline(cell(cells, column(header, "type"))) or section
        if not is_imported(published_type):
            continue
        seq = clean_inline(cells[0])
        name = clean_inline(cell(cells, column(header, "name")))
        notes: list[str] = []
        entry = by_type_seq.get((published_type, int(seq)))
        if entry is None:
            notes.append(f"总表未列{published_type}第{seq}项，键按分表排列位置取{position}")
        elif entry.name != name:
            notes.append(f"总表所列名称为“{entry.name}”")
        declared = counts.get(published_type)
        if declared is not None and declared != detail_counts.get(published_type, 0):
            actual = detail_counts[published_type]
            notes.append(f"总表列{published_type}共{declared}项，分表实有{actual}项")
        department = cell(cells, column(header, "department"))
        remark = cell(cells, column(header, "remark"))
        if not department and looks_like_department(remark):
            department = remark
        items.append(
            RawItem(
                position=position,
                seq=seq,
                published_type=published_type,
                name=name,
                agency=optional(cell(cells, column(header, "agency"))),
                basis=cell(cells, column(header, "basis")),
                duties=cell(cells, column(header, "duties")),
                accountability=cell(cells, column(header, "accountability")),
                department=optional(department),
                key_number=entry.total_seq if entry else position,
                notes=tuple(notes),
            )
        )
    return items, agency_from_preamble(lines[:first_section])

