"""Loads workflows/ once per process: procedures by (code, version), guard specs, deadline rules,
the grounds of a 不予行政处罚决定."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

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


@dataclass(frozen=True)
class WorkflowLibrary:
    procedures: dict[tuple[str, int], ProcedureDef]
    guards: dict[str, GuardSpec]
    deadlines: dict[str, DeadlineRule]
    no_penalty_grounds: dict[str, NoPenaltyGround] = field(default_factory=dict)

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


def load_library(root: Path) -> WorkflowLibrary:
    procedures: dict[tuple[str, int], ProcedureDef] = {}
    for path in sorted((root / "procedures").glob("*.yaml")):
        proc = load_procedure(path)
        if proc.key in procedures:
            raise DefinitionError(f"流程「{proc.code}」第{proc.version}版重复定义（{path.name}）。")
        procedures[proc.key] = proc
    if not procedures:
        raise DefinitionError(f"{root / 'procedures'} 中没有流程定义。")
    guards = load_guard_specs(root / "guards.yaml")
    deadlines = load_deadline_rules(root / "deadlines.yaml")
    for spec in guards.values():
        for d in spec.waits_for:
            if d not in deadlines:
                raise DefinitionError(f"guards.yaml：守卫「{spec.name}」等待的期限「{d}」未在 deadlines.yaml 中定义。")
    for proc in procedures.values():
        for t in proc.transitions:
            for g in t.guards:
                if g not in guards:
                    raise DefinitionError(f"{proc.source_file}：守卫「{g}」未在 guards.yaml 中定义。")
            for d in (*t.opens, *t.meets, *t.cancels):
                if d != "*" and d not in deadlines:
                    raise DefinitionError(f"{proc.source_file}：期限「{d}」未在 deadlines.yaml 中定义。")
    return WorkflowLibrary(procedures=procedures, guards=guards, deadlines=deadlines,
                           no_penalty_grounds=load_no_penalty_grounds(root / "no_penalty_grounds.yaml"))


@lru_cache(maxsize=4)
def _library_at(root: str) -> WorkflowLibrary:
    return load_library(Path(root))


def get_library() -> WorkflowLibrary:
    return _library_at(str(get_settings().workflows_dir))
