"""Binding one volume of a 案卷 into one PDF: the parts assembled with pypdf, their pages stamped
with 页号, the 封面 and 卷内目录 put in front and the 备考表 behind, the output reproducible.

Order and numbering are common practice (文书档案 立卷 practice, as in DA/T 22 and the provinces'
行政处罚案卷 standards), not a statute: 封面, 卷内目录, the parts in the order given, 备考表 last.
Only the parts' pages carry a 页号, 1..N at the top right; 封面, 卷内目录 and 备考表 carry none. As
the 卷内目录 is unnumbered, its length cannot move a part's page numbers: the parts are bound and
counted first, the 目录 rendered after, with no iteration.

Memory: each part's `open()` is called once, in order, while the part is bound. Its pages are
cloned into the writer and the writer's translation table for that reader is reset at once, so the
reader and the part's PDF are freed; the clones share the stream data (a photo's JPEG bytes, as
`open()` returned them, become its image stream). The writer writes into chunks that share that
data too, and is dropped before the chunks are joined: the writer's objects and the output are
never both whole in memory. Peak ≈ the output's size + ~250 MiB (bench/casefile.py).

Reproducible: no timestamp anywhere (WeasyPrint writes none unless the HTML asks; pypdf's /Info
holds only what is set here), and the trailer /ID is derived from the content (the volume's text and
every byte handed over by the parts): one volume binds to the same bytes every time.
"""

from __future__ import annotations

import gc
import hashlib
import io
import logging
import re
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import fields, is_dataclass
from typing import Any

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (ArrayObject, ByteStringObject, DecodedStreamObject, DictionaryObject,
                           IndirectObject, NameObject, TextStringObject)

from caseflow.documents.binding import sheets
from caseflow.documents.binding.spec import (BoundFile, Images, Listing, Part, PdfPages, TocEntry,
                                             Volume)
from caseflow.documents.renderer import _malloc_trim

__all__ = ["bind"]

log = logging.getLogger(__name__)

IMAGE_BATCH = 50  # photo pages per WeasyPrint render (it holds placeholders, not the photos)
UNREADABLE_FILE = "（文件无法读取）"
MM = 72 / 25.4
STAMP_RIGHT_PT = 12 * MM  # the 页号's right end, from the page's right edge
STAMP_BASELINE_PT = 14 * MM  # its baseline, from the top edge: inside every template's margin
TRIM_EVERY = 16 * 2**20  # bytes of output joined between two malloc_trim calls
_STAMP_NAME = "/CfPageNo"
_NOT_CLONED = ("/Parent", "/StructParents", "/B", "/Thumb")
_Opened = Callable[[Callable[[], bytes]], bytes]


def bind(volume: Volume) -> BoundFile:
    """Bind `volume` into one PDF: 封面, 卷内目录, the parts (pages numbered 1..N), 备考表."""
    held: list[PdfWriter] = []
    toc, numbered, total, unreadable = _assemble(volume, held)
    pdf = _write(held)
    return BoundFile(pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), pages=total,
                     numbered_pages=numbered, toc=tuple(toc), unreadable=tuple(unreadable))


def _assemble(volume: Volume, held: list[PdfWriter]) -> tuple[list[TocEntry], int, int, list[str]]:
    """Build the bound file in a writer left in `held` (so that `_write` holds its only reference):
    the 卷内目录 entries, the numbered and total page counts, what could not be read."""
    writer = PdfWriter()
    held.append(writer)
    ident = hashlib.sha256(_fingerprint(volume).encode())
    numbered: list[PageObject] = []
    toc: list[TocEntry] = []
    unreadable: list[str] = []

    def opened(source: Callable[[], bytes]) -> bytes:
        data = source()
        ident.update(len(data).to_bytes(8, "big"))
        ident.update(data)
        return data

    for seq, part in enumerate(volume.parts, 1):
        first = len(numbered) + 1
        numbered += _bind_part(writer, part, opened, unreadable)
        toc.append(TocEntry(seq=seq, title=part.title, doc_no=part.doc_no,
                            responsible=part.responsible, day=part.day, first_page=first,
                            last_page=len(numbered), note=part.note))
    _stamp(writer, numbered)

    cover = volume.cover
    front = _append(writer, sheets.cover_pdf(cover, parts=len(toc), pages=len(numbered)), at=0)
    _append(writer, sheets.contents_pdf(cover, toc), at=len(front))
    _append(writer, sheets.remarks_pdf(volume.remarks))

    digest = ident.digest()[:16]
    writer._ID = ArrayObject([ByteStringObject(digest)] * 2)  # pypdf: no public setter
    writer.add_metadata({"/Title": TextStringObject(cover.title),
                         "/Subject": TextStringObject(f"{cover.case_no} 归档号 {cover.archive_no}"),
                         "/Author": TextStringObject(cover.fonds or cover.agency)})
    return toc, len(numbered), len(writer.pages), unreadable


