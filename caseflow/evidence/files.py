"""What an uploaded file is, judged from its bytes: type (sniffed, never taken from the name), size,
SHA-256, and whether it can be opened (a photo or a scan that cannot be printed in the 案卷 is
refused at the door). One streaming pass plus a look at the head: a large video is never read into
memory. Refusals are InvalidInput with a stable code and a plain Chinese reason.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import BinaryIO

import filetype

from caseflow.config import get_settings
from caseflow.errors import InvalidInput

__all__ = ["FileFacts", "inspect_upload", "type_label"]

_LABELS = {
    "image/jpeg": "JPEG图片", "image/png": "PNG图片", "image/tiff": "TIFF图片", "image/webp": "WebP图片",
    "image/gif": "GIF图片", "image/bmp": "BMP图片", "image/heic": "HEIC图片",
    "application/pdf": "PDF文件", "audio/mpeg": "MP3录音", "audio/x-wav": "WAV录音",
    "audio/mp4": "M4A录音", "audio/amr": "AMR录音", "video/mp4": "MP4视频", "video/quicktime": "MOV视频",
    "video/x-msvideo": "AVI视频", "video/x-matroska": "MKV视频",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel表格（xlsx）",
    "application/vnd.ms-excel": "Excel表格（xls）",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word文档（docx）",
    "application/msword": "Word文档（doc）", "text/plain": "文本文件（含CSV）",
    "application/x-executable": "可执行程序", "application/x-msdownload": "Windows可执行程序",
    "application/zip": "ZIP压缩包", "application/x-rar-compressed": "RAR压缩包",
    "application/x-7z-compressed": "7z压缩包", "application/x-sqlite3": "数据库文件",
}
PRINTABLE_IMAGES = frozenset({"image/jpeg", "image/png", "image/tiff", "image/webp"})
_HEAD = 8192


def type_label(mime: str) -> str:
    return _LABELS.get(mime, mime)


@dataclass(frozen=True)
class FileFacts:
    sha256: str
    size: int
    mime: str
    pages: int | None  # a PDF's pages, 1 for a photo, None for what is not printed

    @property
    def label(self) -> str:
        return type_label(self.mime)

    @property
    def printable_image(self) -> bool:
        return self.mime in PRINTABLE_IMAGES


def _sniff(head: bytes) -> str | None:
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    if not head or b"\x00" in head:
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a character cut at the end of the head
                return "text/plain"
            continue
        return "text/plain"
    return None


def _refuse(code: str, message: str, field: str = "file") -> InvalidInput:
    return InvalidInput(message, code=code, details={field: message})


def inspect_upload(source: BinaryIO, *, name: str, case_bytes_used: int = 0) -> FileFacts:
    """The facts of an uploaded file (read from its start), or InvalidInput: FILE_EMPTY,
    FILE_TOO_LARGE, CASE_FILES_TOO_LARGE, FILE_TYPE_NOT_ALLOWED, FILE_UNREADABLE."""
    settings = get_settings()
    max_file = settings.evidence_max_file_mib << 20
    room = (settings.evidence_max_case_mib << 20) - case_bytes_used
    source.seek(0)
    head = source.read(_HEAD)
    if not head:
        raise _refuse("FILE_EMPTY", f"文件「{name}」是空文件。")
    mime = _sniff(head)
    if mime is None or mime not in settings.evidence_types:
        what = f"内容为{type_label(mime)}" if mime else "内容无法识别"
        allowed = "、".join(dict.fromkeys(type_label(m) for m in settings.evidence_types))
        raise _refuse("FILE_TYPE_NOT_ALLOWED",
                      f"文件「{name}」{what}，不是可作为证据上传的文件类型（按文件内容识别，与扩展名无关）。"
                      f"可上传：{allowed}。")
    digest, size = hashlib.sha256(head), len(head)
    while block := source.read(1 << 20):
        digest.update(block)
        size += len(block)
        if size > max_file:
            raise _refuse("FILE_TOO_LARGE", f"文件「{name}」超过单个文件{settings.evidence_max_file_mib}MB的上限。")
    if size > room:
        raise _refuse("CASE_FILES_TOO_LARGE",
                      f"本案证据文件合计将超过{settings.evidence_max_case_mib}MB的上限，文件「{name}」未上传。")
    return FileFacts(sha256=digest.hexdigest(), size=size, mime=mime, pages=_pages(source, mime, name))


def _pages(source: BinaryIO, mime: str, name: str) -> int | None:
    """Pages the file prints as; refuses a photo or PDF that cannot be opened."""
    source.seek(0)
    try:
        if mime in PRINTABLE_IMAGES:
            from PIL import Image

            with Image.open(source) as image:
                image.verify()
            return 1
        if mime == "application/pdf":
            from pypdf import PdfReader

            return len(PdfReader(source).pages)
    except Exception as exc:  # noqa: BLE001 - any failure to open is the same answer to the officer
        raise _refuse("FILE_UNREADABLE", f"文件「{name}」已损坏或无法打开，请重新扫描或导出后上传。") from exc
    finally:
        source.seek(0)
    return None
