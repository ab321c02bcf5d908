"""The catalog lint (`caseflow catalog check`): what is wrong inside the published lists.

The lists are imported as published; this package reports their errors as findings — a wrong
violation in a 立案 text, a registration item citing the fraud article, a 封存 typed 行政处罚,
another county's bureau, laws that do not exist, quotations that differ from each other or from
the statute (naming the measures a shortened quotation leaves out), miscounted totals, an item's
追责时效 that is not 行政处罚法第三十六条's … Each check is a function of a `LintContext` (see
`runner.py`).
"""

from caseflow.catalog.lint.findings import ERROR, RULES, WARNING, Finding
from caseflow.catalog.lint.runner import check_catalog, on_basis

__all__ = ["ERROR", "RULES", "WARNING", "Finding", "check_catalog", "on_basis"]
