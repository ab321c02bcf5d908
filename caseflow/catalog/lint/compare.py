"""Comparing quoted legal texts: a comparison form and the differing words between two texts.

The comparison form ignores what does not change the meaning of a quotation: markup, spaces,
punctuation (full or half width), quotation marks, the enumeration markers （一）（二）… (items are
compared separately, see `statute.py`) and how numbers are written ("二倍" = "2倍",
"一万元" = "1万元" = "10000元"). `Form` keeps, for every compared character, its place in the
readable text so that reasons can quote the published words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from caseflow.catalog.penalty_text import parse_number

_MARKUP = re.compile(r"<[^>]*>|\[bookmark:[^\]]*\]")
ENUM_MARKER = re.compile(r"[（(]([一二三四五六七八九十]+)[)）]")
_NUMBER_BEFORE_UNIT = re.compile(
    r"(\d+(?:\.\d+)?[十百千万]*|[零〇一二两三四五六七八九十百千万]+)(?=倍|个月|年|元|日|天|小时)")
_HALF_WIDTH = re.compile(r"\s*([,;:()])\s*")
_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）"}
_IGNORED = re.compile(r"[\s\u3000\xa0，,。.．；;：:、！!？?“”\"'‘’「」『』《》〈〉<>（）()【】\[\]—\-…·/]")


def _arabic(m: re.Match[str]) -> str:
    try:
        value = parse_number(m.group(1))
    except ValueError:
        return m.group(1)
    return format(value.normalize(), "f")


def readable(text: str) -> str:
    """Markup removed, half-width punctuation made full-width, "10,000" written 10000 and numbers
    before units in Arabic digits; otherwise the text as published."""
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", _MARKUP.sub("", text))
    text = _HALF_WIDTH.sub(lambda m: _FULL_WIDTH[m.group(1)], text)
    return _NUMBER_BEFORE_UNIT.sub(_arabic, text).strip()


@dataclass(frozen=True)
class Form:
    """The comparison form of a text and, per character, its index in `shown`."""

    shown: str
    chars: str
    index: tuple[int, ...]

    def words(self, start: int, end: int, limit: int = 24) -> str:
        """The readable words behind chars[start:end], shortened for a reason."""
        if start >= end:
            return ""
        text = self.shown[self.index[start] : self.index[end - 1] + 1]
        return text if len(text) <= limit else text[:limit] + "…"


def form(text: str) -> Form:
    shown = ENUM_MARKER.sub("", readable(text))
    kept = [(i, ch) for i, ch in enumerate(shown) if not _IGNORED.match(ch)]
    return Form(shown, "".join(ch for _, ch in kept), tuple(i for i, _ in kept))


def compact(text: str) -> str:
    """Just the comparison characters (for equality and grouping)."""
    return form(text).chars


@dataclass(frozen=True)
class Difference:
    """Words of `reference` replaced, added or left out in `other`."""

    kind: str  # "replace", "insert" (only in other), "delete" (only in reference)
    reference_words: str
    other_words: str


def differences(reference: Form, other: Form, *, min_delete: int = 2, gap: int = 5,
                limit: int = 24) -> list[Difference]:
    """The differing passages, in order. Changes at most `gap` equal chars apart are one passage
    ("相应的社会保险费" for "骗取的社会保险金", not "相应"/"骗取" and "费"/"金"); a bare deletion
    shorter than `min_delete` chars is ignored; each passage is quoted up to `limit` chars."""
    matcher = SequenceMatcher(None, reference.chars, other.chars, autojunk=False)
    spans: list[list[int]] = []  # [i1, i2, j1, j2] of merged changes
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if spans and i1 - spans[-1][1] <= gap and j1 - spans[-1][3] <= gap:
            spans[-1][1], spans[-1][3] = i2, j2
        else:
            spans.append([i1, i2, j1, j2])
    out: list[Difference] = []
    for i1, i2, j1, j2 in spans:
        kind = "replace" if i2 > i1 and j2 > j1 else "delete" if i2 > i1 else "insert"
        if kind == "delete" and i2 - i1 < min_delete:
            continue
        out.append(Difference(kind, reference.words(i1, i2, limit), other.words(j1, j2, limit)))
    return out


def similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def describe(diffs: list[Difference], *, reference_name: str = "原文", limit: int = 3) -> str:
    """'写作"X"，原文为"Y"；缺少"Z"；多出"W"' for the first `limit` differences."""
    parts = []
    for d in diffs[:limit]:
        if d.kind == "replace":
            parts.append(f"写作“{d.other_words}”，{reference_name}为“{d.reference_words}”")
        elif d.kind == "insert":
            parts.append(f"多出“{d.other_words}”")
        else:
            parts.append(f"缺少“{d.reference_words}”")
    if len(diffs) > limit:
        parts.append(f"另有{len(diffs) - limit}处不同")
    return "；".join(parts)
