"""The violations a case finds, as the engine reads them: those in force, the amounts a penalty for
one of them is judged by, the case's totals, and the one violation of a case that gave its amounts
alone.

A case holds one or more violations (`CaseViolation`). Registered during 调查取证 (`violation_acts`),
each is a statutory conduct of the case's item (workflows/conducts.yaml) with its own period and
amounts — the sums of its 违法明细 (caseflow.violations) where the conduct's fine or 责令退回 is counted
from an amount. The case's own amounts and period are then the totals of its violations, kept by the
engine, never typed beside them.

A case whose 调查终结 gives the amounts alone, without registering violations (and every case of
migration 0016), holds one violation without a conduct: it mirrors the case's amounts and period
(`mirror_case`), and 评查 notes that its amounts are not itemised.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from caseflow.cases.amounts import AMOUNT_FIELDS, amounts_in, describe_change, recorded_amounts
from caseflow.cases.models import Case, CaseViolation
from caseflow.catalog.conducts import Conduct, conduct
from caseflow.db.memo import parsed_once
from caseflow.violations.details import DetailRow, Totals, from_json, fund_split_text, to_json, totals

__all__ = ["amounts_for", "amounts_from", "case_totals", "conduct_of", "detail_rows", "in_force", "listing", "mirror_case",
           "prospective", "registered", "refresh_case", "replace_details", "violation_amounts", "violation_label"]


def in_force(case: Case) -> list[CaseViolation]:
    return [v for v in case.violations if v.withdrawn_at is None]


def registered(case: Case) -> list[CaseViolation]:
    """The violations registered one by one (each with its conduct), in force."""
    return [v for v in in_force(case) if v.conduct_code]


def violation_label(v: CaseViolation) -> str:
    """"第2项：虚构医药服务项目" — how forms and messages name a violation."""
    return f"第{v.seq}项 {v.conduct or '违法行为'}"


def amounts_from(t: Totals, conduct: Conduct | None) -> dict[str, Any]:
    """A violation's amounts from the sums of its 明细: 违规费用, the fund's loss (what the fund paid),
    and — for a 骗取 conduct — the same sum as 骗取金额; with the split by 险种."""
    return {
        "amount_involved": t.amount,
        "amount_loss": t.fund_paid,
        "amount_defrauded": t.fund_paid if conduct is not None and conduct.fraud else None,
        "by_fund": {k: str(v) for k, v in t.by_fund.items()} or None,
    }


def violation_amounts(v: CaseViolation) -> dict[str, Decimal | None]:
    return {k: getattr(v, k) for k in AMOUNT_FIELDS}


def prospective(case: Case, payload: Mapping[str, Any]) -> dict[int, dict[str, Any]]:
    """{序号: amounts} of a violation whose 明细 this very step replaces (变更认定金额: `violation` and
    `details`), before it is recorded — what its guards judge the proposal by."""
    seq, rows = payload.get("violation"), payload.get("details")
    if seq is None or not rows:
        return {}
    v = next((v for v in in_force(case) if v.seq == seq), None)
    if v is None:
        return {}
    return {seq: amounts_from(totals(rows), conduct_of(v))}


def amounts_for(case: Case, payload: Mapping[str, Any], seq: int | None) -> dict[str, Decimal | None]:
    """The amounts a penalty for violation `seq` (None: the case as a whole) is judged by — its
    violation's, as this step changes them, else as recorded; for a case of one violation, or one
    whose 调查终结 gives the amounts alone, the case's amounts as this step records them."""
    changed = prospective(case, payload)
    vs = in_force(case)
    own = next((v for v in vs if v.seq == seq), None) if seq is not None else None
    if own is None and seq is None and len(registered(case)) == 1:
        own = registered(case)[0]
    if own is not None and own.conduct_code:
        if own.seq in changed:
            return {k: changed[own.seq][k] for k in AMOUNT_FIELDS}
        return violation_amounts(own)
    if registered(case):  # several violations, a penalty for the whole case: their totals
        return case_totals(case, changed)
    return {**recorded_amounts(case), **amounts_in(payload)}


