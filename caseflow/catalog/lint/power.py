"""Checks on the kind of power: the published type, and what a 封存 item cites and describes.

封存 is a 行政强制措施 (条例第二十七条第五项, 社会保险法第七十九条). A sealing item must cite a
sealing power, not a penalty article; its texts should speak of 封存, not of 查封/扣押/冻结 (powers
the bureau does not have); and the measure is approved by the 行政机关负责人 (行政强制法第十八条).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from caseflow.catalog.importer.classify import PROCEDURE_SEALING
from caseflow.catalog.lint.context import LintContext
from caseflow.catalog.lint.findings import ERROR, WARNING, Finding, quote
from caseflow.catalog.model import CatalogItem
from caseflow.catalog.penalty_text import read_article

_SEALING = "封存"
_OTHER_MEASURES = re.compile(r"查封|扣押|冻结")
_REPORT_TO = re.compile(r"向([^，,。；;、]{1,15}?)报告")
_CLAUSE_END = re.compile(r"[，,。；;：:]")


def clause(text: str, start: int, end: int) -> str:
    """The clause (between punctuation) around text[start:end]."""
    before = [m.end() for m in _CLAUSE_END.finditer(text, 0, start)]
    after = _CLAUSE_END.search(text, end)
    return text[before[-1] if before else 0 : after.start() if after else len(text)].strip()


def _sealing_items(ctx: LintContext) -> list[CatalogItem]:
    return [i for i in ctx.items if i.procedure == PROCEDURE_SEALING]


def _texts(item: CatalogItem) -> list[tuple[str, str]]:
    return [*item.responsibilities, ("追责情形", item.accountability)]


def check_power_type(ctx: LintContext) -> Iterator[Finding]:
    """WRONG_POWER_TYPE: the list types the item otherwise than what it is (封存 typed 行政处罚)."""
    for item in ctx.items:
        if item.published_type != item.power_type:
            word = _SEALING if _SEALING in item.name else quote(item.name, 20)
            yield Finding(item.source_file, item.key, "WRONG_POWER_TYPE", ERROR,
                          f"清单将“{word}”事项列为“{item.published_type}”，"
                          f"{word}是{item.power_type}措施，不是行政处罚。")


def check_sealing_bases(ctx: LintContext) -> Iterator[Finding]:
    """SEALING_CITES_PENALTY_ARTICLE / SEALING_WITHOUT_POWER_BASIS."""
    for item in _sealing_items(ctx):
        for basis in item.bases:
            reading = read_article(basis.text)
            if _SEALING not in basis.text and reading.options:
                measures = "、".join(dict.fromkeys(o.kind for o in reading.options))
                yield Finding(item.source_file, item.key, "SEALING_CITES_PENALTY_ARTICLE", ERROR,
                              f"{basis.citation}是处罚条款（“{quote(reading.offence, 20)}”，"
                              f"{measures}），不是封存的依据。", (basis.citation,))
        if not any(_SEALING in b.text for b in item.bases):
            cited = "、".join(b.citation for b in item.bases) or "无"
            yield Finding(item.source_file, item.key, "SEALING_WITHOUT_POWER_BASIS", ERROR,
                          f"所引依据（{cited}）都没有规定封存；应引社会保险法第七十九条或"
                          "医疗保障基金使用监督管理条例第二十七条。")


def check_sealing_texts(ctx: LintContext) -> Iterator[Finding]:
    """WRONG_COERCIVE_MEASURE / APPROVAL_NOT_BY_HEAD in the responsibilities of a sealing item."""
    for item in _sealing_items(ctx):
        named = [(step, m) for step, text in _texts(item) for m in _OTHER_MEASURES.finditer(text)]
        if named:
            step, m = named[0]
            words = "、".join(dict.fromkeys(m.group(0) for _, m in named))
            around = quote(clause(m.string, m.start(), m.end()), 30)
            yield Finding(item.source_file, item.key, "WRONG_COERCIVE_MEASURE", WARNING,
                          f"{step}写有“{around}”等（{words}）；本事项的强制措施是封存，"
                          "医疗保障部门没有查封、扣押、冻结的职权。")
        for step, text in item.responsibilities:
            for m in _REPORT_TO.finditer(text):
                if "负责人" not in m.group(1):
                    yield Finding(item.source_file, item.key, "APPROVAL_NOT_BY_HEAD", ERROR,
                                  f"{step}写“{quote(clause(text, m.start(), m.end()), 30)}”；"
                                  "行政强制法第十八条第一项规定实施前须向行政机关负责人报告并经批准。")
