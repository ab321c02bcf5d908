"""Which post, in which section, takes a step of a given case.

The procedure files name the default (栾川's 岗责体系: 审查岗 in 法制审核股, the other posts in
基金监管股). A catalog item whose list publishes its own 岗责体系 may seat a post in another
section; the case keeps those differences (`Case.post_sections`, fixed when it is opened, like the
rest of its catalog entry), and every check of "does this actor hold the post" goes through here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from caseflow.catalog.model import CatalogItem
from caseflow.workflow.definition import ProcedureDef, TransitionDef


class _HasPostSections(Protocol):
    post_sections: dict[str, str] | None


def post_label(post: str, section: str | None) -> str:
    return f"{section}·{post}" if section else post


def sections_differing(item: CatalogItem, proc: ProcedureDef) -> dict[str, str] | None:
    """{post: section} for every post of the procedure the item seats in another section."""
    defaults = {t.post: t.section for t in proc.transitions if t.section}
    out = {a.post: a.section for a in item.post_map
           if a.post in defaults and a.section and a.section != defaults[a.post]}
    return out or None


def required_post(case: _HasPostSections, t: TransitionDef) -> tuple[str, str | None]:
    """(post, section) the step needs on this case."""
    if t.section and case.post_sections and t.post in case.post_sections:
        return t.post, case.post_sections[t.post]
    return t.post, t.section


def required_label(case: _HasPostSections, t: TransitionDef) -> str:
    return post_label(*required_post(case, t))


def starter_posts(item_sections: Mapping[str, str] | None,
                  starters: Iterable[TransitionDef]) -> list[tuple[str, str | None]]:
    """(post, section) pairs that may register a case, before the case row exists."""
    return [
        (t.post, (item_sections or {}).get(t.post, t.section) if t.section else None)
        for t in starters
    ]
