"""workflows/rules/<set>/guards.yaml is the whole list of rules a lawyer reviews: Python raises no rule it does not
declare. Every RuleViolation is built by caseflow.cases.rules.refuse from a declared rule; every rule
the code names exists there with its code, message and article."""

from __future__ import annotations

import ast
from pathlib import Path

import caseflow
from caseflow.cases.guards import GUARDS
from caseflow.workflow.registry import get_library

SOURCE = Path(caseflow.__file__).parent
BUILDERS = {SOURCE / "errors.py", SOURCE / "cases" / "rules.py"}


def _calls(name: str) -> list[tuple[Path, ast.Call]]:
    out = []
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                if called == name:
                    out.append((path, node))
    return out


def test_no_rule_is_raised_outside_the_declared_list() -> None:
    made_elsewhere = [f"{p.relative_to(SOURCE)}:{c.lineno}" for p, c in _calls("RuleViolation")
                      if p not in BUILDERS]
    assert made_elsewhere == [], "RuleViolation built outside caseflow/cases/rules.py: use refuse()"


def test_every_rule_the_code_names_is_declared_with_its_article() -> None:
    specs = get_library().guards
    named = {c.args[0].value for _, c in _calls("refuse")
             if c.args and isinstance(c.args[0], ast.Constant) and isinstance(c.args[0].value, str)}
    assert named, "refuse() is used"
    assert named - set(specs) == set()
    assert set(GUARDS) - set(specs) == set()  # every guard function has its declaration
    for name in named | set(GUARDS):
        spec = specs[name]
        assert spec.code and spec.message and spec.basis, name
        assert "《" in spec.basis or "workflows/" in spec.basis, (name, spec.basis)


def test_refuse_is_called_with_literal_rule_names() -> None:
    dynamic = [f"{p.relative_to(SOURCE)}:{c.lineno}" for p, c in _calls("refuse")
               if p != SOURCE / "cases" / "guards" / "__init__.py"
               and not (c.args and isinstance(c.args[0], ast.Constant))]
    assert dynamic == []  # only check_guard passes a guard's name through


def test_guards_name_the_limits_they_wait_for_in_the_yaml() -> None:
    """No limit code is written in the guards' Python: they read it from `waits_for`."""
    library = get_library()
    literals = {n.value for path in (SOURCE / "cases" / "guards").glob("*.py")
                for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    assert literals & set(library.deadlines) == set()
    waiting = {name: spec.waits_for for name, spec in library.guards.items() if spec.waits_for}
    assert waiting["statement_period_over"] == ("statement_period",)
    assert waiting["payment_period_over"] == ("payment", "fund_return")
    assert library.deadlines["sealing_term"].extension_length == 30  # 《行政强制法》第二十五条
