"""One shared `transitions.Machine` per procedure definition and version, serving every case.

The machine holds no model: a step triggers the event directly on the case row, whose `state`
column is the machine's state. Conditions are the procedure's `when` predicate and named guards
(guards raise `RuleViolation`, so a refused step leaves the case untouched); the `after` callback
runs the step's effects and deadlines. A Machine per case per request would cost ~60 KB and
milliseconds each; this costs one per procedure version for the whole process.
"""

from __future__ import annotations

from typing import Any

from transitions import EventData, Machine

from caseflow.cases import effects as effect_registry
from caseflow.cases import guards as guard_registry
from caseflow.cases import predicates
from caseflow.cases.context import StepContext
from caseflow.cases.deadline_steps import apply_deadlines
from caseflow.documents.types import DOC_TYPES
from caseflow.errors import DefinitionError
from caseflow.workflow.definition import ProcedureDef, TransitionDef
from caseflow.workflow.registry import WorkflowLibrary, get_library


def _ctx(event: EventData) -> StepContext:
    ctx = event.kwargs["ctx"]
    assert isinstance(ctx, StepContext)
    return ctx


def _branch_condition(t: TransitionDef) -> Any:
    def condition(event: EventData) -> bool:
        return t.when is None or predicates.evaluate(t.when, _ctx(event))

    condition.__name__ = f"when_{t.when}"
    return condition


def _guard_condition(t: TransitionDef) -> Any:
    def condition(event: EventData) -> bool:
        ctx = _ctx(event)
        ctx.transition = t
        for name in (*guard_registry.IMPLICIT_GUARDS, *t.guards):
            guard_registry.check_guard(name, ctx)
        return True

    condition.__name__ = f"guards_{t.trigger}"
    return condition


def _after(t: TransitionDef) -> Any:
    def after(event: EventData) -> None:
        ctx = _ctx(event)
        ctx.transition = t
        ctx.mutating = True
        for name in t.effects:
            effect_registry.EFFECTS[name](ctx)
        apply_deadlines(ctx, t)

    after.__name__ = f"after_{t.trigger}"
    return after


def validate_bindings(proc: ProcedureDef) -> None:
    """Every guard, effect and predicate a procedure names must exist in Python."""
    for t in proc.transitions:
        for g in t.guards:
            if g not in guard_registry.GUARDS:
                raise DefinitionError(f"{proc.source_file}：守卫「{g}」没有对应的实现。")
        for e in t.effects:
            if e not in effect_registry.EFFECTS:
                raise DefinitionError(f"{proc.source_file}：效果「{e}」没有对应的实现。")
        if t.when and not predicates.known(t.when):
            raise DefinitionError(f"{proc.source_file}：条件「{t.when}」没有对应的实现。")
        for doc_type in (*(d.doc_type for d in t.documents), *t.serves):
            if doc_type not in DOC_TYPES:
                raise DefinitionError(f"{proc.source_file}：文书类型「{doc_type}」没有对应的模板。")
        for spec in t.documents:
            if spec.when and not predicates.known(spec.when):
                raise DefinitionError(f"{proc.source_file}：条件「{spec.when}」没有对应的实现。")


def build_machine(proc: ProcedureDef) -> Machine:
    validate_bindings(proc)
    machine = Machine(
        model=None, states=list(proc.states), initial=proc.initial, send_event=True,
        auto_transitions=False, ignore_invalid_triggers=False,
    )
    for t in proc.transitions:
        for source in t.sources:
            machine.add_transition(
                t.trigger, source, t.dest,
                conditions=[_branch_condition(t), _guard_condition(t)], after=[_after(t)],
            )
    return machine


_MACHINES: dict[tuple[int, str, int], Machine] = {}


def machine_for(proc: ProcedureDef, library: WorkflowLibrary | None = None) -> Machine:
    """The shared machine of `proc`, built on first use for this library of definitions."""
    library = library or get_library()
    key = (id(library), proc.code, proc.version)
    machine = _MACHINES.get(key)
    if machine is None:
        machine = _MACHINES[key] = build_machine(library.procedure(proc.code, proc.version))
    return machine
