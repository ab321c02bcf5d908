"""Rendering a document: required-field check, Jinja2 template to HTML, WeasyPrint HTML to PDF.

The HTML is self-contained (the stylesheet is inlined), so it can also be shown as a preview.
WeasyPrint embeds and subsets the fonts. One FontConfiguration is kept for the process; renders
are serialised by a lock because Pango/fontconfig state is not safe to share between threads.

Memory: each render briefly holds a ~52 MiB copy of the CJK font files. Freed by reference
counting, but glibc keeps it in the arena of the thread that rendered; with renders on a pool of
threads (web, scheduler) RSS grew to ~600 MiB (bench/documents.py --threads 8). `malloc_trim(0)`
after each render (≈6 ms) returns it: 172 MiB. `gc.collect()` did not help (no cycles survive).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from caseflow.documents.fields import require_fields
from caseflow.documents.formatting import FILTERS
from caseflow.documents.types import get_doc_type

__all__ = ["TEMPLATES_DIR", "render_html", "render_pdf", "render_pdf_many", "warm_up"]

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "doc_templates"
_PDF_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    return env


@lru_cache(maxsize=1)
def _malloc_trim() -> Any:
    """glibc's malloc_trim, or None where there is no glibc."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def warm_up() -> None:
    """Load WeasyPrint and the font configuration now (≈0.8 s) rather than on the first document."""
    from weasyprint import HTML  # noqa: F401

    _font_config()


@lru_cache(maxsize=1)
def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration  # heavy import: only when making PDFs

    return FontConfiguration()


def render_html(doc_type_key: str, data: Mapping[str, Any]) -> str:
    """The document as one HTML page. Raises NotFound for an unknown type, InvalidInput
    (DOCUMENT_FIELDS_MISSING) when a required field is missing."""
    doc_type = get_doc_type(doc_type_key)
    require_fields(doc_type, data)
    template = _environment().get_template(doc_type.template)
    return template.render({**data, "data": data, "doc_type": doc_type})


def render_pdf(doc_type_key: str, data: Mapping[str, Any]) -> bytes:
    """The document as PDF bytes (A4, fonts embedded and subset)."""
    from weasyprint import HTML

    html = render_html(doc_type_key, data)
    with _PDF_LOCK:
        pdf = HTML(string=html, base_url=str(TEMPLATES_DIR)).write_pdf(font_config=_font_config())
        trim = _malloc_trim()
        if trim is not None:
            trim(0)
    assert pdf is not None
    return pdf


def render_pdf_many(documents: list[tuple[str, Mapping[str, Any]]]) -> bytes:
    """Several documents as one PDF, each starting on a new page (drafts printed together)."""
    from weasyprint import HTML

    pages = [render_html(key, data) for key, data in documents]
    with _PDF_LOCK:
        rendered = [HTML(string=html, base_url=str(TEMPLATES_DIR)).render(font_config=_font_config())
                    for html in pages]
        pdf = rendered[0].copy([page for doc in rendered for page in doc.pages]).write_pdf()
        trim = _malloc_trim()
        if trim is not None:
            trim(0)
    assert pdf is not None
    return pdf