def _bind_part(writer: PdfWriter, part: Part, opened: _Opened,
               unreadable: list[str]) -> list[PageObject]:
    """Add the part's pages to `writer`, opening or rendering its content one piece at a time."""
    content = part.content
    if isinstance(content, PdfPages):
        data = opened(content.open)
        try:
            return _append(writer, data, foreign=True)
        except Exception as exc:  # noqa: BLE001 — damage makes pypdf raise anything
            log.warning("案卷: cannot read the PDF of part %r: %r", part.title, exc)
            unreadable.append(part.title)
            return _append(writer, sheets.images_pdf(
                [sheets.unreadable_picture(UNREADABLE_FILE, part.title)]))
    if isinstance(content, Listing):
        return _append(writer, sheets.listing_pdf(content))
    if isinstance(content, Images):
        return _bind_images(writer, content, opened, unreadable)
    raise TypeError(f"unknown part content: {type(content).__name__}")


def _bind_images(writer: PdfWriter, content: Images, opened: _Opened,
                 unreadable: list[str]) -> list[PageObject]:
    """The photos in batches of IMAGE_BATCH pages. While a batch is rendered, the next is opened
    (here, in order) and checked by Pillow on a second thread, which decodes without the GIL."""
    pages: list[PageObject] = []
    Batch = list[tuple[str, Future[sheets.Picture | None]]]

    def render(batch: Batch) -> None:
        pictures = []
        for caption, checked in batch:
            found = checked.result()
            if found is None:
                unreadable.append(caption)
                found = sheets.unreadable_picture(f"（图像无法读取：{caption}）")
            pictures.append(found)
        added = _append(writer, sheets.images_pdf(pictures))
        sheets.put_photos(added, pictures)
        pages.extend(added)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="casefile-images") as checker:
        previous: Batch = []
        for start in range(0, len(content.pages), IMAGE_BATCH):
            batch = [(page.caption, checker.submit(sheets.picture, opened(page.open), page.caption))
                     for page in content.pages[start:start + IMAGE_BATCH]]
            if previous:
                render(previous)
            previous = batch
        render(previous)
    return pages


def _reader(data: bytes) -> PdfReader:
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("encrypted PDF")
    return reader


def _append(writer: PdfWriter, pdf: bytes, at: int | None = None,
            foreign: bool = False) -> list[PageObject]:
    """Add the pages of `pdf` to `writer` (at the end, or from index `at`) and let its reader go.

    Pages are cloned first and added after: `add_page` of a reader's page would keep the reader,
    hence the part's whole PDF, alive until the writer is dropped (its link bookkeeping).
    A `foreign` PDF is cloned into a scratch writer first: if its damage makes cloning fail, none
    of it reaches `writer` (the reader keeps what it parsed: the second clone parses nothing)."""
    reader = _reader(pdf)
    if foreign:
        trial = [page.clone(PdfWriter(), False, _NOT_CLONED) for page in reader.pages]
        if not trial or any(p.mediabox.width <= 0 or p.mediabox.height <= 0 for p in trial):
            raise ValueError("a PDF without pages, or a page without size")
        del trial
    version = re.fullmatch(r"%PDF-\d\.\d", reader.pdf_header or "")
    if version and version.group() > writer.pdf_header:
        writer.pdf_header = version.group()
    clones = [page.clone(writer, False, _NOT_CLONED) for page in reader.pages]
    writer.reset_translation(reader)
    if at is None:
        return [writer.add_page(clone) for clone in clones]
    return [writer.insert_page(clone, at + offset) for offset, clone in enumerate(clones)]


