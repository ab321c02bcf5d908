"""Acts on a case's violations outside a step: 登记 a violation (a statutory conduct of the case's
item, its 认定理由, and its 违法明细 — typed, or imported from a spreadsheet by the caller), 撤回 one
with a reason. Each is checked by the rules of workflows/rules/<set>/guards.yaml — violations are
found while the case is investigated (the procedure's `collects_evidence_in`), by its own officers —
keeps the case's amounts and period the totals of its violations, and is an event of the audit trail,
in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from caseflow.cases.audit import append_event
from caseflow.cases.evidence_acts import investigation_act
from caseflow.cases.lookup import catalog_item, procedure_of
from caseflow.cases.models import Case, CaseViolation
from caseflow.cases.rules import refuse
from caseflow.cases.violations import (amounts_from, detail_rows, in_force, refresh_case, registered,
                                      violation_label)
from caseflow.catalog.conducts import Conduct, conducts_for
from caseflow.db.base import utcnow
from caseflow.errors import InvalidInput
from caseflow.legal_time import SHANGHAI
from caseflow.org.actors import Actor
from caseflow.violations.details import DetailRow, fund_split_text, to_json, totals
from caseflow.workflow.input_values import check_required, free_text, validate_payload
from caseflow.workflow.registry import get_library

__all__ = ["add_violation", "conduct_choices", "withdraw_violation"]


def _open_case(db_session: Session, case_no: str, actor_id: int, what: str) -> tuple[Case, Actor]:
    return investigation_act(db_session, case_no, actor_id, what, violations=True)


def conduct_choices(case: Case) -> tuple[Conduct, ...]:
    """The statutory conducts the case's item punishes (its catalog snapshot's bases)."""
    item = catalog_item(case)
    return conducts_for(item) if item is not None else ()


def _conduct(case: Case, given: str) -> Conduct:
    choices = conduct_choices(case)
    found = next((c for c in choices if given in (c.code, c.name)), None)
    if found is None:
        raise refuse("conduct_of_item", conduct=given, item=case.item_name,
                     choices="、".join(c.name for c in choices) or "无",
                     details={"conduct": "不是本事项依据的条款规定的违法行为"})
    return found


def _period(values: dict[str, Any], rows: Sequence[DetailRow], at: datetime) -> tuple[Any, Any]:
    """The period: the 明细's span where itemised (a typed one that differs is refused), else typed."""
    given_from, given_until = values.get("period_from"), values.get("period_until")
    if rows:
        t = totals(rows)
        last = t.last_day if t.last_day != t.first_day else None
        if (given_from and given_from != t.first_day) or (given_until and given_until != (last or t.first_day)):
            span = f"{t.first_day:%Y年%m月%d日}至{t.last_day:%Y年%m月%d日}"
            raise InvalidInput(f"违法行为期间按违法明细计算为{span}，与填写的日期不符；请改正明细或不填日期。",
                               details={"period_from": f"按明细为{span}"})
        return t.first_day, last
    if given_from is None:
        raise InvalidInput("请填写违法行为发生日期（没有违法明细的须填写）。", details={"period_from": "不能为空"})
    today = at.astimezone(SHANGHAI).date()
    if given_from > today or (given_until and given_until > today):
        raise InvalidInput("违法行为日期不能晚于今天。", details={"period_from": "晚于今天"})
    if given_until and given_until < given_from:
        raise InvalidInput("违法行为终了日期不能早于发生日期。", details={"period_until": "早于发生日期"})
    return given_from, given_until if given_until != given_from else None


def add_violation(
    *, db_session: Session, case_no: str, actor_id: int, payload: dict[str, Any],
    imported: Sequence[DetailRow] | None = None, at: datetime | None = None,
) -> CaseViolation:
    """登记 one violation: the inputs of `violation` in workflows/rules/<set>/inputs.yaml; `imported`,
    the 明细 read from a spreadsheet (caseflow.violations.importer) instead of typed rows."""
    at = at or utcnow()
    case, actor = _open_case(db_session, case_no, actor_id, "登记违法行为")
    library = get_library()
    inputs = library.for_procedure(procedure_of(case, library)).rules.input_group("violation")
    values = validate_payload(inputs, payload)
    check_required(inputs, values, lambda attr: None)
    if imported and values.get("details"):
        raise InvalidInput("违法明细请逐行填写或导入文件，二者选一。", details={"details": "二者选一"})
    rows = list(imported or values.get("details") or ())
    conduct = _conduct(case, values["conduct"])
    if conduct.base and not rows:
        raise refuse("violation_itemised", conduct=conduct.name, base=conduct.base,
                     details={"details": "须列明违法明细"})
    start, end = _period(values, rows, at)
    seq = case.last_event_seq + 1
    amounts = amounts_from(totals(rows), conduct) if rows else {}
    v = CaseViolation(
        seq=max((x.seq for x in case.violations), default=0) + 1, conduct_code=conduct.code, conduct=conduct.name,
        rule_breached=conduct.rule_breached, punished_by=conduct.citation, period_from=start, period_until=end,
        facts=values["facts"], itemised=bool(rows), details=to_json(rows) if rows else None,
        event_seq=seq, recorded_at=at, recorded_by_name=actor.full_name, **amounts,
    )
    for shorthand in [x for x in in_force(case) if not x.conduct_code]:  # the amounts alone, now itemised
        shorthand.withdrawn_at, shorthand.withdrawn_reason = at, "由逐项登记的违法行为取代"
    case.violations.append(v)
    refresh_case(case)
    db_session.flush()
    append_event(
        db_session=db_session, case=case, actor=actor, trigger="add_violation",
        trigger_name=f"登记违法行为：{violation_label(v)}", from_state=case.state, to_state=case.state, at=at,
        payload={"seq": v.seq, "conduct": v.conduct, "punished_by": v.punished_by, "rows": len(rows),
                 **_amount_text(v)},
    )
    return v


def _amount_text(v: CaseViolation) -> dict[str, str]:
    out = {}
    if v.amount_involved is not None:
        out["违规费用"] = f"{v.amount_involved:,.2f}元"
    if v.amount_loss is not None:
        out["基金支付"] = f"{v.amount_loss:,.2f}元"
    if v.details:
        split = fund_split_text(totals(detail_rows(v)))
        if split:
            out["险种"] = split
    return out


def withdraw_violation(*, db_session: Session, case_no: str, seq: int, actor_id: int, reason: str | None,
                       at: datetime | None = None) -> CaseViolation:
    """撤回 violation `seq`: it stays in the record, marked with the reason; the totals follow."""
    at = at or utcnow()
    why = free_text(reason, name="reason", label="撤回理由", limit=2000)
    if not why:
        raise InvalidInput("请填写撤回理由。", details={"reason": "不能为空"})
    case, actor = _open_case(db_session, case_no, actor_id, "撤回违法行为")
    v = next((x for x in registered(case) if x.seq == seq), None)
    if v is None:
        raise refuse("violation_in_force", seq=seq, what="（已撤回或不存在）")
    v.withdrawn_at, v.withdrawn_reason = at, why
    refresh_case(case)
    db_session.flush()
    append_event(
        db_session=db_session, case=case, actor=actor, trigger="withdraw_violation",
        trigger_name=f"撤回违法行为：{violation_label(v)}", from_state=case.state, to_state=case.state, at=at,
        opinion=why, payload={"seq": seq},
    )
    return v
