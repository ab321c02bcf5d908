"""Running every check over the catalog and the seed lists: `check_catalog`; `on_basis` picks
the findings that concern one basis of one item (what `caseflow catalog range` warns about)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from caseflow.catalog.lint import (
    agency,
    citations,
    limitation,
    power,
    quotations,
    repeats,
    statute,
    summary,
    violations,
)
from caseflow.catalog.lint.context import LintContext
from caseflow.catalog.lint.findings import Finding
from caseflow.catalog.lint.laws import load_known_laws
from caseflow.catalog.service import Catalog
from caseflow.config import get_settings

Check = Callable[[LintContext], Iterable[Finding]]

CHECKS: tuple[Check, ...] = (
    violations.check_filing_duty,
    violations.check_basis_fit,
    power.check_power_type,
    power.check_sealing_bases,
    power.check_sealing_texts,
    agency.check_other_agency,
    agency.check_agency_is_organ,
    citations.check_law_names,
    citations.check_articles,
    citations.check_duplicate_bases,
    citations.check_unread_penalty_text,
    statute.check_against_statutes,
    quotations.check_quotations,
    quotations.check_ranges,
    repeats.check_duplicate_items,
    repeats.check_step_variants,
    summary.check_list_totals,
    limitation.check_limitation,
)


def check_catalog(seeds_dir: Path, catalog: Catalog, *, known_laws: Path | None = None,
                  legal_dir: Path | None = None) -> list[Finding]:
    """Every finding, sorted by file, item and rule.

    `known_laws` defaults to workflows/catalog/known_laws.yaml, `legal_dir` (statute texts) to the
    `legal` folder next to the seeds.
    """
    known_laws = known_laws or get_settings().workflows_dir / "catalog" / "known_laws.yaml"
    legal_dir = legal_dir or seeds_dir.parent / "legal"
    ctx = LintContext(items=sorted(catalog.items.values(), key=lambda i: i.key),
                      laws=load_known_laws(known_laws, legal_dir), seeds_dir=seeds_dir)
    findings = {f for check in CHECKS for f in check(ctx)}
    return sorted(findings, key=Finding.sort_key)


def on_basis(findings: Iterable[Finding], key: str, citation: str) -> list[Finding]:
    """The findings on item `key` that concern its basis `citation` (wrong article, wrong or
    nonexistent law, quotation differing from the statute or from other lists …)."""
    return [f for f in findings if f.key == key and citation in f.citations]
