"""Quotations checked against the statute text where the legal folder has it (条例, 处罚法 …).

An article is compared in two parts: the text outside its enumeration, character by character in
the comparison form (`compare.py`), and its enumerated items （一）（二）…, matched item by item so
that a left-out item is named and a renumbering is seen (004-05: 条例第四十条 without its item
（二）, its （三）（四） renumbered （二）（三）). Words the quotation has in place of or beyond the
statute are an error. Left-out words are an error for a penalty item quoting the whole article;
a 强制 item, or a citation of a 款/项, may quote just the part it relies on.

The catalog reads a basis' penalty options from the statute (building.py), so a shortened
quotation costs the item nothing — but the published list is wrong, and the finding names the
measures the quotation leaves out (000-02: 社会保险法第八十七条 without 解除服务协议 and
吊销执业资格). An article missing from a law whose text is an excerpt (节录, known_laws.yaml
`excerpt`) is not reported: the excerpt cannot show it does not exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from caseflow.catalog.lint.compare import (
    ENUM_MARKER,
    compact,
    describe,
    differences,
    form,
    similarity,
)
from caseflow.catalog.lint.context import LintContext, is_penalty
from caseflow.catalog.lint.findings import ERROR, Finding, quote
from caseflow.catalog.lint.laws import KnownLaws, Law, article_key, cites_part
from caseflow.catalog.model import PARTY, TARGET_LABEL, CatalogItem, LegalBasis, PenaltyOption
from caseflow.catalog.penalty_text import read_article

_ITEM_MATCH = 0.6
_PASSAGE = 80  # a left-out sentence is quoted whole: it is what the list's readers do not see

Items = list[tuple[str, str]]  # (marker 一/二/…, item text)


def split_items(text: str) -> tuple[str, Items]:
    """(the text outside the enumeration, its items); the last item ends at the first "。"."""
    markers = list(ENUM_MARKER.finditer(text))
    if not markers:
        return text, []
    items: Items = []
    for n, m in enumerate(markers):
        end = markers[n + 1].start() if n + 1 < len(markers) else len(text)
        items.append((m.group(1), text[m.end() : end]))
    marker, last = items[-1]
    cut = last.find("。")
    tail = last[cut + 1 :] if cut >= 0 else ""
    if cut >= 0:
        items[-1] = (marker, last[: cut + 1])
    return text[: markers[0].start()] + tail, items


def _match_items(statute: Items, quoted: Items) -> dict[int, tuple[int, float]]:
    """quoted index → (statute index, similarity), each statute item used once, best first."""
    pairs = sorted(((similarity(compact(q), compact(s)), qi, si)
                    for qi, (_, q) in enumerate(quoted) for si, (_, s) in enumerate(statute)),
                   reverse=True)
    matched: dict[int, tuple[int, float]] = {}
    used: set[int] = set()
    for ratio, qi, si in pairs:
        if ratio >= _ITEM_MATCH and qi not in matched and si not in used:
            matched[qi] = (si, ratio)
            used.add(si)
    return matched


def compare_with_statute(statute: str, quoted: str, *, excerpt: bool
                         ) -> tuple[list[str], list[str]]:
    """(what the quotation has that the statute does not, what it leaves out), in Chinese."""
    s_out, s_items = split_items(statute)
    q_out, q_items = split_items(quoted)
    wrong: list[str] = []
    missing: list[str] = []
    if not q_items and s_items and excerpt:
        diffs = differences(form(statute), form(quoted))
        wrong += [describe([d]) for d in diffs if d.kind != "delete"]
        return wrong, missing
    diffs = differences(form(s_out), form(q_out), limit=_PASSAGE)
    wrong += [describe([d]) for d in diffs if d.kind != "delete"]
    if not excerpt:
        missing += [describe([d]) for d in diffs if d.kind == "delete"]
    matched = _match_items(s_items, q_items)
    for qi, (marker, text) in enumerate(q_items):
        if qi not in matched:
            wrong.append(f"列举事项（{marker}）“{quote(text, 20)}”不是原文的内容")
            continue
        si, ratio = matched[qi]
        if ratio < 1:
            item_diffs = differences(form(s_items[si][1]), form(text))
            wrong += [f"（{marker}）" + describe([d]) for d in item_diffs if d.kind != "delete"]
            if not excerpt:
                missing += [f"（{marker}）" + describe([d]) for d in item_diffs if d.kind == "delete"]
    renumbered = [f"原文（{s_items[si][0]}）写作（{q_items[qi][0]}）"
                  for qi, (si, _) in sorted(matched.items()) if s_items[si][0] != q_items[qi][0]]
    left_out = [n for n in range(len(s_items)) if n not in {si for si, _ in matched.values()}]
    if left_out and (not excerpt or renumbered):
        names = "、".join(f"（{s_items[n][0]}）“{quote(s_items[n][1], 16)}”" for n in left_out)
        missing.append(f"缺少原文列举的{names}" + (f"，其后各项序号前移（{'，'.join(renumbered)}）"
                                                   if renumbered else ""))
    return wrong, missing


def _measure(option: PenaltyOption) -> str:
    who = "" if option.target == PARTY else f"对{TARGET_LABEL.get(option.target, option.target)}"
    return who + option.kind + (f"（{option.condition}）" if option.condition else "")


def measures_left_out(statute: str, quoted: str) -> list[str]:
    """The statute's measures the quotation does not state (by kind and target), in order."""
    stated = {(o.kind, o.target) for o in read_article(quoted).options}
    return [_measure(o) for o in read_article(statute).options if (o.kind, o.target) not in stated]


