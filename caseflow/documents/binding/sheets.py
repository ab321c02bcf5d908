"""The pages the 案卷 binder draws itself, each a small PDF rendered by WeasyPrint from the Jinja
templates of doc_templates/casefile/: 封面, 卷内目录, 备考表, photo pages, listings of 电子数据,
pages standing in for what could not be read; and the font of the 页号 stamps.

Rendering shares the renderer's Jinja environment, font configuration, lock and malloc_trim
(caseflow/documents/renderer.py). Photos are checked by Pillow, then laid out by WeasyPrint with
a tiny placeholder JPEG in their place, and `put_photos` puts the photo's own bytes into the image
stream (DCTDecode): a JPEG is never re-encoded, and its bytes never pass through WeasyPrint. The
page sets `image-orientation: none` and turns the picture with a CSS transform, as WeasyPrint's
`from-image` would decode and re-encode every photo with EXIF data.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from caseflow.documents.binding.spec import Cover, Listing, Remarks, TocEntry
from caseflow.documents.formatting import date_arabic
from caseflow.documents.renderer import (_PDF_LOCK, TEMPLATES_DIR, _environment, _font_config,
                                         _malloc_trim)

__all__ = ["Picture", "StampFont", "contents_pdf", "cover_pdf", "images_pdf", "listing_pdf",
           "picture", "put_photos", "remarks_pdf", "stamp_font", "unreadable_picture"]

# The printable frame of a photo page: A4 less the margins of casefile.css (170 mm x 259 mm), the
# picture at most 170 mm x 220 mm, shrunk when a long caption needs the room.
FRAME_W_MM = 170.0
FRAME_H_MM = 220.0
PAGE_H_MM = 259.0
CAPTION_LINE_MM = 18 * 25.4 / 72  # caption line height, 18pt
CAPTION_CHARS_PER_LINE = 28  # 12pt CJK characters across 120 mm, the narrowest caption
CAPTION_GAP_MM = 5.0 + 4.0  # .caption margin-top, and some slack

# EXIF Orientation → the CSS transform showing the stored picture upright (as Pillow's
# ImageOps.exif_transpose would), and whether it turns the picture by a quarter.
_ORIENTATIONS: dict[int, tuple[str, bool]] = {
    1: ("", False), 2: ("scaleX(-1)", False), 3: ("rotate(180deg)", False),
    4: ("scaleY(-1)", False), 5: ("scaleX(-1) rotate(90deg)", True), 6: ("rotate(90deg)", True),
    7: ("scaleX(-1) rotate(-90deg)", True), 8: ("rotate(-90deg)", True)}
_JPEG_SPACES = {"RGB": "/DeviceRGB", "L": "/DeviceGray", "CMYK": "/DeviceCMYK"}
_MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "TIFF": "image/tiff", "WEBP": "image/webp"}

# The 页号 stamp's figures: 10.5pt (五号), drawn by the binder with the font WeasyPrint embeds for
# this one line (the subset holds just the ten digits).
STAMP_SIZE_PT = 10.5
_STAMP_FONT_HTML = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><style>@page { size: A4; margin: 10mm }"
    " body { margin: 0; font-family: 'Times New Roman', 'Noto Serif CJK SC', serif;"
    f" font-size: {STAMP_SIZE_PT}pt }}</style></head><body>0123456789</body></html>"
)


@dataclass(frozen=True)
class Picture:
    """One photo page to print: the picture's bytes and its box, or a message standing in for it."""

    caption: str
    data: bytes | None = None  # None: `message` is printed instead
    mime: str = ""
    frame_w: float = 0.0  # mm, the upright picture
    frame_h: float = 0.0
    transform: str = ""
    quarter_turn: bool = False
    message: str = ""
    pixels: tuple[int, int] = (0, 0)  # as stored, before any turn
    color_space: str = ""  # a JPEG the PDF can take as it is: its colour space; "" otherwise
    inverted: bool = False  # Adobe CMYK JPEG (APP14): stored inverted

    @property
    def as_is(self) -> bool:
        return self.data is not None and bool(self.color_space)


def day(value: date | None) -> str:
    """Dates on the sheets: "2026年3月2日", blank when unknown."""
    return date_arabic(value) if value is not None else ""


def toc_day(value: date | None) -> str:
    """The 卷内目录's 日期 column: eight digits, "20260302" (DA/T 22 practice)."""
    return value.strftime("%Y%m%d") if value is not None else ""


def human_size(size: int) -> str:
    """12_898_765 → "12.3 MB" (binary multiples, the way file managers show them)."""
    if size < 1024:
        return f"{size} B"
    exponent = next(e for e in (3, 2, 1) if size >= 1024 ** e)
    return f"{size / 1024 ** exponent:.1f} {('KB', 'MB', 'GB')[exponent - 1]}"


def _render(template: str, context: Mapping[str, Any], fetcher: Any = None) -> bytes:
    html = _environment().get_template(f"casefile/{template}").render(context)
    return _write_pdf(html, fetcher)


