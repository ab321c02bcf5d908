"""The 案卷 binder: one volume of a case file (封面, 卷内目录, the parts, 备考表) bound into one PDF.

`bind(Volume) -> BoundFile` is a pure function of its input: no database, no clock. The caller
collects the parts; see `spec` for the input, `bind` for the binding rules, `sheets` for the pages
the binder draws itself.
"""

from __future__ import annotations

from caseflow.documents.binding.bind import bind
from caseflow.documents.binding.spec import (
    BoundFile,
    Cover,
    ImagePage,
    Images,
    Listing,
    ListingRow,
    Part,
    PdfPages,
    Remarks,
    TocEntry,
    Volume,
)

__all__ = [
    "BoundFile",
    "Cover",
    "ImagePage",
    "Images",
    "Listing",
    "ListingRow",
    "Part",
    "PdfPages",
    "Remarks",
    "TocEntry",
    "Volume",
    "bind",
]
