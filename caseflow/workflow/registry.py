"""Loads workflows/ once per process: procedures by (code, version), each naming the rule set it was
published with (workflows/rules/<set>/: guard specs, deadline rules, the grounds of a 不予行政处罚决定).

A running case keeps its procedure version and so its rules: a changed rule is a new rule set and a
new procedure version naming it (workflows/README.md), never an edit of the files a version names.
`WorkflowLibrary.for_procedure` gives the library as one procedure version sees it; the library
itself answers with the newest rule set, for views that span versions (labels, the calculator).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from caseflow.config import get_settings
from caseflow.errors import DefinitionError, NotFound
from caseflow.workflow.definition import (
    DeadlineRule,
    GuardSpec,
    NoPenaltyGround,
    ProcedureDef,
    load_deadline_rules,
    load_guard_specs,
    load_no_penalty_grounds,
    load_procedure,
)
from caseflow.workflow.inputs import InputDef, load_groups, resolve


@dataclass(frozen=True)
class RuleSet:
    name: str
    guards: dict[str, GuardSpec]
    deadlines: dict[str, DeadlineRule]
    no_penalty_grounds: dict[str, NoPenaltyGround]
    input_groups: dict[str, Any] = field(default_factory=dict)  # inputs.yaml, as written
    _resolved: dict[str, tuple[InputDef, ...]] = field(default_factory=dict, compare=False, repr=False)

    def inputs(self, raw: Any, where: str) -> tuple[InputDef, ...]:
        """A step's `inputs:` (fields and "@group" references to this set's inputs.yaml), resolved."""
        grounds = self.no_penalty_grounds.values()
        vocab = {"no_penalty_grounds": (tuple(g.name for g in grounds), tuple(g.code for g in grounds))}
        return resolve(raw, self.input_groups, where, vocab)

    def input_group(self, name: str) -> tuple[InputDef, ...]:
        """The inputs of one group (e.g. `service` for 再次送达 outside a step)."""
        if name not in self._resolved:
            self._resolved[name] = self.inputs([f"@{name}"], f"rules/{self.name}/inputs.yaml")
        return self._resolved[name]


@dataclass(frozen=True)
class WorkflowLibrary:
    procedures: dict[tuple[str, int], ProcedureDef]
    rule_sets: dict[str, RuleSet]
    rules: RuleSet  # the set this view answers with (newest, or a procedure version's own)
    _views: dict[str, WorkflowLibrary] = field(default_factory=dict, compare=False, repr=False)

    @property
    def guards(self) -> dict[str, GuardSpec]:
        return self.rules.guards

    @property
    def deadlines(self) -> dict[str, DeadlineRule]:
        return self.rules.deadlines

    @property
    def no_penalty_grounds(self) -> dict[str, NoPenaltyGround]:
        return self.rules.no_penalty_grounds

    def procedure(self, code: str, version: int | None = None) -> ProcedureDef:
        if version is None:
            versions = [v for (c, v) in self.procedures if c == code]
            if not versions:
                raise NotFound(f"未找到流程「{code}」。")
            version = max(versions)
        try:
            return self.procedures[(code, version)]
        except KeyError:
            raise NotFound(f"未找到流程「{code}」第{version}版。") from None

    def for_procedure(self, proc: ProcedureDef) -> WorkflowLibrary:
        """The library as `proc` sees it: its own rule set (one shared view per set)."""
        if proc.rules == self.rules.name:
            return self
        view = self._views.get(proc.rules)
        if view is None:
            view = self._views[proc.rules] = replace(self, rules=self.rule_sets[proc.rules], _views=self._views)
        return view


def load_rule_set(root: Path) -> RuleSet:
    guards = load_guard_specs(root / "guards.yaml")
    deadlines = load_deadline_rules(root / "deadlines.yaml")
    for spec in guards.values():
        for d in spec.waits_for:
            if d not in deadlines:
                raise DefinitionError(f"{root.name}/guards.yaml：守卫「{spec.name}」等待的期限「{d}」未在 deadlines.yaml 中定义。")
    rule_set = RuleSet(root.name, guards, deadlines, load_no_penalty_grounds(root / "no_penalty_grounds.yaml"),
                       load_groups(root / "inputs.yaml"))
    for name in rule_set.input_groups:
        rule_set.input_group(name)  # every group resolves (types, references) when the library loads
    return rule_set


def load_library(root: Path) -> WorkflowLibrary:
    rule_sets = {p.name: load_rule_set(p) for p in sorted((root / "rules").iterdir()) if p.is_dir()}
    if not rule_sets:
        raise DefinitionError(f"{root / 'rules'} 中没有规则集。")
    procedures: dict[tuple[str, int], ProcedureDef] = {}
    def inputs(rules: str, raw: Any, where: str) -> tuple[InputDef, ...]:
        if rules not in rule_sets:
            raise DefinitionError(f"{where}：规则集「{rules}」不存在（workflows/rules/）。")
        return rule_sets[rules].inputs(raw, where)

    for path in sorted((root / "procedures").glob("*.yaml")):
        proc = load_procedure(path, inputs)
        if proc.key in procedures:
            raise DefinitionError(f"流程「{proc.code}」第{proc.version}版重复定义（{path.name}）。")
        procedures[proc.key] = proc
    if not procedures:
        raise DefinitionError(f"{root / 'procedures'} 中没有流程定义。")
    for proc in procedures.values():
        rules = rule_sets.get(proc.rules)
        if rules is None:
            raise DefinitionError(f"{proc.source_file}：规则集「{proc.rules}」不存在（workflows/rules/）。")
        for t in proc.transitions:
            for g in t.guards:
                if g not in rules.guards:
                    raise DefinitionError(f"{proc.source_file}：守卫「{g}」未在 rules/{rules.name}/guards.yaml 中定义。")
            for d in (*t.opens, *t.meets, *t.cancels):
                if d != "*" and d not in rules.deadlines:
                    raise DefinitionError(f"{proc.source_file}：期限「{d}」未在 rules/{rules.name}/deadlines.yaml 中定义。")
    newest = rule_sets[max(rule_sets, key=_set_order)]
    return WorkflowLibrary(procedures=procedures, rule_sets=rule_sets, rules=newest)


def _set_order(name: str) -> tuple[int, str]:
    """v1 < v2 < v10."""
    digits = "".join(ch for ch in name if ch.isdigit())
    return (int(digits) if digits else 0, name)


@lru_cache(maxsize=4)
def _library_at(root: str) -> WorkflowLibrary:
    return load_library(Path(root))


def get_library() -> WorkflowLibrary:
    return _library_at(str(get_settings().workflows_dir))
