"""The data of each document type, built from a case by `document_data.build_data` (one function per
type, following the data contract of `caseflow.documents.types`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from caseflow.cases import remedies
from caseflow.cases.document_source import (
    _Source,
    _approval,
    _bases,
    _citation,
    _day,
    _finding,
    _fine_total,
    _penalties,
    _procedure_text,
    _split,
    _statement_summary,
    _text,
    _this_step,
    _penalties_by_violation,
    _total,
)
from caseflow.cases.discretion import discretion_text
from caseflow.cases.limitation import limitation_of
from caseflow.cases.models import PenaltyStage
from caseflow.cases.penalties import DECISION_KINDS, NO_PENALTY, RECOVERY, REFERRAL
from caseflow.deadlines.models import Deadline, DeadlineStatus
from caseflow.documents import snapshot
from caseflow.legal_time import Period, compute_due
from caseflow.legal_time.late_fee import late_payment_fee
from caseflow.workflow.definition import find_ground


def _notice(src: _Source) -> dict[str, Any]:
    days, unit = src.rule_days("statement_period")
    hearing_days, _ = src.rule_days("hearing_request")
    c = src.case
    lim = limitation_of(c, src.calendar)
    barred = lim is not None and c.filed_at is not None and lim.expired_at(c.filed_at)
    return {**_finding(src, PenaltyStage.reviewed), "statement_days": days, "statement_days_unit": unit,
            "time_barred": barred,
            "statement_due": src.due_day("statement_period"),
            "hearing_entitled": bool(src.case.hearing_entitled), "hearing_request_days": hearing_days}


def _hearing_summons(src: _Source) -> dict[str, Any]:
    p = src.step.payload
    return {"penalties": _penalties(src, PenaltyStage.reviewed), "hearing": {
        "held_on": src.case.hearing_date, "place": _text(p.get("place")), "host": _text(p.get("host")),
        "clerk": _text(p.get("clerk")), "public": not p.get("private_reason"),
        "private_reason": _text(p.get("private_reason")), "requested_on": _day(src.case.hearing_requested_at),
    }}


def _penalty_decision(src: _Source) -> dict[str, Any]:
    finding = _finding(src, PenaltyStage.decided)
    days, _ = src.rule_days("payment")
    fund_rule = src.fund_return_rule()
    fund_days, _ = src.rule_days(fund_rule)
    return {**finding, "payment_due_days": days,
            "confiscation_total": _total(finding["penalties"], "没收违法所得"),
            "fund_return_total": _total(finding["penalties"], "责令退回"),
            "fund_return_due_days": fund_days, "fund_return_due": src.due_day(fund_rule),
            "procedure": _procedure_text(src), "statement_summary": _statement_summary(src)}


def _no_penalty_decision(src: _Source) -> dict[str, Any]:
    """The ground of the decision (workflows/rules/<set>/no_penalty_grounds.yaml) is cited first, then the
    articles the conduct fell under; for 第三十三条 the 教育 given is stated (第三十三条第三款)."""
    c, p = src.case, src.step.payload
    ground = find_ground(src.library.no_penalty_grounds, p.get("ground"))
    conduct = _bases(c.penalties_at(PenaltyStage.reviewed)) or _bases(c.penalties_at(PenaltyStage.proposed))
    cited = [{"citation": ground.basis, "text": ""}] if ground else []
    return {"facts": c.facts, "evidence": _split(c.evidence),
            "reasons": src.step.opinion if src.step.trigger == "decide_no_penalty" else c.reasons,
            "ground": ground.name if ground else None,
            "education": _text(p.get("education")) if ground and ground.education else None,
            "bases": [*cited, *(b for b in conduct if b["citation"] != (ground.basis if ground else None))],
            "procedure": _procedure_text(src), "statement_summary": _statement_summary(src)}


# The documents a case's decision is written in: what a 催告书, the 结案审批表 and a 变更 refer to.
DECISION_DOCS = ("penalty_decision", "recovery_decision")


def _recovery_decision(src: _Source) -> dict[str, Any]:
    """行政处理决定书: the measures decided, none a 行政处罚 (责令退回 …), with the fund's account and
    period as in a 决定书, and why no 行政处罚 is imposed — the 追责时效 had run out at 立案 (《行政处罚法》
    第三十六条), or the head decided 不予行政处罚 on a ground (decide_no_penalty with `order_return`)."""
    c = src.case
    data = _penalty_decision(src)
    for key in ("fine_total", "payment_due_days", "confiscation_total", "discretion"):
        data.pop(key, None)  # no 罚款, nothing to pay into the 国库, no 裁量 of a penalty
    if not c.reasons:
        bases = "、".join(b["citation"] for b in data["bases"])
        kinds = "、".join(dict.fromkeys(p["kind"] for p in data["penalties"]))
        wrong = c.item_name.removeprefix("对").removesuffix("的处罚").removesuffix("的行政处罚")
        kind = wrong if wrong.endswith("行为") else f"{wrong}的违法行为"
        data["reasons"] = f"当事人的上述行为属于{kind}，依照{bases}的规定，应当{kinds}。" if bases else None
    return {**data, "exemption": _exemption(src)}


def _exemption(src: _Source) -> dict[str, Any]:
    c, out = src.case, {}
    lim = limitation_of(c, src.calendar)
    if lim is not None and c.filed_at is not None and lim.expired_at(c.filed_at):
        out["limitation"] = {
            "years": lim.years, "counted_from": lim.counted_from, "last_day": lim.last_day,
            "continuing": c.violation_until is not None and c.violation_until != c.violation_from,
            "filed_on": _day(c.filed_at)}
    decided = ([src.step] if src.step.trigger in ("decide_penalty", "decide_no_penalty")
               else src.events("decide_penalty", "decide_no_penalty")[-1:])
    step = decided[0] if decided else None
    payload = (step.payload or {}) if step is not None and step.trigger == "decide_no_penalty" else {}
    ground = find_ground(src.library.no_penalty_grounds, payload.get("ground")) if payload else None
    if ground is not None and not ("limitation" in out and ground.basis.endswith("第三十六条")):
        out.update(ground=ground.name, ground_basis=ground.basis,
                   education=_text(payload.get("education")) if ground.education else None)
    return out


def _sealing_decision(src: _Source) -> dict[str, Any]:
    c, p = src.case, src.step.payload
    sealed_at = c.sealed_at or src.step.at
    term = src.library.deadlines["sealing_term"]
    citation, text = _citation(c.evidence or "")
    # The term runs from the sealing (行政强制法 第二十五条), counted as every limit is counted.
    to = compute_due(sealed_at, Period(term.length, term.unit), calendar=src.calendar).due_date
    return {"sealing": {
        "reason": c.facts, "bases": [{"citation": citation, "text": text}] if citation else [],
        "term_days": term.length, "from": _day(sealed_at), "to": to,
        "place": _text(p.get("place")), "custodian": _text(p.get("custodian")),
        "items": [{"name": it.name, "quantity": it.quantity, "unit": it.unit, "note": it.note or ""}
                  for it in c.sealed_items],
        "witness": _text(p.get("witness")),
    }}


def _sealing_release(src: _Source) -> dict[str, Any]:
    sealed = src.document("sealing_decision")
    return {"release": {
        "sealed_doc_no": sealed.doc_no if sealed else None, "sealed_on": _day(src.case.sealed_at),
        "reason": src.step.opinion, "effective_on": src.step.day,
    }}


def _sealing_extension(src: _Source) -> dict[str, Any]:
    """行政强制法 第二十五条: the extension, told in writing with its reasons. Built after the step's
    effect has extended the `sealing_term` limit, so both ends are the engine's own: the row closed
    as extended (the term decided) and the row it opened (the extended term)."""
    c = src.case
    sealed = src.document("sealing_decision")
    decided = snapshot.decode(sealed.data) if sealed else {}
    sealing = decided.get("sealing") or {}
    terms = list(src.db_session.scalars(
        select(Deadline).where(Deadline.case_id == c.id, Deadline.rule_code == "sealing_term")
        .order_by(Deadline.id)
    ))
    before = next((d for d in reversed(terms) if d.status is DeadlineStatus.extended), None)
    after = terms[-1] if terms and terms[-1].status is DeadlineStatus.open else None
    if after is not None and (before is None or after.id < before.id):
        after = None  # not the row this extension opened
    try:
        days = int(src.step.payload.get("days"))
    except (TypeError, ValueError):
        days = None
    return {"extension": {
        "sealed_doc_no": sealed.doc_no if sealed else None,
        "sealed_on": decided.get("issued_on") or (_day(sealed.issued_at) if sealed else None),
        "items": [{"name": it.name, "quantity": it.quantity, "unit": it.unit} for it in c.sealed_items],
        "place": sealing.get("place"), "from": sealing.get("from") or _day(c.sealed_at),
        "term_days": sealing.get("term_days"),
        "to": before.due_date if before else None, "days": days,
        "new_to": after.due_date if after else None,
        "reason": _text(src.step.opinion),
        "basis": "《中华人民共和国行政强制法》第二十五条第一款",
    }}


def _dunning_notice(src: _Source) -> dict[str, Any]:
    decision = src.document(*DECISION_DOCS)
    penalties = _penalties(src, PenaltyStage.decided)
    fine = _fine_total(penalties)
    days, unit = src.rule_days("dunning_period")
    payment_due = src.due_day("payment")
    paused = remedies.pauses(src.case, src.step.day)  # 第七十三条第三款
    fee = late_payment_fee(fine, payment_due, src.step.day, paused=paused) if fine and payment_due else None
    # 责令退回 not yet done: demanded too, back to the fund's account (条例 第四十五条).
    fund_return = None if src.met(src.fund_return_rule()) else _total(penalties, "责令退回")
    return {"statement_days": days, "statement_days_unit": unit, "dunning": {
        "decision_doc_no": decision.doc_no if decision else None, "decision_on": _day(src.case.decided_at),
        "decision_title": decision.title if decision else None,
        "served_on": _day(src.case.decision_served_at), "fine": fine, "amount_due": fine,
        "late_fee": fee.amount if fee else None, "late_fee_as_of": src.step.day,
        "pay_by": src.due_day("dunning_period"), "fund_return_due": fund_return,
    }}


def _filing_approval(src: _Source) -> dict[str, Any]:
    submitted = src.events("submit_filing")
    return {"facts": src.case.facts, "bases": _bases(src.case.penalties_at(PenaltyStage.proposed)),
            "approvals": [
                {"role": "承办人意见", "name": submitted[-1].actor_name if submitted else None,
                 "opinion": (submitted[-1].opinion if submitted else None) or "建议立案调查。",
                 "on": _day(submitted[-1].occurred_at) if submitted else None},
                _approval("负责人审批", _this_step(src)),
            ]}


REVIEW_POINTS = "review_points"  # workflows/rules/<set>/inputs.yaml: the 审核要点 a reviewer answers


def _legal_review_opinion(src: _Source) -> dict[str, Any]:
    submitted = src.events("submit_legal_review", "revise_proposal")
    points = [{"item": i.label, "finding": src.step.payload[i.name]}
              for i in src.library.rules.input_group(REVIEW_POINTS) if src.step.payload.get(i.name)]
    return {**_penalties_by_violation(src, PenaltyStage.proposed, details=False),  # the 明细 stay in the case file
            "discretion": discretion_text(src.case.discretion), "review": {
        "points": points,
        "submitted_by": "基金监管股", "submitted_on": _day(submitted[-1].occurred_at) if submitted else None,
        "opinion": src.step.opinion,
        "conclusion": "同意" if src.step.trigger == "approve_legal_review" else "退回",
        "reviewer": src.step.actor_name, "reviewed_on": src.step.day,
    }}


def _closing_approval(src: _Source) -> dict[str, Any]:
    c = src.case
    decision = src.document(*DECISION_DOCS, "no_penalty_decision")
    done = src.events("serve_decision", "record_performance", "record_court_outcome", "close_referral",
                      "release_sealing", "refuse_retroactively")
    decided = c.penalties_at(PenaltyStage.decided)
    result = ("；".join(f"{p.kind}{f'{p.amount:,.2f}元' if p.amount is not None else ''}"
                       f"{f'{p.months}个月' if p.months else ''}" for p in decided)
              or {k: DECISION_KINDS[k] for k in (NO_PENALTY, REFERRAL)}.get(c.decision_kind or "")
              or ("解除封存" if c.released_at else None))
    if result and c.decision_kind == RECOVERY:
        result += "（行政处理决定，未给予行政处罚）"
    execution = None
    if done:
        last, payload = done[-1], done[-1].payload or {}
        on = _day(last.occurred_at)
        paid = [f"缴款凭证{payload['receipt']}" if payload.get("receipt") else "",
                f"已缴{Decimal(str(payload['amount_paid'])):,.2f}元" if payload.get("amount_paid") else ""]
        detail = "，".join(p for p in paid if p)
        execution = (f"{on.year}年{on.month}月{on.day}日{last.trigger_name}" if on else last.trigger_name)
        execution += (f"（{detail}）" if detail else "") + "。" + (last.opinion or "")
    officers = "、".join(o.user.full_name for o in c.active_officers()) or None
    return {"closing": {"decision_doc_no": decision.doc_no if decision else None,
                        "result": result, "execution": execution, "reason": "案件已办理终结。"},
            "approvals": [
                {"role": "承办人意见", "name": officers, "opinion": "案件已办理终结，建议结案。",
                 "on": _day(done[-1].occurred_at) if done else None},
                _approval("负责人审批", _this_step(src)),
            ]}
