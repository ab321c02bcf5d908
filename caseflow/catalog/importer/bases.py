"""Splitting a 实施依据 / 设定依据 cell into one `LegalBasis` per cited article.

Handles numbered entries ("1.《…》第…条：…", inline " 2.【法律】《…》…"), `<p>` paragraphs (a
paragraph without its own title continues the previous article's text), 【法律】/【释义】 prefixes,
parentheticals after the title (document numbers, dates, a stray `）`), and several quoted articles
of one law in one entry ("第八十七条:“…”; 第八十八条:“…”"). Law titles, articles and texts are
kept as published; `options` stay empty (they are extracted from the text elsewhere).
"""

from __future__ import annotations

import re

from caseflow.catalog.importer.cleaning import clean_block
from caseflow.catalog.model import LegalBasis

_NUM = r"[零〇一二三四五六七八九十百千\d]+"
# Start of an entry at the beginning of a line: optional number, optional 【…】 prefixes, a title.
_LINE_STARTS_ENTRY = re.compile(r"^\s*(?:\d+\s*[.、．]|【[^】]*】|《)")
# A numbered entry that starts inside a line (001: "…罚款。 2.【法律】《…》第…条：…").
_INLINE_ENTRY = re.compile(r"(?<=[\s。；;])(?=\d+\s*[.、．]\s*(?:【[^】]*】\s*)*《)")
_ENTRY_HEAD = re.compile(r"^\s*(?:\d+\s*[.、．]\s*)?(?:【[^】]*】\s*)*")
_TITLE = re.compile(r"^《*(《[^《》]*》)")
_ARTICLE = re.compile(
    rf"^第{_NUM}条(?:之{_NUM})?(?:第{_NUM}款)?(?:第{_NUM}项)?"
)
_COLON = re.compile(r"[：:]")
_PUNCT = re.compile(r"[《，,。；;“\"]")
# A further quoted article of the same law: …”; 第八十八条:“…
_MORE_QUOTED = re.compile(
    rf"(?<=[”\"])\s*[;；,，。]?\s*(第{_NUM}条[^:：“\"，,。；;]{{0,12}}?)\s*[:：]\s*(?=[“\"])"
)
_OPEN = "（("
_CLOSE = "）)"


def _entries(cell: str) -> list[str]:
    entries: list[str] = []
    for line in clean_block(cell).split("\n"):
        for part in (p.strip() for p in _INLINE_ENTRY.split(line)):
            if not part:
                continue
            if entries and not _LINE_STARTS_ENTRY.match(part):
                entries[-1] += "\n" + part  # continuation paragraph of the previous article
            else:
                entries.append(part)
    return entries


def _skip_parentheticals(text: str) -> str:
    """Drop （document numbers, dates…） and stray closing brackets after a title."""
    while True:
        text = text.lstrip()
        if text[:1] in _CLOSE:
            text = text[1:]
            continue
        if text[:1] not in _OPEN:
            return text
        depth = 0
        for i, ch in enumerate(text):
            if ch in _OPEN:
                depth += 1
            elif ch in _CLOSE:
                depth -= 1
                if depth == 0:
                    text = text[i + 1 :]
                    break
        else:
            return text  # unbalanced: leave it to the text


def _split_article(rest: str) -> tuple[str, str]:
    """(article, text) from what follows the title, e.g. "第八十七条：…" or "：全文。"."""
    colon = _COLON.search(rest)
    if colon and colon.start() <= 30:
        head = rest[: colon.start()].strip()
        # "" (《…》：全文。) or an article as written: 第八十七条, 第一章总则, 第二十二第二款 …
        if head == "" or (head.startswith("第") and len(head) <= 12 and not _PUNCT.search(head)):
            return head, rest[colon.end() :].strip()
    m = _ARTICLE.match(rest)
    if m:
        return m.group(0), rest[m.end() :].strip()
    return "", rest.strip()


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] in "“\"" and text[-1] in "”\"":
        return text[1:-1].strip()
    return text


def _parse_entry(entry: str) -> list[LegalBasis]:
    body = _ENTRY_HEAD.sub("", entry, count=1)
    m = _TITLE.match(body)
    if not m:
        return [LegalBasis(law="", article="", text=body.strip())]
    law = m.group(1)
    article, text = _split_article(_skip_parentheticals(body[m.end() :]))
    found: list[LegalBasis] = []
    pos = 0
    for more in _MORE_QUOTED.finditer(text):
        found.append(LegalBasis(law=law, article=article, text=_unquote(text[pos : more.start()])))
        article, pos = more.group(1).strip(), more.end()
    found.append(LegalBasis(law=law, article=article, text=_unquote(text[pos:])))
    return found


def split_bases(cell: str) -> tuple[LegalBasis, ...]:
    """One `LegalBasis` per cited article, in published order (duplicates kept as published)."""
    return tuple(basis for entry in _entries(cell) for basis in _parse_entry(entry))
