"""The guard functions named in workflows/rules/<set>/guards.yaml, by what they judge (`actor`,
`penalty`, `notice`, `enforcement`, `sealing`, `evidence`, `publication`, `arguments`; the registry in `base`).

A guard returns None when the step may proceed, or the facts that fill its message when it must be
refused; `check_guard` turns that into a `RuleViolation` carrying the rule's code. Guards only read.
"""

from __future__ import annotations

from caseflow.cases.context import StepContext
from caseflow.cases.guards import actor, discretion, enforcement, evidence, notice, penalty, sealing  # noqa: F401 (registers them)
from caseflow.cases.guards import publication  # noqa: F401 (registers them)
from caseflow.cases.guards import arguments  # noqa: F401 (registers them)
from caseflow.cases.guards.actor import declaration_on_case, declared_interest_of_actor
from caseflow.cases.guards.base import GUARDS, Refusal, guard, party_names, stored_penalties
from caseflow.cases.guards.sealing import ONSITE_STEPS
from caseflow.cases.rules import refuse

__all__ = ["GUARDS", "IMPLICIT_GUARDS", "ONSITE_STEPS", "Refusal", "check_guard", "declaration_on_case",
           "declared_interest_of_actor", "guard", "party_names", "stored_penalties"]


IMPLICIT_GUARDS = ("actor_holds_post", "actor_not_recused", "opinion_required", "act_times_in_order")


def check_guard(name: str, ctx: StepContext) -> None:
    """Run guard `name`; raise RuleViolation with its code, Chinese message and article if refused."""
    refusal = GUARDS[name](ctx)
    if refusal is None:
        return
    raise refuse(name, library=ctx.library, **refusal)
