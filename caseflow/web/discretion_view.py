"""裁量 on the pages (《行政处罚法》第三十四条; 医保发〔2021〕35号): the circumstances the step form offers,
the benchmark's tiers for this case (its amounts, the tier its recorded circumstances lead to, what the
form's script needs to recommend one live), and the 裁量 a proposal recorded, as the 法制审核 card, the
head and the case page show it. The administrator's notes of the benchmark (待核实, its source) stay
off an officer's page: `caseflow discretion check` shows them."""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from caseflow.cases.discretion import discretion_text
from caseflow.cases.lookup import catalog_item
from caseflow.cases.models import Case
from caseflow.discretion.model import EFFECTS, Benchmark, Entry, Tier
from caseflow.discretion.recommend import CENT, recommend

__all__ = ["benchmark_panel", "discretion_view", "factor_groups", "prefill_of", "with_factor_options"]

FACTORS_TYPE = "factors"
REASON_INPUT = "discretion_reason"
HINT = "选择裁量情节后，提交时按裁量基准确定档次"
# An administrator's note inside a text of the benchmark ("河南省裁量基准（待核实）").
_ADMIN_NOTE = re.compile(r"（[^（）]*(?:待核实|未核实|原文未取得)[^（）]*）")


def public_text(text: str | None) -> str:
    return _ADMIN_NOTE.sub("", text or "")


def _n(value: Decimal | str) -> str:
    """2 → "2", 2.50 → "2.5"."""
    return f"{Decimal(str(value)).normalize():f}"


def factor_groups(benchmark: Benchmark) -> list[dict[str, Any]]:
    """The circumstances as the form's select groups them: the law's (第三十二条), then the province's."""
    groups = [
        ("法定从轻或者减轻（《行政处罚法》第三十二条）", lambda f: f.statutory and f.effect == "lighter"),
        ("从轻", lambda f: not f.statutory and f.effect == "lighter"),
        ("从重", lambda f: f.effect == "heavier"),
    ]
    out = []
    for label, test in groups:
        options = [{"code": f.code, "name": f.name, "basis": public_text(f.basis)} for f in benchmark.factors if test(f)]
        if options:
            out.append({"label": label, "options": options})
    return out


def _entries_of(case: Case, benchmark: Benchmark) -> list[Entry]:
    """The benchmark's entries for the measures the case's item allows and the penalties it records."""
    pairs: list[tuple[str, str]] = []
    item = catalog_item(case)
    if item is not None:
        pairs += [(o.kind, b.citation) for b in item.bases for o in b.own_options]
    pairs += [(p.kind, p.basis) for p in case.penalties]
    seen: dict[int, Entry] = {}
    for kind, basis in pairs:
        entry = benchmark.entry_for(kind, basis)
        if entry is not None:
            seen.setdefault(entry.item, entry)
    return [seen[k] for k in sorted(seen)]


def _condition(cond: dict[str, Any]) -> dict[str, Any]:
    """A tier's condition as the form's script evaluates it (the amounts compared there too: the
    step may record another amount)."""
    key, value = next(iter(cond.items()))
    return {key: str(value) if key.startswith("amount") else value}


def _tier_rows(entry: Entry, base: Decimal | None, chosen: Tier | None) -> list[dict[str, Any]]:
    """The tiers by their multiples (lightest first); tiers of one name and range — reached by
    different conditions — in one row."""
    rows: list[dict[str, Any]] = []
    for index, t in sorted(enumerate(entry.tiers), key=lambda it: (it[1].multiple, it[0])):
        row = next((r for r in rows if r["tier"] == t.tier and r["multiple"] == t.multiple), None)
        if row is None:
            lo, hi = t.multiple
            row = {"tier": t.tier, "multiple": t.multiple, "multiples": f"{_n(lo)}至{_n(hi)}倍", "texts": [],
                   "low": (base * lo).quantize(CENT, rounding=ROUND_HALF_UP) if base else None,
                   "high": (base * hi).quantize(CENT, rounding=ROUND_HALF_UP) if base else None,
                   "recommended": False, "indexes": []}
            rows.append(row)
        if t.text and t.text not in row["texts"]:
            row["texts"].append(t.text)
        row["indexes"].append(index)
        row["recommended"] = row["recommended"] or t is chosen
    return rows