def case_totals(case: Case, changed: Mapping[int, Mapping[str, Any]] | None = None) -> dict[str, Decimal | None]:
    """The case's amounts as the totals of its registered violations (None where none has one)."""
    out: dict[str, Decimal | None] = {}
    for key in AMOUNT_FIELDS:
        values = [(changed or {})[v.seq][key] if v.seq in (changed or {}) else getattr(v, key)
                  for v in registered(case)]
        present = [x for x in values if x is not None]
        out[key] = sum(present, Decimal("0")) if present else None
    return out


def refresh_case(case: Case) -> None:
    """The case's amounts and period from its registered violations (after one is registered,
    withdrawn or changed). A case without registered violations keeps what its steps recorded."""
    vs = registered(case)
    if not vs:
        if any(v.conduct_code for v in case.violations):  # every one registered is withdrawn: none found
            for key in AMOUNT_FIELDS:
                setattr(case, key, None)
            case.violation_from = case.violation_until = None
        return
    for key, value in case_totals(case).items():
        setattr(case, key, value)
    starts = [v.period_from for v in vs if v.period_from]
    ends = [v.period_until or v.period_from for v in vs if v.period_from]
    case.violation_from = min(starts) if starts else None
    last = max(ends) if ends else None
    case.violation_until = last if last != case.violation_from else None


def mirror_case(case: Case, *, event_seq: int, by: str, at: Any) -> None:
    """A case whose findings give the amounts alone: its one violation (without a conduct) mirrors the
    case's amounts and period — created at 调查终结, kept in step by 变更认定金额."""
    if registered(case):
        return
    own = next(iter(in_force(case)), None)
    if own is None:
        own = CaseViolation(seq=max((v.seq for v in case.violations), default=0) + 1, itemised=False,
                            event_seq=event_seq, recorded_at=at, recorded_by_name=by)
        case.violations.append(own)
    for key in AMOUNT_FIELDS:
        setattr(own, key, getattr(case, key))
    own.period_from, own.period_until = case.violation_from, case.violation_until


def conduct_of(v: CaseViolation) -> Conduct | None:
    return conduct(v.conduct_code) if v.conduct_code else None


def detail_rows(v: CaseViolation) -> Sequence[DetailRow]:
    """The violation's 违法明细, parsed once per loaded row (the page's table and totals, the
    documents' blocks each read them); parsed afresh once `details` is replaced."""
    return parsed_once(v, "_detail_rows", v.details or [], lambda raw: tuple(from_json(raw)))


def replace_details(case: Case, seq: int, rows: Sequence[DetailRow]) -> list[str]:
    """变更认定金额 of an itemised violation: its new 明细 and amounts, the case's totals after them;
    the changes in words for the audit trail."""
    v = next(v for v in registered(case) if v.seq == seq)  # amount_change_given checked it
    before = violation_amounts(v)
    fresh = amounts_from(totals(rows), conduct_of(v))
    v.details, v.itemised, v.by_fund = to_json(rows), True, fresh.pop("by_fund")
    for key, value in fresh.items():
        setattr(v, key, value)
    t = totals(rows)
    v.period_from, v.period_until = t.first_day, (t.last_day if t.last_day != t.first_day else None)
    refresh_case(case)
    changes = {k: (before[k], getattr(v, k)) for k in AMOUNT_FIELDS if before[k] != getattr(v, k)}
    return [f"{violation_label(v)}：{line}" for line in describe_change(changes)]


def listing(case: Case) -> list[dict[str, Any]]:
    """The case's violations (withdrawn ones too) as the CLI, the API and the case page list them."""
    out = []
    for v in case.violations:
        rows = detail_rows(v) if v.itemised else ()
        out.append({
            "seq": v.seq, "conduct": v.conduct or "（未逐项认定）", "conduct_code": v.conduct_code,
            "rule_breached": v.rule_breached, "punished_by": v.punished_by,
            "period_from": v.period_from.isoformat() if v.period_from else None,
            "period_until": v.period_until.isoformat() if v.period_until else None,
            "facts": v.facts, "itemised": v.itemised, "rows": len(rows),
            "amount_involved": _yuan(v.amount_involved), "amount_loss": _yuan(v.amount_loss),
            "amount_defrauded": _yuan(v.amount_defrauded),
            "fund_split": fund_split_text(totals(rows)) if rows else "",
            "withdrawn": {"at": v.withdrawn_at.isoformat(), "reason": v.withdrawn_reason} if v.withdrawn_at else None,
        })
    return out


def _yuan(v: Decimal | None) -> str | None:
    return f"{v:.2f}" if v is not None else None
