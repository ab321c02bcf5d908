"""The 案卷 binder: one volume bound into one PDF — 封面, 卷内目录, the parts with 页号 1..N, 备考表.

The parts are small PDFs rendered here by WeasyPrint, each page carrying a marker ("PARTB-2": part
B, its page 2), photos made by Pillow, a listing of 电子数据. The bound PDF is read back with pypdf:
each 卷内目录 range must point at the page where the part really is, each numbered page must carry
its 页号 in its top-right corner (and nothing else there), and the same volume must bind to the
same bytes. No database.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageOps
from pypdf import PdfReader, PdfWriter

from caseflow.documents.binding import (BoundFile, Cover, ImagePage, Images, Listing, ListingRow,
                                        Part, PdfPages, Remarks, Volume, bind)
from caseflow.documents.binding import sheets
from caseflow.documents.renderer import _font_config

needs_poppler = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils missing")
HASH = "0123456789abcdef" * 4
MM = 72 / 25.4


def marked_pdf(marker: str, pages: int) -> bytes:
    """A PDF of `pages` A4 pages, page i saying "<marker>-<i>"."""
    from weasyprint import HTML

    body = "".join(f"<p style='break-after: page'>{marker}-{i} 正文</p>" for i in range(1, pages + 1))
    pdf = HTML(string=f"<style>@page {{ size: A4; margin: 30mm }}</style>{body}").write_pdf(
        font_config=_font_config())
    assert pdf is not None
    return pdf


def photo(size: tuple[int, int], color: tuple[int, int, int], fmt: str = "JPEG",
          orientation: int | None = None) -> bytes:
    """A picture of one colour with a red block in its stored top-left corner."""
    image = Image.new("RGB", size, color)
    image.paste((255, 0, 0), (0, 0, size[0] // 3, size[1] // 3))
    out = io.BytesIO()
    if orientation:
        exif = Image.Exif()
        exif[0x0112] = orientation
        image.save(out, fmt, exif=exif.tobytes())
    else:
        image.save(out, fmt)
    return out.getvalue()


def cover(volume: str = "正卷") -> Cover:
    return Cover(title="栾川县康泰医院有限公司虚构医药服务项目骗取医疗保障基金案",
                 case_no="栾医保罚案〔2026〕1号", decision_no="栾医保罚〔2026〕1号",
                 agency="栾川县医疗保障局基金监管股", filed_on=date(2026, 8, 3),
                 closed_on=date(2026, 12, 20), retention="长期", archive_no="2026-0007",
                 volume=volume, fonds="栾川县医疗保障局")


REMARKS = Remarks(explanation="本卷共六件。\n照片3无法读取，原件存于证据保管室。", filed_by="王五",
                  checked_by="赵六", filed_on=date(2026, 12, 25))


def part(title: str, content: PdfPages | Images | Listing, doc_no: str | None = None,
         note: str = "") -> Part:
    return Part(title=title, doc_no=doc_no, responsible="栾川县医疗保障局", day=date(2026, 8, 3),
                content=content, note=note)


def constant(data: bytes) -> Callable[[], bytes]:
    return lambda: data


PHOTO = photo((600, 400), (30, 120, 60))


@pytest.fixture(scope="module")
def volume() -> Volume:
    return Volume(cover=cover(), remarks=REMARKS, parts=(
        part("行政处罚立案审批表", PdfPages(constant(marked_pdf("PARTA", 1)))),
        part("行政处罚事先告知书", PdfPages(constant(marked_pdf("PARTB", 2))), doc_no="栾医保罚告〔2026〕3号"),
        part("行政处罚决定书", PdfPages(constant(marked_pdf("PARTC", 3))), doc_no="栾医保罚〔2026〕1号",
             note="原件"),
        part("现场检查照片", Images((
            ImagePage(constant(PHOTO), "照片1：药房货架（拍摄人：张三、李四）"),
            ImagePage(constant(photo((300, 450), (60, 30, 120), "PNG")), "照片2：处方"),
            ImagePage(constant(b"\xff\xd8\xff\xe0 not really a jpeg"), "照片3：损坏的照片"),
        ))),
        part("医保结算数据", Listing("医保结算数据（电子数据）", (
            ListingRow("结算明细.xlsx", "电子表格", 12_898_765, HASH, "信息系统导出"),
            ListingRow("询问录像.mp4", "视频", 1_234_567_890, "f" * 64),
            ListingRow("现场检查笔录原件", "书证（纸质）", 0, "", "存于证据保管室"),
        ))),
        part("损坏的扫描件", PdfPages(constant(b"%PDF-1.4\n not a pdf at all"))),
    ))


@pytest.fixture(scope="module")
def bound(volume: Volume) -> BoundFile:
    return bind(volume)


def texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def front_pages(result: BoundFile) -> int:
    """封面 + 卷内目录 pages: what comes before 页号 1."""
    return result.pages - result.numbered_pages - 1


def corner_text(page) -> str:  # noqa: ANN001
    """The text drawn in the top-right corner (40 mm x 20 mm) of the page as displayed."""
    box = page.cropbox
    found: list[str] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and x > float(box.right) - 40 * MM and y > float(box.top) - 20 * MM:
            found.append(text.strip())

    page.extract_text(visitor_text=visit)
    return "".join(found)


def test_the_volume_is_cover_contents_parts_remarks(bound: BoundFile) -> None:
    pages = texts(bound.pdf)
    # parts: 1 + 2 + 3 pages, 3 photo pages (one standing in for the unreadable), 1 listing page,
    # 1 page standing in for the unreadable PDF
    assert bound.numbered_pages == 11
    assert front_pages(bound) == 2  # 封面 + one 卷内目录 page
    assert bound.pages == len(pages) == 2 + 11 + 1
    assert "行政处罚案卷" in pages[0].replace(" ", "")
    assert "卷内目录" in pages[1].replace(" ", "")
    assert "备考表" in pages[-1].replace(" ", "")
    assert "PARTA-1" in pages[2]


def test_contents_ranges_point_at_the_parts(bound: BoundFile) -> None:
    pages = texts(bound.pdf)
    front = front_pages(bound)
    assert [(e.seq, e.first_page, e.last_page) for e in bound.toc] == [
        (1, 1, 1), (2, 2, 3), (3, 4, 6), (4, 7, 9), (5, 10, 10), (6, 11, 11)]
    assert bound.toc[-1].last_page == bound.numbered_pages
    for marker, entry in zip(("PARTA", "PARTB", "PARTC"), bound.toc):
        for n in range(entry.first_page, entry.last_page + 1):
            assert f"{marker}-{n - entry.first_page + 1}" in pages[front + n - 1]
    contents = pages[1]
    for entry in bound.toc:
        assert entry.title in contents
    for label in ("2-3", "4-6", "7-9", "10", "11"):
        assert re.search(rf"(?<![\d-]){label}(?![\d-])", contents), label
    flat = re.sub(r"\s", "", contents)  # cells wrap
    assert "20260803" in flat and "原件" in flat and "栾医保罚告〔2026〕3号" in flat


def test_every_part_page_and_only_those_carry_their_number(bound: BoundFile) -> None:
    reader = PdfReader(io.BytesIO(bound.pdf))
    front = front_pages(bound)
    for n in range(1, bound.numbered_pages + 1):
        page = reader.pages[front + n - 1]
        assert corner_text(page) == str(n)
        assert str(n) in page.extract_text()
    for unnumbered in (*reader.pages[:front], reader.pages[-1]):
        assert corner_text(unnumbered) == ""


def test_cover_shows_the_case_and_the_counts(bound: BoundFile) -> None:
    text = texts(bound.pdf)[0].replace(" ", "")
    for expected in ("全宗名称", "栾川县医疗保障局", "栾川县康泰医院有限公司虚构医药服务项目", "栾医保罚案〔2026〕1号",
                     "栾医保罚〔2026〕1号", "栾川县医疗保障局基金监管股", "2026年8月3日", "2026年12月20日",
                     "6件", "11页", "长期", "2026-0007", "正卷"):
        assert expected in text, expected


def test_remarks_keep_the_explanation_and_who_filed(bound: BoundFile) -> None:
    text = texts(bound.pdf)[-1].replace(" ", "")
    for expected in ("卷内情况说明", "本卷共六件。", "照片3无法读取", "立卷人", "王五", "检查人", "赵六",
                     "立卷时间", "2026年12月25日"):
        assert expected in text, expected
    assert "本卷共六件。\n" in texts(bound.pdf)[-1]  # the line break is kept


def test_unreadable_image_and_pdf_are_reported_and_stand_in(bound: BoundFile) -> None:
    assert bound.unreadable == ("照片3：损坏的照片", "损坏的扫描件")
    pages = texts(bound.pdf)
    front = front_pages(bound)
    assert "（图像无法读取：照片3：损坏的照片）" in pages[front + 9 - 1]
    assert "（文件无法读取）" in pages[front + 11 - 1]
    assert "照片1：药房货架" in pages[front + 7 - 1]


def test_listing_prints_sizes_and_full_hashes(bound: BoundFile) -> None:
    text = re.sub(r"\s", "", texts(bound.pdf)[front_pages(bound) + 10 - 1])
    for expected in ("医保结算数据（电子数据）", "结算明细.xlsx", "12.3MB", "1.1GB", "SHA-256", HASH[:32],
                     HASH[32:], "信息系统导出", "现场检查笔录原件", "存于证据保管室"):
        assert expected in text, expected
    assert "现场检查笔录原件书证（纸质）存于证据保管室" in text  # a paper item: no size, no hash


def test_same_volume_binds_to_the_same_bytes(volume: Volume, bound: BoundFile) -> None:
    again = bind(volume)
    assert again.pdf == bound.pdf
    assert bound.sha256 == hashlib.sha256(bound.pdf).hexdigest()
    first, second = (s.original_bytes for s in PdfReader(io.BytesIO(bound.pdf)).trailer["/ID"])
    assert first == second and len(first) == 16  # derived from the content, not random
    assert b"/CreationDate" not in bound.pdf and b"/ModDate" not in bound.pdf


def test_jpeg_is_embedded_as_it_is(bound: BoundFile) -> None:
    page = PdfReader(io.BytesIO(bound.pdf)).pages[front_pages(bound) + 7 - 1]
    jpegs = [x.get_object() for x in page["/Resources"]["/XObject"].values()]
    assert len(jpegs) == 1  # the page's own photo, not every image of its batch
    assert jpegs[0]["/Filter"] == "/DCTDecode" and jpegs[0].get_data() == PHOTO
    assert (jpegs[0]["/Width"], jpegs[0]["/Height"], jpegs[0]["/ColorSpace"]) == (
        600, 400, "/DeviceRGB")


def test_parts_are_opened_once_each_in_order() -> None:
    calls: list[str] = []

    def recording(name: str, data: bytes) -> Callable[[], bytes]:
        return lambda: calls.append(name) or data  # type: ignore[func-returns-value]

    pdf, jpeg = marked_pdf("X", 1), photo((60, 40), (0, 0, 0))
    bind(Volume(cover(), (
        part("一", PdfPages(recording("a", pdf))),
        part("二", Images(tuple(ImagePage(recording(f"i{n}", jpeg), f"照片{n}") for n in range(3)))),
        part("三", PdfPages(recording("b", pdf))),
    ), REMARKS))
    assert calls == ["a", "i0", "i1", "i2", "b"]


def test_contents_of_sixty_parts_runs_over_pages_and_stays_right() -> None:
    many = PdfReader(io.BytesIO(marked_pdf("P", 60)))
    singles = []
    for page in many.pages:
        writer = PdfWriter()
        writer.add_page(page)
        out = io.BytesIO()
        writer.write(out)
        singles.append(out.getvalue())
    result = bind(Volume(cover(), tuple(part(f"第{i + 1}件材料", PdfPages(constant(pdf)))
                                        for i, pdf in enumerate(singles)), REMARKS))
    front = front_pages(result)
    assert front >= 3  # 封面 + 2 or more 卷内目录 pages
    assert result.numbered_pages == 60 and result.toc[-1].last_page == 60
    pages = texts(result.pdf)
    contents = "".join(pages[1:front])
    for entry in result.toc:
        assert entry.first_page == entry.last_page == entry.seq
        assert f"P-{entry.seq}" in pages[front + entry.seq - 1]
        assert entry.title in contents
    for contents_page in pages[1:front]:
        assert "序号" in contents_page and "页号" in contents_page  # the header row repeats
    assert "第60件材料" in pages[front - 1] and "第1件材料" not in pages[front - 1]


def test_damaged_or_locked_pdfs_stand_in_as_one_page() -> None:
    locked = PdfWriter()
    locked.add_blank_page(595, 842)
    locked.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    locked.write(out)
    result = bind(Volume(cover(), (
        part("加密的扫描件", PdfPages(constant(out.getvalue()))),
        part("空文件", PdfPages(constant(b""))),
        part("正常文件", PdfPages(constant(marked_pdf("OK", 2)))),
    ), REMARKS))
    assert result.unreadable == ("加密的扫描件", "空文件")
    assert [(e.first_page, e.last_page) for e in result.toc] == [(1, 1), (2, 2), (3, 4)]


@needs_poppler
def test_page_number_sits_top_right_of_odd_and_turned_scans(tmp_path: Path) -> None:
    scan = PdfWriter()
    scan.add_blank_page(420, 595)  # A5, kept as it is
    scan.add_blank_page(595, 842).rotate(90)  # shown landscape
    out = io.BytesIO()
    scan.write(out)
    result = bind(Volume(cover(), (part("扫描件", PdfPages(constant(out.getvalue()))),), REMARKS))
    reader = PdfReader(io.BytesIO(result.pdf))
    front = front_pages(result)
    scans = reader.pages[front:front + 2]
    assert [(round(float(p.mediabox.width)), p.rotation) for p in scans] == [(420, 0), (595, 90)]
    (tmp_path / "bound.pdf").write_bytes(result.pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-gray", "-f", str(front + 1), "-l", str(front + 2),
                    str(tmp_path / "bound.pdf"), str(tmp_path / "p")], check=True)
    for png in sorted(tmp_path.glob("p-*.pgm")):
        image = Image.open(png)
        ink = ImageOps.invert(image).getbbox()  # the only ink on a blank scan: the 页号
        assert ink is not None
        left, top, right, bottom = ink
        assert left > image.width * 0.75 and bottom < image.height * 0.12, (png.name, ink)


@needs_poppler
@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_is_shown_as_pillow_shows_it(orientation: int, tmp_path: Path) -> None:
    data = photo((300, 200), (0, 0, 255), orientation=orientation)
    expected = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
    found = sheets.picture(data, "照片")
    assert found is not None and found.as_is
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(sheets.images_pdf([found]))))
    sheets.put_photos(writer.pages, [found])
    writer.write(tmp_path / "photo.pdf")
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(tmp_path / "photo.pdf"),
                    str(tmp_path / "p")], check=True)
    page = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    shown = page.crop(_union(page))
    assert (shown.width > shown.height) == (expected.width > expected.height)
    assert red_corner(shown) == red_corner(expected)


def colour(image: Image.Image, name: str) -> Image.Image:
    """A mask of the pixels that are clearly red (or blue)."""
    r, g, b = (Image.eval(c, lambda v: 255 if v > 150 else 0) for c in image.split())
    low = {c: Image.eval(image.getchannel(c), lambda v: 255 if v < 100 else 0) for c in "RGB"}
    if name == "red":
        return ImageChops.multiply(r, ImageChops.multiply(low["G"], low["B"]))
    return ImageChops.multiply(b, ImageChops.multiply(low["R"], low["G"]))


def _union(image: Image.Image) -> tuple[int, int, int, int]:
    """The photo on the page: the box of its red and blue pixels (the caption is black)."""
    box = ImageChops.lighter(colour(image, "red"), colour(image, "blue")).getbbox()
    assert box is not None
    return box


def red_corner(image: Image.Image) -> tuple[bool, bool]:
    """Whether the red block is in the left half, in the top half."""
    left, top, right, bottom = colour(image, "red").getbbox() or (0, 0, 0, 0)
    return (left + right) / 2 < image.width / 2, (top + bottom) / 2 < image.height / 2


def test_spec_refuses_what_cannot_be_bound() -> None:
    with pytest.raises(ValueError):
        Images(())
    with pytest.raises(ValueError):
        Volume(cover(), (), REMARKS)
    with pytest.raises(ValueError):
        cover("第三卷")


def test_sizes_are_human_readable() -> None:
    assert [sheets.human_size(n) for n in (512, 2048, 12_898_765, 1_234_567_890)] == [
        "512 B", "2.0 KB", "12.3 MB", "1.1 GB"]
