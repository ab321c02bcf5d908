"""Typed, validated in-memory form of the files in workflows/ (procedures, guards, deadlines).

Loading expands the shorthands a lawyer writes: `from: "@suspendable"` becomes the procedure's list
of suspendable states, and `to: "@previous"` becomes one branch per state a case can be suspended
from, selected by the state recorded at 中止.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from caseflow.errors import DefinitionError
from caseflow.legal_time import PeriodUnit
from caseflow.workflow.inputs import InputDef, Resolver, no_inputs

PREVIOUS = "@previous"
SUSPENDABLE = "@suspendable"
SAME = "@same"  # a step that leaves the case in the state it was taken from
ALL_DEADLINES = "*"
AGENCY, PARTY = "agency", "party"
HOLDER_LABELS = {AGENCY: "本机关期限", PARTY: "当事人期限"}


@dataclass(frozen=True)
class StateDef:
    code: str
    name: str
    final: bool = False


@dataclass(frozen=True)
class DocumentSpec:
    """A document a step issues: its type (caseflow.documents.types) and, optionally, the
    predicate that must hold for it (e.g. the 听证告知书 only where a hearing may be asked for)."""

    doc_type: str
    when: str | None = None


@dataclass(frozen=True)
class TransitionDef:
    trigger: str
    name: str
    sources: tuple[str, ...]
    dest: str
    post: str
    section: str | None
    guards: tuple[str, ...] = ()
    when: str | None = None
    requires_opinion: bool = False
    effects: tuple[str, ...] = ()
    opens: tuple[str, ...] = ()
    meets: tuple[str, ...] = ()
    cancels: tuple[str, ...] = ()
    extends: str | None = None  # the running limit this step extends (on approval)
    documents: tuple[DocumentSpec, ...] = ()  # documents the step issues (文书), in order
    serves: tuple[str, ...] = ()  # document types the step serves (送达): the latest issued of them
    basis: str = ""
    inputs: tuple[InputDef, ...] = ()  # what the actor enters with the step (workflows/ `inputs:`)
    refusal: bool = False  # refuses, sends back or ends the matter (drawn apart from approvals)
    optional: bool = False  # a power used when the case needs it (延长, 中止, 移送 …), not the next step

    @property
    def required_post_label(self) -> str:
        return f"{self.section}·{self.post}" if self.section else self.post


@dataclass(frozen=True)
class GuardSpec:
    name: str
    code: str
    message: str
    basis: str
    input: bool = False
    waits_for: tuple[str, ...] = ()  # the limits (deadlines.yaml) the guard waits for or reads


@dataclass(frozen=True)
class DeadlineRule:
    code: str
    name: str
    length: int
    unit: PeriodUnit
    start: str
    basis: str
    applies_if: str | None = None
    starts_at: str | None = None
    holder: str = "agency"  # whose limit: "agency" (overdue when missed) or "party" (a window that closes)
    outlives_case: bool = False
    configurable: bool = False
    note: str = ""
    starts_after: str | None = None  # runs from the end of another limit of the case (e.g. suit_window)
    extension_length: int | None = None  # how far one approved extension reaches
    extension_unit: PeriodUnit | None = None
    extension_times: int = 0  # how many extensions may be approved

    @property
    def expiry_is_breach(self) -> bool:
        """Only the agency's own limits can be missed; the party's windows simply close."""
        return self.holder == AGENCY

    @property
    def holder_label(self) -> str:
        return HOLDER_LABELS[self.holder]


@dataclass(frozen=True)
class NoPenaltyGround:
    """A situation in which the law says no penalty is given (workflows/rules/<set>/no_penalty_grounds.yaml)."""

    code: str
    name: str
    basis: str
    education: bool = False  # 第三十三条第三款: the agency must educate the party
    first_offence: bool = False  # 初次违法: no earlier penalty of this agency


def find_ground(grounds: dict[str, NoPenaltyGround], raw: Any) -> NoPenaltyGround | None:
    """A ground by its code (API, CLI) or its Chinese name (the form's choice)."""
    key = str(raw or "").strip()
    return grounds.get(key) or next((g for g in grounds.values() if g.name == key), None)


def load_no_penalty_grounds(path: Path) -> dict[str, NoPenaltyGround]:
    if not path.exists():
        return {}
    raw = _read_yaml(path) or {}
    out: dict[str, NoPenaltyGround] = {}
    for code, body in raw.items():
        try:
            out[code] = NoPenaltyGround(code=code, name=body["name"], basis=body["basis"],
                                        education=bool(body.get("education")),
                                        first_offence=bool(body.get("first_offence")))
        except (KeyError, TypeError) as exc:
            raise DefinitionError(f"{path.name} 中的情形「{code}」缺少字段：{exc}") from exc
    return out


@dataclass
class ProcedureDef:
    code: str
    version: int
    kind: str
    name: str
    basis: str
    initial: str
    states: dict[str, StateDef]
    transitions: list[TransitionDef]
    suspendable: tuple[str, ...] = ()
    source_file: str = ""
    opens_on_register: tuple[str, ...] = ()  # limits that start when the case is registered
    rules: str = ""  # the rule set (workflows/rules/<rules>/) the version was published with
    evidence_states: tuple[str, ...] = ()  # states in which 证据材料 may be added or withdrawn
    _by_source: dict[tuple[str, str], list[TransitionDef]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for t in self.transitions:
            for s in t.sources:
                self._by_source.setdefault((t.trigger, s), []).append(t)

    @property
    def key(self) -> tuple[str, int]:
        return (self.code, self.version)

    def state_name(self, code: str | None) -> str:
        if code is None:
            return "（新建）"
        state = self.states.get(code)
        return state.name if state else code

    def candidates(self, trigger: str, state: str) -> list[TransitionDef]:
        """The branches of `trigger` that may leave `state`, in file order."""
        return self._by_source.get((trigger, state), [])

    def triggers_from(self, state: str) -> list[str]:
        seen: dict[str, None] = {}
        for t in self.transitions:
            if state in t.sources:
                seen.setdefault(t.trigger, None)
        return list(seen)

    def awaited(self, state: str) -> list[TransitionDef]:
        """The steps a case in `state` waits for: those leaving it that are neither an optional power
        nor a refusal (whoever holds their posts is who must act next)."""
        return [t for t in self.transitions if state in t.sources and not t.optional and not t.refusal]

    @property
    def returns(self) -> set[str]:
        """Steps that send a case back: a refusal whose destination is not final (退回)."""
        return {t.trigger for t in self.transitions if t.refusal and not self.states[t.dest].final}

    def inputs_of(self, trigger: str) -> tuple[InputDef, ...]:
        """The inputs a step declares (the same for each of its branches, checked at load)."""
        return next((t.inputs for t in self.transitions if t.trigger == trigger), ())

    def trigger_name(self, trigger: str) -> str:
        for t in self.transitions:
            if t.trigger == trigger:
                return t.name
        return trigger


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DefinitionError(f"无法读取流程定义文件 {path.name}：{exc}") from exc


def load_guard_specs(path: Path) -> dict[str, GuardSpec]:
    raw = _read_yaml(path) or {}
    specs: dict[str, GuardSpec] = {}
    for name, body in raw.items():
        try:
            specs[name] = GuardSpec(
                name=name, code=body["code"], message=body["message"], basis=body["basis"],
                input=bool(body.get("input", False)),
                waits_for=_codes(body.get("waits_for")),
            )
        except (KeyError, TypeError) as exc:
            raise DefinitionError(f"{path.name} 中的守卫「{name}」缺少字段：{exc}") from exc
    return specs


def _codes(raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    return (str(raw),) if isinstance(raw, str) else tuple(str(c) for c in raw)


def load_deadline_rules(path: Path) -> dict[str, DeadlineRule]:
    raw = _read_yaml(path) or {}
    rules: dict[str, DeadlineRule] = {}
    for code, body in raw.items():
        try:
            rules[code] = DeadlineRule(
                code=code, name=body["name"], length=int(body["length"]),
                unit=PeriodUnit(body["unit"]), start=body["from"], basis=body["basis"],
                applies_if=body.get("applies_if"), starts_at=body.get("starts_at"),
                holder=_holder(body.get("holder")),
                outlives_case=bool(body.get("outlives_case", False)),
                configurable=bool(body.get("configurable")),
                note=body.get("note", ""),
                starts_after=body.get("starts_after"),
                **_extension(body.get("extension")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise DefinitionError(f"{path.name} 中的期限「{code}」定义有误：{exc}") from exc
    return rules


def _holder(raw: Any) -> str:
    if raw not in HOLDER_LABELS:
        raise ValueError(f"holder 须为 agency（本机关期限）或 party（当事人期限），而不是 {raw!r}")
    return str(raw)


def _extension(raw: Any) -> dict[str, Any]:
    if not raw:
        return {}
    return {"extension_length": int(raw["length"]), "extension_unit": PeriodUnit(raw["unit"]),
            "extension_times": int(raw.get("times", 1))}


def _document_spec(raw: Any) -> DocumentSpec:
    """`penalty_decision` or `{type: hearing_rights_notice, when: hearing_entitled}`."""
    if isinstance(raw, str):
        return DocumentSpec(raw)
    return DocumentSpec(raw["type"], raw.get("when"))


def load_procedure(path: Path, resolve_inputs: Resolver = no_inputs) -> ProcedureDef:
    """A procedure file; `resolve_inputs(rule_set, raw, where)` expands its steps' `inputs:`."""
    raw = _read_yaml(path)
    where = path.name
    try:
        states = {s["code"]: StateDef(s["code"], s["name"], bool(s.get("final"))) for s in raw["states"]}
        suspendable = _as_tuple(raw.get("suspendable"))
        transitions: list[TransitionDef] = []
        for t in raw["transitions"]:
            sources: list[str] = []
            for s in _as_tuple(t["from"]):
                sources.extend(suspendable if s == SUSPENDABLE else (s,))
            common = dict(
                trigger=t["trigger"], name=t["name"], post=t["post"], section=t.get("section"),
                guards=_as_tuple(t.get("guards")), requires_opinion=bool(t.get("requires_opinion")),
                effects=_as_tuple(t.get("effects")), opens=_as_tuple(t.get("opens")),
                meets=_as_tuple(t.get("meets")), cancels=_as_tuple(t.get("cancels")),
                extends=t.get("extends"), basis=t.get("basis", ""),
                documents=tuple(_document_spec(d) for d in (t.get("documents") or ())),
                serves=_as_tuple(t.get("serves")),
                inputs=resolve_inputs(str(raw["rules"]), t.get("inputs"), f"{where}「{t['trigger']}」"),
                refusal=bool(t.get("refusal")), optional=bool(t.get("optional")),
            )
            if t["to"] == PREVIOUS:
                # 恢复: one branch per state the case may have been suspended from.
                for prev in suspendable:
                    transitions.append(TransitionDef(
                        sources=tuple(sources), dest=prev, when=f"previous_state:{prev}", **common
                    ))
            elif t["to"] == SAME:
                # A step that records something and leaves the case where it is, from each source.
                transitions.extend(TransitionDef(sources=(src,), dest=src, when=t.get("when"), **common)
                                   for src in sources)
            else:
                transitions.append(TransitionDef(
                    sources=tuple(sources), dest=t["to"], when=t.get("when"), **common
                ))
        proc = ProcedureDef(
            code=raw["code"], version=int(raw["version"]), kind=raw["kind"], name=raw["name"],
            basis=raw.get("basis", ""), initial=raw["initial"], states=states,
            transitions=transitions, suspendable=suspendable, source_file=where,
            opens_on_register=_as_tuple((raw.get("on_register") or {}).get("opens")),
            rules=str(raw["rules"]), evidence_states=_as_tuple(raw.get("collects_evidence_in")),
        )
        for code in proc.evidence_states:
            if code not in states:
                raise DefinitionError(f"{where}：collects_evidence_in 中的状态「{code}」未定义。")
    except (KeyError, TypeError) as exc:
        raise DefinitionError(f"流程定义文件 {where} 缺少字段：{exc}") from exc
    _check_states(proc)
    return proc


def _check_states(proc: ProcedureDef) -> None:
    where = proc.source_file
    if proc.initial not in proc.states:
        raise DefinitionError(f"{where}：初始状态「{proc.initial}」未定义。")
    for s in proc.suspendable:
        if s not in proc.states:
            raise DefinitionError(f"{where}：可中止状态「{s}」未定义。")
    for t in proc.transitions:
        for s in (*t.sources, t.dest):
            if s not in proc.states:
                raise DefinitionError(f"{where}：步骤「{t.trigger}」引用了未定义的状态「{s}」。")
        for s in t.sources:
            if proc.states[s].final:
                raise DefinitionError(f"{where}：步骤「{t.trigger}」从终止状态「{s}」出发。")
    for t in proc.transitions:
        if t.inputs != proc.inputs_of(t.trigger):
            raise DefinitionError(f"{where}：步骤「{t.trigger}」的各分支须声明相同的输入项。")
    for (trigger, state), branches in proc._by_source.items():
        if len(branches) > 1 and any(b.when is None for b in branches):
            raise DefinitionError(
                f"{where}：步骤「{trigger}」在状态「{state}」有多个分支，每个分支都须写明 when。"
            )
