"""The inputs a step declares (workflows/procedures `inputs:`, groups in workflows/rules/<set>/inputs.yaml):
their typed, validated in-memory form. `caseflow.workflow.input_values` turns a payload into values
from them; the web draws the step's form from them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from caseflow.errors import DefinitionError

TYPES = frozenset({
    "text", "long_text", "date", "datetime", "money", "integer", "flag", "choice", "names",
    "penalties", "items", "qa", "evidence_refs", "factors", "arguments", "details",
})
TEXT_LIMITS = {"text": 200, "long_text": 20000}
GROUP = "@"

# Vocabularies a choice may take from the rule set instead of listing them (`choices_from:`):
# name → (the words shown, other words accepted, e.g. codes an API client sends).
Vocabularies = Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]


@dataclass(frozen=True)
class InputDef:
    name: str
    label: str
    type: str
    required: bool = False
    hint: str = ""
    choices: tuple[str, ...] = ()  # choice: the words offered
    accept: tuple[str, ...] = ()  # choice: other words taken as given (codes, short forms)
    max_length: int | None = None  # text, long_text
    min: int | None = None  # integer
    max: int | None = None
    from_case: str | None = None  # the case attribute the form starts from, and that satisfies `required`
    default: Any = None  # what the form starts with
    fixed: bool = False  # shown as recorded; changed only by the step that owns it
    answers: bool = True  # arguments: the rows carry the agency's answer (false: the party's words only)

    @property
    def limit(self) -> int:
        return self.max_length or TEXT_LIMITS.get(self.type, 200)


_KEYS = frozenset(InputDef.__dataclass_fields__) | {"choices_from"}


def _field(raw: Mapping[str, Any], where: str, vocab: Vocabularies) -> InputDef:
    unknown = set(raw) - _KEYS
    if unknown:
        raise DefinitionError(f"{where}：输入项「{raw.get('name')}」含未知属性：{'、'.join(sorted(unknown))}。")
    try:
        kind = str(raw["type"])
        if kind not in TYPES:
            raise DefinitionError(f"{where}：输入项「{raw['name']}」的类型「{kind}」不存在。")
        choices, accept = tuple(map(str, raw.get("choices") or ())), tuple(map(str, raw.get("accept") or ()))
        if raw.get("choices_from"):
            if raw["choices_from"] not in vocab:
                raise DefinitionError(f"{where}：输入项「{raw['name']}」的选项来源「{raw['choices_from']}」不存在。")
            shown, other = vocab[raw["choices_from"]]
            choices, accept = choices + shown, accept + other
        if kind == "choice" and not choices:
            raise DefinitionError(f"{where}：选择项「{raw['name']}」没有选项。")
        return InputDef(
            name=str(raw["name"]), label=str(raw["label"]), type=kind, required=bool(raw.get("required")),
            hint=str(raw.get("hint") or ""), choices=choices, accept=accept,
            max_length=_int(raw.get("max_length")), min=_int(raw.get("min")), max=_int(raw.get("max")),
            from_case=raw.get("from_case"), default=raw.get("default"), fixed=bool(raw.get("fixed")),
            answers=bool(raw.get("answers", True)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DefinitionError(f"{where}：输入项定义有误：{exc}") from exc


def _int(raw: Any) -> int | None:
    return None if raw is None else int(raw)


def resolve(raw: Any, groups: Mapping[str, Any], where: str, vocab: Vocabularies,
            _seen: tuple[str, ...] = ()) -> tuple[InputDef, ...]:
    """A step's `inputs:` list (fields and "@group" references) as its declared inputs, in order."""
    out: list[InputDef] = []
    for entry in raw or ():
        if isinstance(entry, str) and entry.startswith(GROUP):
            name = entry[len(GROUP):]
            if name not in groups:
                raise DefinitionError(f"{where}：输入组「{name}」未定义（workflows/rules/<规则集>/inputs.yaml）。")
            if name in _seen:
                raise DefinitionError(f"{where}：输入组「{name}」循环引用。")
            out.extend(resolve(groups[name], groups, where, vocab, (*_seen, name)))
        elif isinstance(entry, Mapping):
            out.append(_field(entry, where, vocab))
        else:
            raise DefinitionError(f"{where}：输入项须为字段定义或「@组名」，而不是 {entry!r}。")
    names = [i.name for i in out]
    if len(names) != len(set(names)):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise DefinitionError(f"{where}：输入项重复：{'、'.join(dup)}。")
    return tuple(out)


def load_groups(path: Path) -> dict[str, Any]:
    """The raw groups of a rule set's inputs.yaml (resolved where a step names them)."""
    if not path.exists():
        return {}
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise DefinitionError(f"无法读取 {path.name}：{exc}") from exc
    if not isinstance(raw, dict) or not all(isinstance(v, list) for v in raw.values()):
        raise DefinitionError(f"{path.name}：每个输入组须为输入项列表。")
    return raw


Resolver = Callable[[str, Any, str], tuple[InputDef, ...]]


def no_inputs(rules: str, raw: Any, where: str) -> tuple[InputDef, ...]:
    """A resolver for procedures loaded on their own (no rule set at hand): fields only, no groups."""
    return resolve(raw, {}, where, {})