def _write_pdf(html: str, fetcher: Any = None) -> bytes:
    from weasyprint import HTML

    extra = {"url_fetcher": fetcher} if fetcher is not None else {}
    with _PDF_LOCK:
        pdf = HTML(string=html, base_url=str(TEMPLATES_DIR), **extra).write_pdf(
            font_config=_font_config())
        (_malloc_trim() or (lambda pad: 0))(0)
    assert pdf is not None
    return pdf


def cover_pdf(cover: Cover, *, parts: int, pages: int) -> bytes:
    return _render("cover.html", {"cover": cover, "parts": parts, "pages": pages,
                                  "filed_on": day(cover.filed_on),
                                  "closed_on": day(cover.closed_on)})


def contents_pdf(cover: Cover, entries: Sequence[TocEntry]) -> bytes:
    rows = [{"seq": e.seq, "doc_no": e.doc_no or "", "responsible": e.responsible,
             "title": e.title, "day": toc_day(e.day), "pages": e.pages_label, "note": e.note}
            for e in entries]
    return _render("contents.html", {"cover": cover, "rows": rows})


def remarks_pdf(remarks: Remarks) -> bytes:
    return _render("remarks.html", {"remarks": remarks, "filed_on": day(remarks.filed_on)})


def listing_pdf(listing: Listing) -> bytes:
    rows = [{"name": r.name, "kind": r.kind, "note": r.note, "hash_head": r.sha256[:32],
             "hash_tail": r.sha256[32:], **({"size": human_size(r.size), "bytes": f"{r.size:,}"}
                                            if r.sha256 else {"size": "", "bytes": ""})}
            for r in listing.rows]  # a row without a hash (a paper item) has no size either
    return _render("listing.html", {"heading": listing.heading, "rows": rows})


@dataclass(frozen=True)
class StampFont:
    """The font of the 页号 stamps: a one-page PDF whose only font is the one to reuse, and for each
    digit its code in that font (Identity-H: two bytes) and its advance in 1/1000 em."""

    pdf: bytes
    codes: Mapping[str, bytes]
    widths: Mapping[str, float]


@lru_cache(maxsize=1)
def stamp_font() -> StampFont:
    """The digits rendered once by WeasyPrint, read back from the PDF's /ToUnicode and /W."""
    from pypdf import PdfReader

    pdf = _write_pdf(_STAMP_FONT_HTML)
    fonts = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    if len(fonts) != 1:
        raise RuntimeError(f"the stamp font page has {len(fonts)} fonts, expected one")
    font = next(iter(fonts.values())).get_object()
    if font.get("/Encoding") != "/Identity-H":
        raise RuntimeError(f"the stamp font is not Identity-H: {font.get('/Encoding')}")
    cmap = font["/ToUnicode"].get_data().decode("latin-1")
    codes: dict[str, bytes] = {}
    for section in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, uni in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", section):
            codes[bytes.fromhex(uni).decode("utf-16-be")] = bytes.fromhex(code)
    descendant = font["/DescendantFonts"][0].get_object()
    default = float(descendant.get("/DW", 1000))
    cid_widths: dict[int, float] = {}
    spec, i = list(descendant.get("/W", [])), 0
    while i < len(spec):
        if isinstance(spec[i + 1], list):  # c [w1 w2 …]
            cid_widths.update((int(spec[i]) + k, float(w)) for k, w in enumerate(spec[i + 1]))
            i += 2
        else:  # c_first c_last w
            cid_widths.update((c, float(spec[i + 2])) for c in range(int(spec[i]),
                                                                      int(spec[i + 1]) + 1))
            i += 3
    digits = "0123456789"
    if any(d not in codes for d in digits):
        raise RuntimeError(f"the stamp font lacks digits: {sorted(set(digits) - set(codes))}")
    return StampFont(pdf=pdf, codes={d: codes[d] for d in digits},
                     widths={d: cid_widths.get(int.from_bytes(codes[d], "big"), default)
                             for d in digits})


