"""Reading workflows/discretion/*.yaml into `Benchmark`s, refusing a malformed file with a Chinese
DefinitionError that names the file and the place (a lawyer edits these files)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from caseflow.config import get_settings
from caseflow.discretion.model import BASE_AMOUNTS, EFFECTS, Benchmark, Entry, Factor, Tier
from caseflow.errors import DefinitionError

__all__ = ["benchmark_for", "load_benchmarks"]

CONDITIONS = frozenset({"factor", "effect", "no_effect", "amount_at_most", "amount_above"})


def _multiples(raw: Any, where: str) -> tuple[Decimal, Decimal]:
    try:
        low, high = (Decimal(str(v)) for v in raw)
    except (TypeError, ValueError, InvalidOperation):
        raise DefinitionError(f"{where}：倍数须为 [下限, 上限]。") from None
    if not Decimal(0) <= low <= high:
        raise DefinitionError(f"{where}：倍数下限须不大于上限。")
    return low, high


def _check_when(when: Any, codes: set[str], where: str) -> None:
    if when is None:
        return
    if not isinstance(when, dict) or len(when) != 1 or next(iter(when)) not in ("all", "any"):
        raise DefinitionError(f"{where}：when 须为 {{all: […]}} 或 {{any: […]}}。")
    for cond in next(iter(when.values())):
        if not isinstance(cond, dict) or len(cond) != 1 or next(iter(cond)) not in CONDITIONS:
            raise DefinitionError(f"{where}：条件须为 {'、'.join(sorted(CONDITIONS))} 之一。")
        key, value = next(iter(cond.items()))
        if key == "factor" and value not in codes:
            raise DefinitionError(f"{where}：情节「{value}」未在 factors 中定义。")
        if key in ("effect", "no_effect") and value not in EFFECTS:
            raise DefinitionError(f"{where}：效果须为 {'、'.join(EFFECTS)}。")


def _load(path: Path) -> Benchmark:
    where = f"workflows/discretion/{path.name}"
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    try:
        factors = tuple(Factor(code=f["code"], name=f["name"], effect=f["effect"], basis=f.get("basis", ""),
                               statutory=bool(f.get("statutory")), verified=bool(f.get("verified", True)))
                        for f in raw.get("factors") or ())
        codes = {f.code for f in factors}
        for f in factors:
            if f.effect not in EFFECTS:
                raise DefinitionError(f"{where}：情节「{f.name}」的效果须为 {'、'.join(EFFECTS)}。")
        entries = []
        for e in raw.get("entries") or ():
            at = f"{where} 第{e['item']}项"
            if e["base"] not in BASE_AMOUNTS:
                raise DefinitionError(f"{at}：base 须为 {'、'.join(BASE_AMOUNTS)}。")
            lawful = _multiples(e["lawful"], at)
            tiers = []
            for t in e["tiers"]:
                _check_when(t.get("when"), codes, f"{at}「{t['tier']}」档")
                multiple = _multiples(t["multiple"], f"{at}「{t['tier']}」档")
                if not (lawful[0] <= multiple[0] and multiple[1] <= lawful[1]):
                    raise DefinitionError(f"{at}「{t['tier']}」档的倍数超出法定幅度。")
                tiers.append(Tier(tier=t["tier"], multiple=multiple, when=t.get("when"), text=t.get("text", ""),
                                  verified=bool(t.get("verified", True))))
            entries.append(Entry(item=int(e["item"]), name=e["name"], bases=tuple(e["bases"]), measure=e["measure"],
                                 base=e["base"], lawful=lawful, tiers=tuple(tiers)))
        return Benchmark(province=raw["province"], title=raw["title"], source=raw.get("source") or "",
                         verified=bool(raw.get("verified")), factors=factors, entries=tuple(entries),
                         file=path.name)
    except (KeyError, TypeError) as exc:
        raise DefinitionError(f"{where} 缺少字段或格式不正确：{exc}") from exc


@lru_cache(maxsize=4)
def _benchmarks_at(root: str) -> dict[str, Benchmark]:
    folder = Path(root) / "discretion"
    out: dict[str, Benchmark] = {}
    for path in sorted(folder.glob("*.yaml")):
        b = _load(path)
        if b.province in out:
            raise DefinitionError(f"workflows/discretion：{b.province}的裁量基准重复定义（{path.name}）。")
        out[b.province] = b
    return out


def load_benchmarks() -> dict[str, Benchmark]:
    """Every province's benchmark, by province (河南省 …)."""
    return _benchmarks_at(str(get_settings().workflows_dir))


def benchmark_for(province: str | None) -> Benchmark | None:
    """The benchmark of `province` ("河南省" or "河南"), if one is defined and has entries."""
    if not province:
        return None
    all_ = load_benchmarks()
    b = all_.get(province) or all_.get(province + "省") or next(
        (v for k, v in all_.items() if k.startswith(province)), None)
    return b if b is not None and b.entries else None
