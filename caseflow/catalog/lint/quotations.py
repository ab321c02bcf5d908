"""The same article across items and lists: differing quotations, differing penalty ranges.

Bases are grouped by law (as found in known_laws.yaml) and article. Where the legal folder has no
text of the law, the reference is the quotation used by the most lists (then the longest): other
quotations are compared with it — an error when words differ and at least two other lists agree
on the reference, a warning otherwise or when words are only left out. Left-out words are not
reported for a 强制 item or a citation of a 款/项 (an excerpt). Penalty ranges are compared for
every law: with the statute's own reading where the text is known, else with the common reading.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from caseflow.catalog.lint.compare import compact, describe, differences, form
from caseflow.catalog.lint.context import LintContext, is_penalty
from caseflow.catalog.lint.findings import ERROR, WARNING, Finding
from caseflow.catalog.lint.laws import article_key, canonical, cites_part
from caseflow.catalog.model import (
    PARTY,
    PRINCIPAL_OFFICER,
    RESPONSIBLE_PERSON,
    CatalogItem,
    LegalBasis,
    PenaltyOption,
)
from caseflow.catalog.penalty_text import read_article

Entry = tuple[CatalogItem, LegalBasis]
_TARGET = {PARTY: "当事人", RESPONSIBLE_PERSON: "直接责任人员",
           PRINCIPAL_OFFICER: "法定代表人或者主要负责人"}


def _groups(ctx: LintContext) -> dict[tuple[str, str], list[Entry]]:
    groups: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for item in ctx.items:
        for basis in item.bases:
            key = article_key(basis.article)
            if basis.law and key:
                law = ctx.laws.find(basis.law)
                groups[(law.name if law else canonical(basis.law), key)].append((item, basis))
    return groups


def _keys(entries: list[Entry], limit: int = 3) -> str:
    keys = list(dict.fromkeys(i.key for i, _ in entries))
    return "、".join(keys[:limit]) + ("等" if len(keys) > limit else "")


def _files(entries: list[Entry]) -> set[str]:
    return {i.source_file for i, _ in entries}


def check_quotations(ctx: LintContext) -> Iterator[Finding]:
    """QUOTATION_DIFFERS: one article quoted with different words in different items."""
    for (law_name, _), entries in _groups(ctx).items():
        law = ctx.laws.find(law_name)
        if law is not None and law.articles:
            continue  # compared with the statute itself (statute.py)
        variants: dict[str, list[Entry]] = defaultdict(list)
        for entry in entries:
            variants[compact(entry[1].text)].append(entry)
        if len(variants) < 2:
            continue
        ref = max(variants, key=lambda v: (len(_files(variants[v])), len(v)))
        ref_entries = variants[ref]
        ref_form = form(ref_entries[0][1].text)
        for text, group in variants.items():
            if text == ref:
                continue
            for item, basis in group:
                diffs = differences(ref_form, form(basis.text))
                changed = [d for d in diffs if d.kind != "delete"]
                excerpt = not is_penalty(item) or cites_part(basis.article)
                if not diffs or (not changed and excerpt):
                    continue
                agreeing = _files(ref_entries) - {item.source_file}
                severity = ERROR if changed and len(agreeing) >= 2 else WARNING
                shown = diffs if not excerpt else changed
                yield Finding(item.source_file, item.key, "QUOTATION_DIFFERS", severity,
                              f"{basis.citation}的引文与 {_keys(ref_entries)} 所引不同："
                              f"{describe(shown, reference_name='其他清单')}。", (basis.citation,))


def _by_measure(options: tuple[PenaltyOption, ...]) -> dict[tuple[str, str], tuple[str, ...]]:
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    for o in options:
        out[(o.kind, o.target)].append(_extent(o))
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _num(value: Decimal | int | None) -> str:
    return "" if value is None else format(Decimal(value).normalize(), "f")


def _extent(o: PenaltyOption) -> str:
    """The measure's extent as a reader sees it: 骗取金额2–5倍, 500–3000元, 6–12个月 …"""
    if o.multiple_min is not None:
        return f"{o.base or ''}{_num(o.multiple_min)}–{_num(o.multiple_max)}倍"
    if o.amount_min is not None:
        return f"{_num(o.amount_min)}–{_num(o.amount_max)}元"
    if o.months_min is not None:
        return f"{_num(o.months_min)}–{_num(o.months_max)}个月"
    return o.base or "（无幅度）"


def _reference_options(ctx: LintContext, law_name: str, article: str,
                       entries: list[Entry]) -> tuple[dict[tuple[str, str], tuple[str, ...]], str]:
    law = ctx.laws.find(law_name)
    if law is not None and article in law.articles:
        return _by_measure(read_article(law.articles[article]).options), "法规原文"
    readings: dict[tuple, list[Entry]] = defaultdict(list)
    for entry in entries:
        readings[tuple(sorted(_by_measure(entry[1].options).items()))].append(entry)
    best = max(readings, key=lambda r: (len(_files(readings[r])), len(r)))
    return dict(best), _keys(readings[best])


def check_ranges(ctx: LintContext) -> Iterator[Finding]:
    """RANGE_DIFFERS: one article read into a different extent of the same measure."""
    for (law_name, article), entries in _groups(ctx).items():
        entries = [(i, b) for i, b in entries if is_penalty(i) and b.options]
        if not entries:
            continue
        reference, ref_name = _reference_options(ctx, law_name, article, entries)
        for item, basis in entries:
            mine = _by_measure(basis.options)
            for (kind, target), extent in mine.items():
                ref = reference.get((kind, target))
                if ref is not None and ref != extent:
                    who = _TARGET.get(target, target)
                    yield Finding(item.source_file, item.key, "RANGE_DIFFERS", ERROR,
                                  f"{basis.citation}对{who}的“{kind}”读作“{'、'.join(extent)}”，"
                                  f"{ref_name}为“{'、'.join(ref)}”。", (basis.citation,))
