"""Checks on what each basis cites: the law's name, the article, repeats, unreadable text."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from caseflow.catalog.lint.compare import compact
from caseflow.catalog.lint.context import LintContext, is_penalty
from caseflow.catalog.lint.findings import ERROR, WARNING, Finding, quote
from caseflow.catalog.lint.laws import NONEXISTENT, UNRELATED, article_key, canonical
from caseflow.catalog.model import LegalBasis
from caseflow.catalog.penalty_text import read_article

_WHOLE_TEXT = {"", "全文"}
_SAME_TEXT_MIN = 30  # shorter identical texts are excerpts of one sentence, not copied articles


def check_law_names(ctx: LintContext) -> Iterator[Finding]:
    """NONEXISTENT_REGULATION / UNRELATED_LAW_CITED / UNKNOWN_REGULATION, once per law and item."""
    for item in ctx.items:
        for name in dict.fromkeys(b.law for b in item.bases):
            law = ctx.laws.find(name) if name else None
            cited = tuple(b.citation for b in item.bases if b.law == name)
            if not name:
                yield Finding(item.source_file, item.key, "UNKNOWN_REGULATION", WARNING,
                              "有一条依据未写明法规名称。", cited)
            elif law is None:
                yield Finding(item.source_file, item.key, "UNKNOWN_REGULATION", WARNING,
                              f"无法核实的法规名称{name}（不在 known_laws.yaml 中）。", cited)
            elif law.status == NONEXISTENT:
                yield Finding(item.source_file, item.key, "NONEXISTENT_REGULATION", ERROR,
                              f"引用的{name}不存在：{law.note}", cited)
            elif law.status == UNRELATED:
                articles = "、".join(b.article for b in item.bases if b.law == name)
                yield Finding(item.source_file, item.key, "UNRELATED_LAW_CITED", ERROR,
                              f"引用了{name}{articles}：{law.note}", cited)


def check_articles(ctx: LintContext) -> Iterator[Finding]:
    """BASIS_WITHOUT_ARTICLE: a basis citing a whole law ("全文") or a chapter, not an article."""
    for item in ctx.items:
        for basis in item.bases:
            if basis.law and article_key(basis.article) is None:
                cited = basis.article or quote(basis.text, 12)
                yield Finding(item.source_file, item.key, "BASIS_WITHOUT_ARTICLE", WARNING,
                              f"{basis.law}只写了“{cited}”，没有写明具体条款。", (basis.citation,))


def check_duplicate_bases(ctx: LintContext) -> Iterator[Finding]:
    """DUPLICATE_BASIS: the same article twice in one item, or one article's text under two
    citations (texts under 30 characters — a one-sentence excerpt — are not compared)."""
    for item in ctx.items:
        by_citation: dict[tuple[str, str], list[LegalBasis]] = defaultdict(list)
        by_text: dict[str, list[LegalBasis]] = defaultdict(list)
        for basis in item.bases:
            by_citation[(canonical(basis.law), basis.article)].append(basis)
            if len(compact(basis.text)) >= _SAME_TEXT_MIN:
                by_text[compact(basis.text)].append(basis)
        for bases in by_citation.values():
            if len(bases) > 1:
                yield Finding(item.source_file, item.key, "DUPLICATE_BASIS", WARNING,
                              f"{bases[0].citation}被引用了{len(bases)}次。", (bases[0].citation,))
        for bases in by_text.values():
            citations = list(dict.fromkeys(b.citation for b in bases))
            if len(citations) > 1:
                yield Finding(item.source_file, item.key, "DUPLICATE_BASIS", WARNING,
                              f"{'与'.join(citations)}的引文完全相同"
                              f"（“{quote(bases[0].text, 16)}”）。", tuple(citations))


def check_unread_penalty_text(ctx: LintContext) -> Iterator[Finding]:
    """UNREAD_PENALTY_TEXT: words of a penalty basis the penalty reader could not read."""
    for item in ctx.items:
        if not is_penalty(item):
            continue
        for basis in item.bases:
            if compact(basis.text) in _WHOLE_TEXT:
                continue
            for left in read_article(basis.text).leftovers:
                yield Finding(item.source_file, item.key, "UNREAD_PENALTY_TEXT", WARNING,
                              f"{basis.citation}中“{quote(left, 30)}”未能读出处罚措施，"
                              "办案时不能按该措施计算幅度。", (basis.citation,))