def _stamp(writer: PdfWriter, pages: list[PageObject]) -> None:
    """Stamp page i of `pages` with "i" at the top right of the page as displayed.

    The figures are drawn in a content stream appended to the page, with the digits' font that
    WeasyPrint embedded once (sheets.stamp_font): the page's own content streams are left as
    they are, wrapped in q/Q, neither parsed nor rewritten."""
    if not pages:
        return
    stamp = sheets.stamp_font()
    reader = _reader(stamp.pdf)
    font = next(iter(reader.pages[0]["/Resources"]["/Font"].values())).clone(writer)
    writer.reset_translation(reader)
    opening = writer._add_object(_stream(b"q\n"))  # shared by every page; pypdf: no public adder
    for number, page in enumerate(pages, 1):
        figures = str(number)
        width = sum(stamp.widths[d] for d in figures) * sheets.STAMP_SIZE_PT / 1000
        resources = DictionaryObject(page.get("/Resources", DictionaryObject()).get_object())
        fonts = DictionaryObject(resources.get("/Font", DictionaryObject()).get_object())
        name, n = _STAMP_NAME, 0
        while name in fonts:
            n += 1
            name = f"{_STAMP_NAME}{n}"
        fonts[NameObject(name)] = font
        resources[NameObject("/Font")] = fonts
        page[NameObject("/Resources")] = resources

        matrix = " ".join(f"{v:g}" for v in _corner_matrix(page))
        code = b"".join(stamp.codes[d] for d in figures).hex()
        closing = _stream(f"\nQ\nq {matrix} cm BT 0 g {name} {sheets.STAMP_SIZE_PT:g} Tf "
                          f"{-STAMP_RIGHT_PT - width:.2f} {-STAMP_BASELINE_PT:.2f} Td <{code}> Tj "
                          "ET Q\n".encode())
        contents = page.raw_get("/Contents") if "/Contents" in page else None
        if isinstance(contents, IndirectObject) and isinstance(contents.get_object(), ArrayObject):
            contents = contents.get_object()
        existing = list(contents) if isinstance(contents, ArrayObject) else (
            [contents] if contents is not None else [])
        page[NameObject("/Contents")] = ArrayObject(
            [opening, *existing, writer._add_object(closing)])


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def _corner_matrix(page: PageObject) -> tuple[float, ...]:
    """The matrix whose origin is the top-right corner of `page` as displayed, x to the right and
    y up as the page is seen, whatever its size, crop box and /Rotate."""
    box = page.cropbox
    x0, y0, x1, y1 = (float(box.left), float(box.bottom), float(box.right), float(box.top))
    return {0: (1, 0, 0, 1, x1, y1), 90: (0, 1, -1, 0, x0, y1), 180: (-1, 0, 0, -1, x0, y0),
            270: (0, -1, 1, 0, x1, y0)}[page.rotation % 360 // 90 * 90]


class _Chunks:
    """A write-only file keeping what pypdf writes as chunks. A stream's data arrives as the very
    bytes object the writer holds, so keeping it costs nothing until the writer is gone."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self._small = bytearray()
        self._size = 0

    def write(self, data: bytes) -> int:
        self._size += len(data)
        if len(data) < 65536:
            self._small += data
        else:
            self.flush()
            self.chunks.append(data if type(data) is bytes else bytes(data))
        return len(data)

    def flush(self) -> None:
        if self._small:
            self.chunks.append(bytes(self._small))
            self._small.clear()

    def tell(self) -> int:
        return self._size


def _write(held: list[PdfWriter]) -> bytes:
    """The output of the writer in `held`, written as chunks sharing the writer's stream data; the
    writer is dropped before they are joined, each freed once copied. (A temporary file did the
    same, but writing 300 MB to this machine's disk took 2.5 s.)"""
    out = _Chunks()
    writer = held.pop()
    writer.write(out)
    out.flush()
    del writer
    gc.collect()  # pypdf's objects point back at their writer: cycles
    chunks, joined, copied = out.chunks[::-1], io.BytesIO(), 0
    out.chunks.clear()
    trim = _malloc_trim() or (lambda pad: 0)
    while chunks:
        copied += joined.write(chunks.pop())
        if copied > TRIM_EVERY:  # freed chunks sit in glibc's heap until trimmed
            trim(0)
            copied = 0
    trim(0)
    return joined.getvalue()


def _fingerprint(value: Any) -> str:
    """The volume's text (every field but the `open` callables), for the file identifier."""
    if is_dataclass(value) and not isinstance(value, type):
        inner = ",".join(f"{f.name}={_fingerprint(getattr(value, f.name))}" for f in fields(value)
                         if not callable(getattr(value, f.name)))
        return f"{type(value).__name__}({inner})"
    if isinstance(value, tuple):
        return "(" + ",".join(_fingerprint(v) for v in value) + ")"
    return repr(value)
