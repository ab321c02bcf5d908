"""Markup removal for list cells: HTML paragraphs/lists, Word bookmarks, `---` rules, odd spaces.

Only markup is removed; the Chinese text itself is kept exactly as published. A cleaned block keeps
its line structure (one paragraph or list item per line); `clean_inline` flattens it to one line.
"""

from __future__ import annotations

import re

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_LIST_TAG = re.compile(r"<(/?)(ol|ul|li)\b[^>]*>", re.IGNORECASE)
_BREAK_TAG = re.compile(r"</?(?:p|div|br|tr|td|th|table|tbody)\b[^>]*/?>", re.IGNORECASE)
_INLINE_TAG = re.compile(r"</?(?:span|font|b|i|u|em|strong|sup|sub|a)\b[^>]*>", re.IGNORECASE)
_RULE = re.compile(r"^[\s|]*-{3,}[\s|\-]*$")
_NUMBERED = re.compile(r"\d+\s*[.、．]")
_ENTITIES = {"&nbsp;": " ", "&#160;": " ", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&amp;": "&"}
# Non-breaking and other odd spaces become a plain space; zero-width characters are dropped.
_ODD_SPACES = str.maketrans(
    {
        **{chr(c): " " for c in (0x00A0, 0x1680, 0x202F, 0x205F, 0x3000, *range(0x2000, 0x200B))},
        **{chr(c): None for c in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)},
    }
)
_SPACE_RUN = re.compile(r"[ \t\r\f\v]+")


def is_rule(line: str) -> bool:
    """A `---` table rule line (Markdown-style separators between rows)."""
    return bool(_RULE.match(line))


def _render_lists(text: str) -> str:
    """`<ol><li>a<li>b</ol>` → numbered lines; items that already carry a number keep it."""
    out: list[str] = []
    counters: list[int | None] = []  # None for <ul>
    pos = 0
    for m in _LIST_TAG.finditer(text):
        out.append(text[pos : m.start()])
        pos = m.end()
        closing, tag = m.group(1), m.group(2).lower()
        if tag in ("ol", "ul"):
            if closing:
                if counters:
                    counters.pop()
            else:
                counters.append(0 if tag == "ol" else None)
            out.append("\n")
        elif closing:  # </li>
            out.append("\n")
        else:
            prefix = ""
            if counters and counters[-1] is not None:
                counters[-1] += 1
                if not _NUMBERED.match(text[m.end() :].lstrip()):
                    prefix = f"{counters[-1]}. "
            out.append("\n" + prefix)
    out.append(text[pos:])
    return "".join(out)


def clean_block(text: str) -> str:
    """Remove markup; one paragraph / list item / published line per output line, no empty lines."""
    text = _BOOKMARK.sub("", text)
    for entity, repl in _ENTITIES.items():
        text = text.replace(entity, repl)
    text = _render_lists(text)
    text = _BREAK_TAG.sub("\n", text)
    text = _INLINE_TAG.sub("", text)
    text = text.translate(_ODD_SPACES)
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _SPACE_RUN.sub(" ", line).strip()
        if line and not is_rule(line):
            lines.append(line)
    return "\n".join(lines)


def clean_inline(text: str) -> str:
    """`clean_block` flattened to one line (names, codes, single-value cells)."""
    return " ".join(clean_block(text).split("\n"))
