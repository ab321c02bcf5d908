"""What the 案卷 binder takes and gives: one volume (封面, the parts in binding order, 备考表) in,
one bound PDF with its 卷内目录 entries out.

Plain frozen dataclasses, no database: the caller collects the parts (issued documents, evidence
files) and hands their bytes over as `open` callables, called once each, late and in order, so the
binder never holds every part's bytes at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

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
]

VOLUMES = ("", "正卷", "副卷")


@dataclass(frozen=True)
class Cover:
    """The 封面 (the 件数 and 页数 on it are counted by the binder)."""

    title: str  # 案卷题名
    case_no: str  # 案号
    decision_no: str | None  # 处罚决定书文号
    agency: str  # 承办机构, e.g. "栾川县医疗保障局基金监管股"
    filed_on: date | None  # 立案日期
    closed_on: date | None  # 结案日期
    retention: str  # 保管期限, e.g. "长期"
    archive_no: str  # 归档号, e.g. "2026-0007"
    volume: str = ""  # "" (one volume), "正卷" or "副卷"
    fonds: str = ""  # 全宗名称: the agency, e.g. "栾川县医疗保障局"

    def __post_init__(self) -> None:
        if self.volume not in VOLUMES:
            raise ValueError(f"volume must be one of {VOLUMES!r}, not {self.volume!r}")


@dataclass(frozen=True)
class PdfPages:
    """An issued document's PDF or a scanned 书证 PDF, bound page for page as it is."""

    open: Callable[[], bytes]  # the PDF bytes; called once, when the part is bound


@dataclass(frozen=True)
class ImagePage:
    """One photo or scanned page, printed alone on an A4 page above its description."""

    open: Callable[[], bytes]  # JPEG / PNG / TIFF / WebP bytes; called once
    caption: str  # e.g. "照片3：药房货架（拍摄人：张三、李四，2026年3月2日，××医院药房）"


@dataclass(frozen=True)
class Images:
    pages: tuple[ImagePage, ...]

    def __post_init__(self) -> None:
        if not self.pages:
            raise ValueError("an Images part needs at least one page")


@dataclass(frozen=True)
class ListingRow:
    name: str
    kind: str  # e.g. "视频", "音频", "电子数据"
    size: int  # bytes
    sha256: str  # 64 hex digits
    note: str = ""


@dataclass(frozen=True)
class Listing:
    """电子数据, audio, video: printed as a listing with each file's SHA-256, not the bytes."""

    heading: str
    rows: tuple[ListingRow, ...]


@dataclass(frozen=True)
class Part:
    """One document or evidence item: one line of the 卷内目录."""

    title: str  # 题名
    doc_no: str | None  # 文号
    responsible: str  # 责任者
    day: date | None  # 日期
    content: PdfPages | Images | Listing
    note: str = ""  # 备注


@dataclass(frozen=True)
class Remarks:
    """The 备考表, the last page of the volume."""

    explanation: str  # 卷内情况说明 (line breaks kept)
    filed_by: str  # 立卷人
    checked_by: str  # 检查人
    filed_on: date  # 立卷时间


@dataclass(frozen=True)
class Volume:
    cover: Cover
    parts: tuple[Part, ...]
    remarks: Remarks

    def __post_init__(self) -> None:
        if not self.parts:
            raise ValueError("a volume needs at least one part")


@dataclass(frozen=True)
class TocEntry:
    """One line of the 卷内目录 as bound: the part's first and last 页号."""

    seq: int  # 序号, from 1
    title: str
    doc_no: str | None
    responsible: str
    day: date | None
    first_page: int
    last_page: int
    note: str

    @property
    def pages_label(self) -> str:
        """The 页号 column: "3" for one page, "3-5" for several."""
        if self.first_page == self.last_page:
            return str(self.first_page)
        return f"{self.first_page}-{self.last_page}"


@dataclass(frozen=True)
class BoundFile:
    pdf: bytes
    sha256: str  # of `pdf`, hex
    pages: int  # physical pages: 封面 + 卷内目录 + parts + 备考表
    numbered_pages: int  # pages carrying a 页号: the parts' pages (页数 on the cover)
    toc: tuple[TocEntry, ...]
    # captions of images / titles of parts that could not be read; a page saying so stands in
    # for each of them in the bound file
    unreadable: tuple[str, ...] = field(default=())