def benchmark_panel(case: Case, benchmark: Benchmark | None) -> dict[str, Any] | None:
    """The benchmark's tiers for this case's penalties, with amounts of this case's base amount and
    「推荐」 on the tier its recorded circumstances lead to (after 调查终结)."""
    if benchmark is None:
        return None
    record = case.discretion if isinstance(case.discretion, dict) else None
    found = [f for f in (benchmark.factor_named(r.get("code", "")) for r in (record or {}).get("factors") or ()) if f]
    entries = []
    for entry in _entries_of(case, benchmark):
        base = getattr(case, entry.base, None)
        rec = recommend(benchmark, entry, base, found) if record is not None and base else None
        entries.append({
            "item": entry.item, "name": entry.name, "base_name": entry.base_name, "base": base,
            "rows": _tier_rows(entry, base, rec.tier if rec else None), "recommended": rec is not None,
        })
    if not entries:
        return None
    return {"title": benchmark.title, "citation": benchmark.citation, "entries": entries, "hint": HINT}


def _script_data(case: Case, benchmark: Benchmark) -> str:
    """What static/discretion.js needs to recommend a tier as the officer ticks circumstances."""
    entries = []
    for entry in _entries_of(case, benchmark):
        base = getattr(case, entry.base, None)
        entries.append({
            "item": entry.item, "name": entry.name, "bases": list(entry.bases), "measure": entry.measure,
            "base_field": entry.base, "base_name": entry.base_name, "base": str(base) if base else "",
            "tiers": [{"tier": t.tier, "lo": _n(t.multiple[0]), "hi": _n(t.multiple[1]),
                       "when": None if t.when is None else {
                           mode: [_condition(c) for c in conds] for mode, conds in t.when.items()}}
                      for t in entry.tiers],
        })
    return json.dumps({"effects": {f.code: f.effect for f in benchmark.factors}, "entries": entries},
                      ensure_ascii=False, separators=(",", ":"))


def with_factor_options(actions: list[dict[str, Any]], case: Case, benchmark: Benchmark | None) -> None:
    """A `factors` input offers the benchmark's circumstances (none without one: the guard refuses
    any), with the data of the live recommendation."""
    for a in actions:
        if not any(i["type"] == FACTORS_TYPE for i in a["inputs"]):
            continue
        extra: dict[str, Any] = {"groups": [], "benchmark": None, "script": "", "covered": False}
        if benchmark is not None:
            extra = {"groups": factor_groups(benchmark), "benchmark": benchmark.title,
                     "script": _script_data(case, benchmark), "covered": bool(_entries_of(case, benchmark))}
        a["inputs"] = [dict(i, **extra) if i["type"] == FACTORS_TYPE else i for i in a["inputs"]]


def prefill_of(case: Case, actions: list[dict[str, Any]]) -> dict[str, str]:
    """A proposal asked again (变更拟处罚意见, 调查终结 after 补充调查) starts from the 裁量 recorded."""
    record = case.discretion if isinstance(case.discretion, dict) else None
    if not record or not any(i["type"] == FACTORS_TYPE for a in actions for i in a["inputs"]):
        return {}
    out = {}
    for i, f in enumerate(record.get("factors") or ()):
        out[f"factors[{i}].factor"] = f.get("code", "")
        out[f"factors[{i}].evidence"] = f.get("evidence", "")
    if record.get("reason"):
        out[REASON_INPUT] = record["reason"]
    return out


def _money(text: Any) -> Decimal | None:
    try:
        return Decimal(str(text))
    except (InvalidOperation, ValueError):
        return None


def discretion_view(record: dict[str, Any] | None) -> dict[str, Any] | None:
    """The 裁量 a proposal recorded, for people: each 罚款 beside its tier and range, the
    circumstances with their evidence, the 裁量说明, and the sentence the documents print."""
    if not isinstance(record, dict):
        return None
    penalties = []
    for p in record.get("penalties") or ():
        lo, hi = (p.get("multiples") or ("0", "0"))[:2]
        penalties.append({
            "kind": p.get("kind"), "amount": _money(p.get("amount")), "multiple": _n(p.get("multiple", "0")),
            "item": p.get("item"), "tier": p.get("tier"), "multiples": f"{_n(lo)}至{_n(hi)}倍",
            "base_name": p.get("base_name"), "base": _money(p.get("base")),
            "low": _money(p.get("low")), "high": _money(p.get("high")), "within": bool(p.get("within")),
        })
    factors = [{"name": f.get("name"), "effect": EFFECTS.get(f.get("effect", ""), ""),
                "basis": public_text(f.get("basis")), "evidence": f.get("evidence")}
               for f in record.get("factors") or ()]
    if not penalties and not factors and not record.get("reason"):
        return None  # no entry of the benchmark covered the proposal, nothing weighed: nothing to show
    return {"benchmark": record.get("benchmark") if penalties else None, "penalties": penalties, "factors": factors,
            "reason": record.get("reason"), "text": discretion_text(record),
            "outside": any(not p["within"] for p in penalties)}
