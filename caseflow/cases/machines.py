"""One shared `transitions.Machine` per procedure definition and version, serving every case.

The machine holds no model: a step moves the case row, whose `state` column is the machine's state.
Each branch of the procedure (a TransitionDef) is its own machine event (`event_name`), so the
branch the service chose — once, with `choose_branch` — is the one taken; the machine checks only
that the case is in one of the branch's source states. Guards, effects and deadlines are the
service's steps around it (caseflow/cases/service.py: `fire`). A Machine per case per request would
cost ~60 KB and milliseconds each; this costs one per procedure version for the whole process.
"""

from __future__ import annotations

from typing import Any

from transitions import Machine

from caseflow.cases import effects as effect_registry
from caseflow.cases import guards as guard_registry
from caseflow.cases import predicates
from caseflow.cases.context import StepContext
from caseflow.documents.types import DOC_TYPES
from caseflow.errors import DefinitionError
from caseflow.workflow.definition import ProcedureDef, TransitionDef
from caseflow.workflow.registry import WorkflowLibrary, get_library


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


def event_name(proc: ProcedureDef, t: TransitionDef) -> str:
    """The machine event of one branch: its trigger and its place in the procedure."""
    return f"{t.trigger}#{proc.transitions.index(t)}"


def build_machine(proc: ProcedureDef) -> Machine:
    validate_bindings(proc)
    machine = Machine(
        model=None, states=list(proc.states), initial=proc.initial,
        auto_transitions=False, ignore_invalid_triggers=False,
    )
    for t in proc.transitions:
        machine.add_transition(event_name(proc, t), list(t.sources), t.dest)
    return machine


def choose_branch(proc: ProcedureDef, trigger: str, ctx: StepContext) -> TransitionDef | None:
    """The branch of `trigger` that applies from the case's state (its `when`), or None."""
    return next((t for t in proc.candidates(trigger, ctx.case.state)
                 if t.when is None or predicates.evaluate(t.when, ctx)), None)


def move(machine: Machine, proc: ProcedureDef, t: TransitionDef, case: Any) -> None:
    """Change the case's state along branch `t` through the shared machine."""
    machine.events[event_name(proc, t)].trigger(case)


_MACHINES: dict[tuple[int, str, int], Machine] = {}


def machine_for(proc: ProcedureDef, library: WorkflowLibrary | None = None) -> Machine:
    """The shared machine of `proc`, built on first use for this library of definitions."""
    library = library or get_library()
    key = (id(library), proc.code, proc.version)
    machine = _MACHINES.get(key)
    if machine is None:
        machine = _MACHINES[key] = build_machine(library.procedure(proc.code, proc.version))
    return machine
