"""裁量 of a case's proposal: the benchmark its agency applies (workflows/discretion/, by the agency's
setting or its province), the circumstances found (each with its evidence), the tier they lead to and
the range it recommends for each 罚款 an entry covers; and the 裁量 as the case records it (written at
调查终结 and 变更拟处罚意见) for the documents and the people who review it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from caseflow.cases.models import Case
from caseflow.cases.penalties import Penalty
from caseflow.cases.violations import amounts_for
from caseflow.discretion.files import benchmark_for
from caseflow.discretion.model import Benchmark, Factor
from caseflow.discretion.recommend import Recommendation, recommend
from caseflow.org.settings import agency_row, read_settings

__all__ = ["Judged", "benchmark_of", "discretion_text", "found_factors", "judge", "mitigation_ground",
           "record_of", "step_factors"]


def benchmark_of(db_session: Session, case: Case) -> Benchmark | None:
    """The benchmark the case's agency applies: its setting's province, else its own province."""
    raw, province = agency_row(db_session, case.agency_id)
    return benchmark_for(read_settings(raw).discretion.province or province)


def step_factors(case: Case, payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The circumstances of this proposal: those the step gives, else those recorded with the last one
    (变更拟处罚意见 after 陈述、申辩 keeps what 调查终结 found unless it says otherwise)."""
    if "factors" in payload:
        return list(payload["factors"] or ())
    recorded = (case.discretion or {}).get("factors") or ()
    return [{"factor": f["code"], "evidence": f["evidence"]} for f in recorded]


def found_factors(benchmark: Benchmark | None, rows: list[dict[str, Any]] | None) -> tuple[list[tuple[Factor, str]], list[str]]:
    """The circumstances ticked, with their evidence, as the benchmark names them; and the unknown ones."""
    known, unknown = [], []
    for row in rows or ():
        factor = benchmark.factor_named(row["factor"]) if benchmark else None
        if factor is None:
            unknown.append(row["factor"])
        else:
            known.append((factor, row["evidence"]))
    return known, unknown


def mitigation_ground(db_session: Session, case: Case, payload: dict[str, Any]) -> bool:
    """减轻处罚 may go below the lawful minimum: on a circumstance of 《行政处罚法》第三十二条 found with
    its evidence, and with the 裁量说明 that says why (the head then approves it, in 集体讨论 where the
    agency's setting says so)."""
    if not (payload.get("discretion_reason") or "").strip():
        return False
    factors, _ = found_factors(benchmark_of(db_session, case), step_factors(case, payload))
    return any(f.statutory and f.effect == "lighter" for f, _ in factors)


@dataclass(frozen=True)
class Judged:
    penalty: Penalty
    recommendation: Recommendation

    @property
    def within(self) -> bool:
        return self.penalty.amount is not None and self.recommendation.contains(self.penalty.amount)


def judge(case: Case, payload: dict[str, Any], benchmark: Benchmark | None, penalties: list[Penalty],
          factors: list[Factor]) -> list[Judged]:
    """Each proposed penalty an entry of the benchmark covers, with the tier recommended for it. The
    base amount is the one the case records — or this very step records — never one sent with it."""
    if benchmark is None:
        return []
    out = []
    for p in penalties:
        entry = benchmark.entry_for(p.kind, p.basis)
        if entry is None or p.amount is None:
            continue
        amounts = amounts_for(case, payload, p.violation)  # the base is its own violation's amount
        rec = recommend(benchmark, entry, Decimal(amounts.get(entry.base) or 0), factors)
        if rec is not None:
            out.append(Judged(p, rec))
    return out


def record_of(benchmark: Benchmark | None, judged: list[Judged], factors: list[tuple[Factor, str]],
              reason: str | None, mitigated: bool = False) -> dict[str, Any] | None:
    """What the case keeps of its 裁量 (JSON: read by the documents, the review card, the 监督看板)."""
    if benchmark is None and not factors and not reason:
        return None
    return {
        "benchmark": benchmark.title if benchmark else None,
        "verified": benchmark.verified if benchmark else None,
        "factors": [{"code": f.code, "name": f.name, "effect": f.effect, "basis": f.basis, "evidence": ev}
                    for f, ev in factors],
        "penalties": [{
            "kind": j.penalty.kind, "basis": j.penalty.basis, "amount": str(j.penalty.amount),
            "violation": j.penalty.violation,
            "item": j.recommendation.entry.item, "tier": j.recommendation.tier.tier,
            "multiples": [str(m) for m in j.recommendation.tier.multiple],
            "base_name": j.recommendation.entry.base_name, "base": str(j.recommendation.base_amount),
            "low": str(j.recommendation.low), "high": str(j.recommendation.high),
            "multiple": str(j.recommendation.multiple_of(j.penalty.amount)), "within": j.within,
            "text": j.recommendation.describe(),
        } for j in judged],
        "reason": reason,
        "mitigated": mitigated,  # 减轻处罚: below the lawful minimum (第三十二条)
    }


_VERBS = {"从轻": "予以从轻处罚", "从重": "予以从重处罚", "一般": "按一般情形处罚"}


def _n(text: str) -> str:
    return f"{Decimal(text).normalize():f}"


def discretion_text(record: dict[str, Any] | None) -> str | None:
    """The 裁量 as the 告知书, 决定书 and 法制审核意见书 state it: the circumstances weighed, the
    benchmark's 条目 and tier, and — where the proposal leaves the tier — the 裁量说明."""
    if not record:
        return None
    names = "、".join(f["name"] for f in record.get("factors") or ())
    considered = f"综合考虑当事人{names}等情节" if names else "综合考虑违法行为的事实、性质、情节以及社会危害程度"
    parts = []
    for p in record.get("penalties") or ():
        lo, hi = (_n(m) for m in p["multiples"])
        where = f"依据{'《' + record['benchmark'] + '》' if record.get('benchmark') else '裁量基准'}第{p['item']}项"
        if record.get("mitigated") and Decimal(p["multiple"]) < Decimal(p["multiples"][0]):
            parts.append(f"依据《中华人民共和国行政处罚法》第三十二条的规定，依法减轻处罚，{p['kind']}为{p['base_name']}的"
                         f"{_n(p['multiple'])}倍，理由是：{(record.get('reason') or '').rstrip('。')}")
        elif p["within"]:
            parts.append(f"{where}，{_VERBS.get(p['tier'], '按「' + p['tier'] + '」档处罚')}"
                         f"（{p['base_name']}的{lo}至{hi}倍）")
        else:
            parts.append(f"{where}「{p['tier']}」档为{p['base_name']}的{lo}至{hi}倍，本案{p['kind']}为{_n(p['multiple'])}倍，"
                         f"理由是：{(record.get('reason') or '').rstrip('。')}")
    parts = list(dict.fromkeys(parts))  # several violations on one 条目 and tier: said once
    if not parts:
        return f"{considered}。" + (f"裁量说明：{record['reason'].rstrip('。')}。" if record.get("reason") else "") \
            if names or record.get("reason") else None
    return f"{considered}，{'；'.join(parts)}。"
