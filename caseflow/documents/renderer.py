"""Rendering a document: required-field check, Jinja2 template to HTML, WeasyPrint HTML to PDF.

The HTML is self-contained (the stylesheet is inlined), so it can also be shown as a preview.
WeasyPrint embeds and subsets the fonts. One FontConfiguration is kept for the process; renders
are serialised by a lock because Pango/fontconfig state is not safe to share between threads.

Memory: each render briefly holds a ~52 MiB copy of the CJK font files. Freed by reference
counting, but glibc keeps it in the arena of the thread that rendered; with renders on a pool of
threads (web, scheduler) RSS grew to ~600 MiB (bench/documents.py --threads 8). `malloc_trim(0)`
after each render (≈6 ms) returns it: 172 MiB. `gc.collect()` did not help (no cycles survive).

The agency's document style (`AgencySettings.documents`, `DocumentStyle`) travels in the document's
data, as `data["agency"]["documents"]`, put there with the rest of the agency's block when the data
is built — so a stored document renders again as it was issued (`verify`), whatever the settings
say later, and rendering never reads the database. Without it the defaults apply. The style gives
a small stylesheet after document.css (fonts, alignment of paragraphs) and the 成文日期 filter
(`date_signed`, bound per numerals in one Jinja environment each). "auto" fonts, and whether a
named one is installed, are looked up once per process with fontconfig (`fc-list`).

Compiled templates are kept between processes (Jinja's bytecode cache, in `Settings
.template_cache_dir`), so a one-shot `caseflow doc render` does not compile them again (≈35 ms).
Jinja compiles a template again when its source changed; the file names carry a fingerprint of
what else the compiled code depends on (Jinja's version, the environment's options, the filters'
names). The filters run only when rendering, never while compiling (`_at_render_time`), so no
filter's result is kept in the cache. A folder that cannot be written, or a damaged file, only
means compiling as without the cache.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import subprocess
import threading
from collections.abc import Callable, Mapping
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    pass_context,
    select_autoescape,
)
from jinja2.bccache import Bucket
from jinja2.runtime import Context
from markupsafe import Markup

from caseflow.config import get_settings
from caseflow.documents.fields import require_fields
from caseflow.documents.formatting import FILTERS, date_signed
from caseflow.documents.types import get_doc_type
from caseflow.org.settings import AUTO_FONT, AgencySettings, DocumentStyle

__all__ = [
    "FALLBACK_FONT", "TEMPLATES_DIR", "document_css", "document_style", "font_warning",
    "installed_families", "render_html", "render_pdf", "render_pdf_many", "warm_up",
]

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "doc_templates"
_PDF_LOCK = threading.Lock()


# The faces "auto" takes, the first installed (公文 practice: 仿宋 for the body, 小标宋 for the titles),
# and the face used when none is — or when the family the agency named is not installed.
BODY_FONTS = ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong", "华文仿宋")
TITLE_FONTS = ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "华文中宋", "STZhongsong")
FALLBACK_FONT = "Noto Serif CJK SC"


# The environment's options: the compiled code depends on them (the bytecode cache's fingerprint).
_OPTIONS: dict[str, Any] = {"trim_blocks": True, "lstrip_blocks": True}
_AUTOESCAPED = ("html",)


def _at_render_time(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A filter Jinja calls only when rendering. Jinja calls a plain filter while compiling when
    its arguments are constants, and keeps the result in the compiled code — in the bytecode cache
    too, after the filter's code changed; a filter that takes the context is never called so."""

    @pass_context
    def call(_context: Context, *args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    return call


class _TemplateCache(FileSystemBytecodeCache):
    """Jinja's bytecode cache in a folder, never failing a render: a file that cannot be loaded is
    compiled again, a folder that cannot be written is left as it is."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # damaged or foreign: compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:  # read-only, full: the next process compiles again
            pass


def _bytecode_cache() -> BytecodeCache | None:
    """The cache of compiled templates the settings name (None: off, or no usable folder)."""
    settings = get_settings()
    if not settings.template_cache:
        return None
    fingerprint = hashlib.sha256(repr(
        (jinja2.__version__, sorted(_OPTIONS.items()), _AUTOESCAPED, sorted(FILTERS))
    ).encode()).hexdigest()[:16]
    pattern = f"__caseflow_{fingerprint}_%s.cache"
    folder = settings.template_cache_dir
    try:
        if folder is None:  # Jinja's own: <temp>/_jinja2-cache-<uid>, the user's alone (0700)
            return _TemplateCache(pattern=pattern)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return _TemplateCache(str(folder), pattern)
    except (OSError, RuntimeError):  # RuntimeError: Jinja found the temp folder not private
        return None


@lru_cache(maxsize=2)
def _environment(date_numerals: str = "chinese") -> Environment:
    """The templates' environment; one per way of writing the 成文日期 (the `date_signed` filter)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        undefined=StrictUndefined,
        autoescape=select_autoescape(list(_AUTOESCAPED)),
        bytecode_cache=_bytecode_cache(),
        **_OPTIONS,
    )
    env.filters.update({name: _at_render_time(fn) for name, fn in FILTERS.items()})
    env.filters["date_signed"] = _at_render_time(partial(date_signed, numerals=date_numerals))
    return env