def picture(data: bytes, caption: str) -> Picture | None:
    """The photo ready to print, or None when Pillow cannot decode it. A JPEG is decoded at 1/8
    scale (DCT scaling, ≈10 ms for 3000x2000), which still reads every byte of it: a truncated
    file is caught here rather than printed grey."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, mode, (width, height) = image.format or "", image.mode, image.size
            orientation = image.getexif().get(0x0112, 1) if kind in ("JPEG", "TIFF", "WEBP") else 1
            adobe = "APP14" in getattr(image, "app", {})
            if kind == "JPEG":
                image.draft(mode, (max(1, width // 8), max(1, height // 8)))
            image.load()
    except Exception:  # noqa: BLE001 — whatever Pillow raises, the picture cannot be printed
        return None
    if width <= 0 or height <= 0:
        return None
    transform, quarter = _ORIENTATIONS.get(orientation if isinstance(orientation, int) else 1,
                                           ("", False))
    upright_w, upright_h = (height, width) if quarter else (width, height)
    box_h = min(FRAME_H_MM, PAGE_H_MM - CAPTION_GAP_MM - _caption_lines(caption) * CAPTION_LINE_MM)
    scale = min(FRAME_W_MM / upright_w, box_h / upright_h)
    return Picture(caption=caption, data=data, mime=_MIME.get(kind, "application/octet-stream"),
                   frame_w=round(upright_w * scale, 2), frame_h=round(upright_h * scale, 2),
                   transform=transform, quarter_turn=quarter, pixels=(width, height),
                   color_space=_JPEG_SPACES.get(mode, "") if kind == "JPEG" else "",
                   inverted=kind == "JPEG" and mode == "CMYK" and adobe)


def unreadable_picture(message: str, caption: str = "") -> Picture:
    return Picture(caption=caption, message=message)


def _caption_lines(caption: str) -> int:
    # Latin letters and digits take about half the width of a CJK character.
    width = sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in caption)
    return max(1, math.ceil(width / CAPTION_CHARS_PER_LINE)) + caption.count("\n")


@lru_cache(maxsize=64)
def _placeholder(slot: int) -> bytes:
    """A grey JPEG (slot + 1) pixels wide and 1 high: it stands in for the photo in slot `slot`
    while WeasyPrint lays the page out; `put_photos` knows it again by that width."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (slot + 1, 1), 200).save(out, "JPEG")
    return out.getvalue()


def images_pdf(pictures: Sequence[Picture]) -> bytes:
    """The pictures, one A4 page each (a caption too long for the page would run onto a second).

    A JPEG the PDF can take as it is goes in as a placeholder (`put_photos` swaps its bytes in
    after), so the photo's bytes never pass through WeasyPrint, pydyf and pypdf's parser; other
    formats are handed to WeasyPrint, which converts them (losslessly, to PNG)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Fetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            slot = int(url.rpartition(":")[2])
            found = pictures[slot]
            if found.as_is:
                return URLFetcherResponse(url, body=_placeholder(slot),
                                          headers={"Content-Type": "image/jpeg"})
            return URLFetcherResponse(url, body=found.data, headers={"Content-Type": found.mime})

    pages = []
    for i, p in enumerate(pictures):
        if p.data is None:
            pages.append({"src": "", "message": p.message, "caption": p.caption})
            continue
        # The <img> box before the transform: turned a quarter, its sides swap.
        img_w, img_h = (p.frame_h, p.frame_w) if p.quarter_turn else (p.frame_w, p.frame_h)
        pages.append({"src": f"casefile-image:{i}", "caption": p.caption,
                      "frame_w": p.frame_w, "frame_h": p.frame_h, "img_w": img_w, "img_h": img_h,
                      "left": round((p.frame_w - img_w) / 2, 2),
                      "top": round((p.frame_h - img_h) / 2, 2), "transform": p.transform})
    return _render("images.html", {"pages": pages}, Fetcher())


def put_photos(pages: Sequence[Any], pictures: Sequence[Picture]) -> None:
    """Swap the placeholders on `pages` (pypdf pages of `images_pdf(pictures)`, in their writer)
    for the photos: the JPEG bytes become the image's stream data unchanged (DCTDecode). Each page
    keeps only the images its content draws: WeasyPrint lists every image of the document on each
    page, so one page taken out of the 案卷 would carry the whole batch of photos."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

    for page in pages:
        resources = DictionaryObject(page.get("/Resources", DictionaryObject()).get_object())
        listed = resources.get("/XObject", DictionaryObject()).get_object()
        content = page.get_contents()  # (a ContentStream is a dict: falsy when it has no keys)
        data = content.get_data() if content is not None else b""
        drawn = set(re.findall(rb"/([\w.-]+)\s+Do\b", data))
        resources[NameObject("/XObject")] = DictionaryObject(
            {k: v for k, v in listed.items() if k[1:].encode() in drawn})
        page[NameObject("/Resources")] = resources
        for image in (ref.get_object() for ref in resources["/XObject"].values()):
            slot = int(image.get("/Width", 0)) - 1
            if (image.get("/Subtype") != "/Image" or image.get("/Filter") != "/DCTDecode"
                    or int(image.get("/Height", 0)) != 1 or not 0 <= slot < len(pictures)
                    or not pictures[slot].as_is):
                continue
            found = pictures[slot]
            image._data, image.decoded_self = found.data, None  # pypdf: no public setter for DCT
            image[NameObject("/Width")] = NumberObject(found.pixels[0])
            image[NameObject("/Height")] = NumberObject(found.pixels[1])
            image[NameObject("/ColorSpace")] = NameObject(found.color_space)
            image[NameObject("/BitsPerComponent")] = NumberObject(8)
            if found.inverted:
                image[NameObject("/Decode")] = ArrayObject([NumberObject(v) for v in (1, 0) * 4])
