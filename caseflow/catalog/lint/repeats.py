"""Within one list: items repeated, and one step's text varying slightly between items.

Two items are duplicates when their names are the same, or when their bases and responsibilities
are word for word the same under different names. For every step except 立案 (which names each
item's violation) and 其他, the text most items share is the list's wording; a text close to it
(similarity ≥ 0.8) but not the same is reported with the differing words, e.g. a typo.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

from caseflow.catalog.lint.compare import compact, describe, differences, form, similarity
from caseflow.catalog.lint.context import LintContext
from caseflow.catalog.lint.findings import WARNING, Finding, quote
from caseflow.catalog.model import CatalogItem

_CLOSE = 0.8


def _content(item: CatalogItem) -> tuple:
    bases = tuple((b.law, b.article, compact(b.text)) for b in item.bases)
    duties = tuple((s, compact(t)) for s, t in item.responsibilities)
    return bases, duties, compact(item.accountability)


def check_duplicate_items(ctx: LintContext) -> Iterator[Finding]:
    """DUPLICATE_ITEM: a later item repeating an earlier one of the same list."""
    for items in ctx.by_file.values():
        seen_names: dict[str, CatalogItem] = {}
        seen_content: dict[tuple, CatalogItem] = {}
        for item in items:
            name, content = compact(item.name), _content(item)
            if name in seen_names:
                first = seen_names[name]
                yield Finding(item.source_file, item.key, "DUPLICATE_ITEM", WARNING,
                              f"事项名称与 {first.key} 相同（“{quote(item.name, 30)}”）。")
            elif content in seen_content and item.bases:
                first = seen_content[content]
                yield Finding(item.source_file, item.key, "DUPLICATE_ITEM", WARNING,
                              f"依据、责任事项和追责情形与 {first.key}（“{quote(first.name, 20)}”）"
                              f"逐字相同，只是名称不同（“{quote(item.name, 20)}”）。")
            seen_names.setdefault(name, item)
            seen_content.setdefault(content, item)


def check_step_variants(ctx: LintContext) -> Iterator[Finding]:
    """STEP_TEXT_VARIANT: a step's text differing in a few words from the list's usual wording."""
    for items in ctx.by_file.values():
        texts: dict[tuple[str, str], list[tuple[CatalogItem, str]]] = defaultdict(list)
        for item in items:
            for step, text in item.responsibilities:
                if not step.startswith(("立案", "其他")):
                    texts[(item.procedure, step)].append((item, text))
        for (_, step), entries in texts.items():
            counts = Counter(compact(t) for _, t in entries)
            usual, n = counts.most_common(1)[0]
            if n < 2:
                continue
            usual_text = next(t for _, t in entries if compact(t) == usual)
            for item, text in entries:
                mine = compact(text)
                if mine == usual or counts[mine] >= n or similarity(mine, usual) < _CLOSE:
                    continue
                diffs = differences(form(usual_text), form(text), min_delete=1)
                yield Finding(item.source_file, item.key, "STEP_TEXT_VARIANT", WARNING,
                              f"{step}与本清单其他{n}个事项的写法不同："
                              f"{describe(diffs, reference_name='其他事项')}。")