def _fold(family: str) -> str:
    """A family name as fontconfig compares them: case and blanks ignored."""
    return "".join(family.split()).casefold()


@lru_cache(maxsize=1)
def installed_families() -> frozenset[str] | None:
    """The families fontconfig lists (each under all its names, e.g. 仿宋 and FangSong; folded), read
    once per process — a font installed later counts from the next start, as for Pango itself.
    None when fontconfig's `fc-list` cannot be run: "auto" then means Noto Serif CJK SC."""
    try:
        listed = subprocess.run(["fc-list", "--format", "%{family}\n"], capture_output=True,
                                text=True, check=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    names = (name for line in listed.splitlines() for name in line.split(","))
    return frozenset(_fold(name) for name in names if name.strip())


def _missing(choice: str) -> bool:
    """A family the agency named that fontconfig does not list (without fontconfig: False)."""
    installed = installed_families()
    return choice != AUTO_FONT and installed is not None and _fold(choice) not in installed


def _font_stack(choice: str, preferred: tuple[str, ...]) -> str:
    """The CSS font-family of a font setting: the face chosen if installed, then the fallback."""
    if choice == AUTO_FONT:
        installed = installed_families() or frozenset()
        chosen = next((f for f in preferred if _fold(f) in installed), None)
    else:
        chosen = None if _missing(choice) else choice
    families = [chosen] if chosen and _fold(chosen) != _fold(FALLBACK_FONT) else []
    return ", ".join(f'"{f}"' for f in [*families, FALLBACK_FONT]) + ", serif"


def document_style(data: Mapping[str, Any]) -> DocumentStyle:
    """The style a document's data carries (`data["agency"]["documents"]`), else the defaults."""
    return DocumentStyle.model_validate((data.get("agency") or {}).get("documents") or {})


def document_css(style: DocumentStyle) -> str:
    """The agency's part of the stylesheet, given after document.css and overriding its defaults:
    the body and title fonts, and paragraphs justified (两端对齐) or not. Family names are safe
    here: the settings refuse quotes, semicolons, braces and angle brackets in them."""
    body = _font_stack(style.body_font, BODY_FONTS)
    title = _font_stack(style.title_font, TITLE_FONTS)
    return (
        f"html {{ font-family: {body}; }}\n"
        f".agency-heading, .doc-title, .annex-title {{ font-family: {title}; }}\n"
        f"p {{ text-align: {'justify' if style.justify else 'left'}; }}\n"
    )


def font_warning(settings: AgencySettings | DocumentStyle) -> str | None:
    """What to tell whoever edits the settings when a font they named is not installed here (the
    documents still render, with Noto Serif CJK SC); None when there is nothing to say."""
    style = settings.documents if isinstance(settings, AgencySettings) else settings
    uses: dict[str, list[str]] = {}
    for part, choice in (("正文", style.body_font), ("标题", style.title_font)):
        if choice != AUTO_FONT:
            uses.setdefault(choice, []).append(part)
    if installed_families() is None:
        notes = [f"无法检查本机是否安装字体「{name}」（找不到 fontconfig 的 fc-list 命令）；如未安装，"
                 f"文书{'和'.join(parts)}将使用 {FALLBACK_FONT}" for name, parts in uses.items()]
    else:
        notes = [f"本机未安装字体「{name}」，文书{'和'.join(parts)}将使用 {FALLBACK_FONT}"
                 for name, parts in uses.items() if _missing(name)]
    return "；".join(notes) + "。" if notes else None


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
    style = document_style(data)
    template = _environment(style.date_numerals).get_template(doc_type.template)
    return template.render({**data, "data": data, "doc_type": doc_type,
                            "style_css": Markup(document_css(style))})


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
