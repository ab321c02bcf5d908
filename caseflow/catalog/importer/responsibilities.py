"""Splitting a 责任事项 cell into (step, text) pairs, and 岗责 rows into responsibilities/post map.

Entries are numbered 1、2、… / 1. 2. …, one per line or all on one line; the numbers are followed in
order, so digits inside the text do not split it. "立案责任：发现…" → ("立案责任", "发现…"); an
entry without a label ("其他法律法规规章文件规定应履行的责任。") gets the step "其他责任".
"""

from __future__ import annotations

import re

from caseflow.catalog.importer.cleaning import clean_block
from caseflow.catalog.importer.raw import RawPost
from caseflow.catalog.model import PostAssignment

_LABEL = re.compile(r"^([^：:，,。；;、\s（(]{1,12}?)\s*[：:]\s*")
OTHER_STEP = "其他责任"


def _marker(n: int) -> re.Pattern[str]:
    return re.compile(rf"(?:^|(?<=[\s。；;]))({n})\s*[.、．]\s*(?!\d)")


def numbered_entries(text: str) -> list[str]:
    """Split at 1、2、3… markers taken strictly in order; text before marker 1 is its own entry."""
    starts: list[tuple[int, int]] = []  # (marker start, content start)
    pos, n = 0, 1
    while True:
        m = _marker(n).search(text, pos)
        if not m:
            break
        starts.append((m.start(), m.end()))
        pos, n = m.end(), n + 1
    if not starts:
        return [text.strip()] if text.strip() else []
    entries = [text[: starts[0][0]].strip()]
    for i, (_, content) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        entries.append(text[content:end].strip())
    return [e for e in entries if e]


def _step(entry: str) -> tuple[str, str]:
    m = _LABEL.match(entry)
    if m:
        return m.group(1), entry[m.end() :].strip()
    if entry.startswith("其他"):
        return OTHER_STEP, entry
    return "", entry


def split_responsibilities(cell: str) -> tuple[tuple[str, str], ...]:
    return tuple(_step(entry) for entry in numbered_entries(clean_block(cell)))


def post_step(post: str) -> str:
    """立案岗 → 立案, 批准决定岗 → 批准决定, 其他 → 其他."""
    return post[:-1] if post.endswith("岗") and len(post) > 1 else post


def post_responsibilities(posts: tuple[RawPost, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((clean_block(p.post), clean_block(p.duty)) for p in posts)


def post_map(posts: tuple[RawPost, ...]) -> tuple[PostAssignment, ...]:
    out = []
    for p in posts:
        post = clean_block(p.post)
        section = clean_block(p.section) or None
        out.append(PostAssignment(step=post_step(post), post=post, section=section))
    return tuple(out)
