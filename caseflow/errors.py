"""The error vocabulary shared by every domain: a stable code for programs, a Chinese message for people.

CLI and HTTP layers translate these; services raise them. A `RuleViolation` is built only by
`caseflow.cases.rules.refuse` from a rule of `workflows/rules/<set>/guards.yaml`: its code leads from a message
to the rule's declaration, its article, and the Python that checks it.
"""

from __future__ import annotations

from typing import Any


class CaseflowError(Exception):
    """Base error: `code` is stable (for programs), `message` is Chinese (for people)."""

    code: str = "CASEFLOW_ERROR"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details is not None:
            out["details"] = self.details
        return out

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class NotFound(CaseflowError):
    code = "NOT_FOUND"


class InvalidInput(CaseflowError):
    """Bad input; `details` maps field names to Chinese messages."""

    code = "INVALID_INPUT"


class RuleViolation(CaseflowError):
    """A guard refused a step; the case is left exactly as it was."""

    code = "RULE_VIOLATION"


class Conflict(CaseflowError):
    """Someone else changed the case first; reload and try again."""

    code = "CASE_CONFLICT"


class DefinitionError(CaseflowError):
    """A file in workflows/ is malformed (a reviewer's edit broke it)."""

    code = "DEFINITION_ERROR"
