"""Does a text describe the item's violation? 立案责任 vs. the item name, and each basis vs. it.

Violations are compared through a small vocabulary of kinds (登记, 骗取基金支出, 骗取待遇, 出借凭证 …)
found by keywords. "骗取" alone is the general kind of the two specific fraud kinds. A 立案 text
fits when every kind it names is the item's (equal, more general or more specific); an article
fits when it shares a general kind with the item (登记 is not 骗取), since an article may cover
several violations. A text in which no kind is found is not judged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from caseflow.catalog.lint.context import LintContext, is_penalty
from caseflow.catalog.lint.findings import ERROR, WARNING, Finding, quote
from caseflow.catalog.model import CatalogItem, LegalBasis
from caseflow.catalog.penalty_text import read_article

_GAP = r"[^，。；]*?"
KINDS: dict[str, re.Pattern[str]] = {
    "登记": re.compile(r"(?<!先行)登记(?!保存)"),
    "骗取": re.compile(r"骗取|骗保|欺诈"),
    "骗取基金支出": re.compile(rf"骗取{_GAP}支出"),
    "骗取待遇": re.compile(rf"骗取{_GAP}待遇"),
    "出借凭证": re.compile(rf"凭证{_GAP}出借|出借{_GAP}凭证|冒名"),
    "违反管理规定": re.compile(r"内部管理|管理规定|管理制度|监督检查|虚假情况|传送数据"),
    "一般违法": re.compile(r"一般违法|分解住院|挂床住院|过度诊疗|重复收费|串换药品"),
    "医疗救助": re.compile(r"救助"),
    "医药价格": re.compile(r"价格"),
    "侵占挪用": re.compile(r"侵占|挪用"),
    "重大损失": re.compile(r"重大损失|严重不良社会影响"),
}
GENERAL = {"骗取基金支出": "骗取", "骗取待遇": "骗取"}
_FRAUD = {"骗取", "骗取基金支出", "骗取待遇"}


def kinds(text: str) -> frozenset[str]:
    """The most specific violation kinds named in `text`."""
    found = {k for k, p in KINDS.items() if p.search(text)}
    return frozenset(k for k in found if not any(GENERAL.get(s) == k for s in found))


def _compatible(a: str, b: str) -> bool:
    return a == b or GENERAL.get(a) == b or GENERAL.get(b) == a


def fits(text_kinds: frozenset[str], name_kinds: frozenset[str]) -> bool:
    """Every kind the text names is one of the name's (a 立案 text names just the item's)."""
    return all(any(_compatible(k, n) for n in name_kinds) for k in text_kinds)


def overlaps(text_kinds: frozenset[str], name_kinds: frozenset[str]) -> bool:
    """The text and the name share a general kind (an article may cover several violations, and
    its wording of a fraud — 支出 or 待遇 — need not be the item's)."""
    general = {GENERAL.get(k, k) for k in name_kinds}
    return any(GENERAL.get(k, k) in general for k in text_kinds)


def _filing_phrase(text: str) -> str:
    """The violation a 立案 text names: the words after 发现 up to 违法行为/予以."""
    m = re.search(r"发现(.+?)(?:的?的?违法行为|等行为|的?予以)", text)
    return m.group(1) if m else ""


def _filing_text(item: CatalogItem) -> str:
    return next((text for step, text in item.responsibilities if step.startswith("立案")), "")


def check_filing_duty(ctx: LintContext) -> Iterator[Finding]:
    """WRONG_VIOLATION_IN_FILING_DUTY: the 立案责任 names a violation that is not the item's."""
    for item in ctx.items:
        phrase = _filing_phrase(_filing_text(item))
        found, own = kinds(phrase), kinds(item.name)
        if not found or not own or fits(found, own):
            continue
        matching = [o.key for o in ctx.by_file[item.source_file]
                    if o.key != item.key and found <= kinds(o.name)]
        hint = f"（与 {'、'.join(matching)} 的事项名称相符）" if matching else ""
        yield Finding(item.source_file, item.key, "WRONG_VIOLATION_IN_FILING_DUTY", ERROR,
                      f"立案责任写的是“{quote(phrase, 30)}”，与事项名称“{quote(item.name, 30)}”"
                      f"不是同一违法行为{hint}。")


def basis_violation(basis: LegalBasis) -> str:
    """The violation an article describes: its premise and its enumerated items."""
    reading = read_article(basis.text)
    items = re.search(r"[：:]\s*[（(]一[)）].*", basis.text, re.S)
    return reading.offence + (items.group(0) if items else "")


def check_basis_fit(ctx: LintContext) -> Iterator[Finding]:
    """REGISTRATION_CITES_FRAUD_ARTICLE / BASIS_DOES_NOT_FIT: an article about another violation.

    An error when none of the item's bases fits its name, a warning for one misfit among others.
    """
    for item in ctx.items:
        own = kinds(item.name)
        if not is_penalty(item) or not own:
            continue
        judged = [(b, kinds(basis_violation(b))) for b in item.bases]
        judged = [(b, k) for b, k in judged if k]
        misfits = [(b, k) for b, k in judged if not overlaps(k, own)]
        severity = ERROR if len(misfits) == len(judged) else WARNING
        for basis, found in misfits:
            code = ("REGISTRATION_CITES_FRAUD_ARTICLE" if "登记" in own and found & _FRAUD
                    else "BASIS_DOES_NOT_FIT")
            yield Finding(item.source_file, item.key, code, severity,
                          f"{basis.citation}规定的是“{quote(read_article(basis.text).offence, 30)}”"
                          f"（{'、'.join(sorted(found))}），事项是“{quote(item.name, 30)}”"
                          f"（{'、'.join(sorted(own))}）。", (basis.citation,))
