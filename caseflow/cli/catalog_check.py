"""`caseflow catalog check`: report what is wrong inside the published lists (the catalog lint)."""

from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING

import typer

from caseflow.cli.output import emit, reported_errors

if TYPE_CHECKING:
    from caseflow.catalog.lint import Finding


def _counts(findings: list[Finding]) -> dict[str, int]:
    from caseflow.catalog.lint import ERROR, WARNING

    return {"total": len(findings), "errors": sum(f.severity == ERROR for f in findings),
            "warnings": sum(f.severity == WARNING for f in findings)}


def render(findings: list[Finding], agencies: dict[str, str]) -> str:
    """Grouped by file then item, one line per finding, then the counts."""
    from caseflow.catalog.lint.findings import SEVERITY_LABEL

    if not findings:
        return "未发现问题。"
    lines: list[str] = []
    for file, in_file in groupby(findings, key=lambda f: f.file):
        agency = agencies.get(file)
        lines.append(f"{file}" + (f"（{agency}）" if agency else ""))
        for f in in_file:
            lines.append(f"  [{SEVERITY_LABEL[f.severity]}] {f.key or '（清单）'} {f.code} {f.reason}")
        lines.append("")
    c = _counts(findings)
    lines.append(f"共 {c['total']} 条：错误 {c['errors']} 条，警告 {c['warnings']} 条。")
    return "\n".join(lines)


def check(as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """检查已公布权责清单中的错误（事项、依据、引文、总数），只报告、不修改。"""
    from caseflow.catalog.lint import check_catalog
    from caseflow.catalog.service import get_catalog
    from caseflow.config import get_settings

    with reported_errors(as_json):
        catalog = get_catalog()
        findings = check_catalog(get_settings().seeds_dir, catalog)
    agencies = {i.source_file: i.agency for i in catalog.items.values()}
    data = {"findings": [f.to_dict() for f in findings], "counts": _counts(findings)}
    emit(data, as_json, lambda _: render(findings, agencies))
