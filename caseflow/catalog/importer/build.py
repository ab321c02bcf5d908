"""Turning a `RawItem` of any list shape into a `CatalogItem`: key, agency, type, bases, duties.

Key = "<first 3 chars of the file name>-<NN>" with NN = the item's 序号 (or the number the shape
parser chose, e.g. 003's 总序号); an item whose 序号 cell is empty gets its position in the list
and a note saying so.
"""

from __future__ import annotations

from caseflow.catalog.importer.bases import split_bases
from caseflow.catalog.importer.classify import classify
from caseflow.catalog.importer.cleaning import clean_block
from caseflow.catalog.importer.raw import RawItem
from caseflow.catalog.importer.responsibilities import (
    post_map,
    post_responsibilities,
    split_responsibilities,
)
from caseflow.catalog.model import CatalogItem


def _key_number(raw: RawItem) -> tuple[int, tuple[str, ...]]:
    if raw.key_number is not None:
        return raw.key_number, ()
    if raw.seq.isdigit():
        return int(raw.seq), ()
    return raw.position, (f"清单未填序号，键按排列位置取第{raw.position}项",)


def build_item(
    raw: RawItem,
    *,
    source_file: str,
    list_agency: str | None,
    agency: str | None = None,
) -> CatalogItem:
    """`agency` (the caller's) overrides the item's 行政主体, which overrides the list header."""
    number, key_notes = _key_number(raw)
    power_type, procedure, type_notes = classify(raw.name, raw.published_type)
    if raw.posts:
        responsibilities = post_responsibilities(raw.posts)
    else:
        responsibilities = split_responsibilities(raw.duties)
    return CatalogItem(
        key=f"{source_file[:3]}-{number:02d}",
        source_file=source_file,
        agency=agency or raw.agency or list_agency or "",
        seq=raw.seq,
        name=raw.name,
        power_type=power_type,
        published_type=raw.published_type,
        procedure=procedure,
        local_code=raw.local_code,
        department=raw.department,
        bases=split_bases(raw.basis),
        responsibilities=responsibilities,
        accountability=clean_block(raw.accountability),
        post_map=post_map(raw.posts),
        notes=(*key_notes, *type_notes, *raw.notes),
    )
