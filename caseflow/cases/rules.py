"""Refusing a step or an act by a rule declared in workflows/rules/<set>/guards.yaml.

Every RuleViolation the engine raises comes from here: the rule's code, its Chinese message with the
case's facts filled in, and its article are those of the YAML a lawyer reviews — Python adds no rule
text of its own (tests/test_rules_declared.py checks that every rule named in the code is declared).
"""

from __future__ import annotations

from typing import Any

from caseflow.errors import RuleViolation
from caseflow.workflow.registry import WorkflowLibrary, get_library


def refuse(name: str, *, details: dict[str, Any] | None = None, library: WorkflowLibrary | None = None,
           **facts: Any) -> RuleViolation:
    """The refusal of rule `name` (a key of guards.yaml), its message filled with `facts`. Its
    details are `details` when given (a form's fields to mark), else the rule, article and facts."""
    spec = (library or get_library()).guards[name]
    try:
        message = spec.message.format(**facts)
    except (KeyError, IndexError):
        message = spec.message
    return RuleViolation(
        f"{message}（依据：{spec.basis}）", code=spec.code,
        details=details if details is not None
        else {"rule": name, "basis": spec.basis, **{k: str(v) for k, v in facts.items()}},
    )