def _catalog_note(statute: str, quoted: str) -> str:
    """What the difference means for the catalog, which reads the options from the statute."""
    if left_out := measures_left_out(statute, quoted):
        return f"引文因此未载明的处罚措施：{'、'.join(left_out)}；事项目录按法规原文列出。"
    if _plain(read_article(statute).options) != _plain(read_article(quoted).options):
        return "事项目录的处罚措施按法规原文读取。"
    return ""


def _plain(options: tuple[PenaltyOption, ...]) -> tuple[PenaltyOption, ...]:
    return tuple(replace(o, text="") for o in options)


def _check_basis(item: CatalogItem, basis: LegalBasis, law: Law, laws: KnownLaws
                 ) -> Iterator[Finding]:
    key = article_key(basis.article)
    if key is None:
        return
    cited = (basis.citation,)
    if key not in law.articles:
        if not law.excerpt:
            yield Finding(item.source_file, item.key, "ARTICLE_NOT_IN_STATUTE", ERROR,
                          f"{basis.law}没有{key}。", cited)
        return
    excerpt = cites_part(basis.article) or not is_penalty(item)
    wrong, missing = compare_with_statute(law.articles[key], basis.text, excerpt=excerpt)
    note = _catalog_note(statute, basis.text) if (
        is_penalty(item) and (wrong or missing)
        and (statute := laws.statute_text(basis.law, basis.article))) else ""
    if wrong:
        yield Finding(item.source_file, item.key, "QUOTATION_DIFFERS_FROM_STATUTE", ERROR,
                      f"{basis.citation}的引文与法规原文不符：{'；'.join(wrong[:3])}。"
                      + ("" if missing else note), cited)
    if missing:
        yield Finding(item.source_file, item.key, "ARTICLE_TEXT_INCOMPLETE", ERROR,
                      f"{basis.citation}的引文不完整：{'；'.join(missing[:3])}。{note}", cited)


def check_against_statutes(ctx: LintContext) -> Iterator[Finding]:
    """QUOTATION_DIFFERS_FROM_STATUTE / ARTICLE_TEXT_INCOMPLETE / ARTICLE_NOT_IN_STATUTE."""
    for item in ctx.items:
        for basis in item.bases:
            law = ctx.laws.find(basis.law) if basis.law else None
            if law is not None and law.articles:
                yield from _check_basis(item, basis, law, ctx.laws)
