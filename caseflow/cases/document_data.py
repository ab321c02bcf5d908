"""The rendering data of a document built from a case: what the case records, its agency's settings,
its deadlines and audit trail, plus what the issuing step was given (hearing place, 送达 details…).

The result follows the data contract of `caseflow.documents.types`. Values the record does not
hold are left out, so the required-field check names them instead of a document going out
half-empty. Nothing here writes to the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.cases.models import Case, CaseEvent, PartyRole, PenaltyItem, PenaltyStage
from caseflow.deadlines import service as deadline_service
from caseflow.deadlines.models import Deadline, DeadlineStatus
from caseflow.documents import snapshot
from caseflow.documents.models import Document
from caseflow.legal_time import SHANGHAI, Period, WorkCalendar, compute_due
from caseflow.legal_time.late_fee import late_payment_fee
from caseflow.org.settings import AgencySettings, PaymentAccount, effective_rule
from caseflow.parties.models import Party, PartyKind
from caseflow.workflow.definition import find_ground
from caseflow.workflow.registry import WorkflowLibrary

__all__ = ["StepFacts", "build_data"]


@dataclass
class StepFacts:
    """What the issuing step knows beyond the case record."""

    trigger: str
    at: datetime
    actor_name: str
    opinion: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def day(self) -> date:
        return self.at.astimezone(SHANGHAI).date()


def _day(value: datetime | None) -> date | None:
    return value.astimezone(SHANGHAI).date() if value else None


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


@dataclass
class _Source:
    db_session: Session
    case: Case
    step: StepFacts
    library: WorkflowLibrary
    calendar: WorkCalendar
    settings: AgencySettings

    def events(self, *triggers: str) -> list[CaseEvent]:
        return list(self.db_session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == self.case.id, CaseEvent.trigger.in_(triggers))
            .order_by(CaseEvent.seq)
        ))

    def document(self, *doc_types: str) -> Document | None:
        """The newest version of the case's latest document of one of these types."""
        return self.db_session.scalar(
            select(Document).where(Document.case_id == self.case.id, Document.doc_type.in_(doc_types))
            .order_by(Document.id.desc()).limit(1)
        )

    def rule_days(self, code: str) -> tuple[int, str]:
        rule = effective_rule(self.library.deadlines[code], self.settings)
        return rule.length, "工作日" if rule.unit.value == "working_day" else "日"

    def due_day(self, rule_code: str) -> date | None:
        d = deadline_service.latest(db_session=self.db_session, case_id=self.case.id, rule_code=rule_code)
        return d.due_date if d is not None else None

    def fund_return_rule(self) -> str:
        """The 责令退回期限 rule: `fund_return` where the library has it, else the `payment` rule."""
        return "fund_return" if "fund_return" in self.library.deadlines else "payment"

    def met(self, rule_code: str) -> bool:
        """Whether the case's latest limit of `rule_code` was met (the duty performed)."""
        d = deadline_service.latest(db_session=self.db_session, case_id=self.case.id,
                                    rule_code=rule_code)
        return d is not None and d.status is DeadlineStatus.met


def _account(a: PaymentAccount) -> dict[str, str]:
    return {"payee": a.payee, "bank": a.bank, "account": a.account}


def _agency(src: _Source) -> dict[str, Any]:
    agency, s = src.case.agency, src.settings
    return {
        "name": agency.name, "address": s.address, "postcode": s.postcode, "phone": s.phone,
        "review_bodies": list(s.review_bodies), "court": s.court,
        "payment": _account(s.payment), "fund_return": _account(s.fund_return),
        "review_unit": f"{agency.name}法制审核股",
    }


def _party(p: Party) -> dict[str, Any]:
    org = p.kind is PartyKind.organisation
    return {
        "kind": p.kind.value, "name": p.name, "identifier": (p.uscc if org else p.id_number) or "",
        "address": p.address, "representative": p.legal_representative if org else None,
        "phone": p.phone,
    }


def _case(src: _Source) -> dict[str, Any]:
    c = src.case
    # 案由 reads "…一案" in the documents: a title "…骗取医保基金案" gives "…骗取医保基金".
    cause = c.title.removesuffix("一案").removesuffix("案") if len(c.title) > 2 else c.title
    return {"case_no": c.case_no, "title": c.title, "item_name": c.item_name, "cause": cause,
            "opened_on": _day(c.filed_at) or _day(c.opened_at), "source": c.source,
            "received_on": _day(c.opened_at)}


def _split(text: str | None) -> list[str]:
    if not text:
        return []
    parts = [p.strip(" 　；;。") for p in text.replace("\r", "").split("\n")]
    if len(parts) == 1:
        parts = [p.strip(" 　。") for p in parts[0].split("；")]
    return [p for p in parts if p]


def _citation(basis: str) -> tuple[str, str]:
    """'《条例》第四十条第一款：由…处…罚款' → ('《条例》第四十条第一款', '由…处…罚款');
    a trailing remark in brackets is dropped: '《条例》第四十条第一款（责令退回）' → '《条例》第四十条第一款'."""
    head, sep, tail = basis.partition("：")
    head = head.strip()
    if head.endswith("）") and "（" in head:
        head = head[: head.rindex("（")]
    return head, tail.strip() if sep else ""


def _bases(penalties: list[PenaltyItem]) -> list[dict[str, str]]:
    out: dict[str, str] = {}
    for p in penalties:
        citation, text = _citation(p.basis)
        if citation and (citation not in out or (text and not out[citation])):
            out[citation] = text
    return [{"citation": c, "text": t} for c, t in out.items()]


def _penalties(src: _Source, stage: PenaltyStage) -> list[dict[str, Any]]:
    roles = {cp.party_id: cp.role for cp in src.case.parties}
    return [{
        "kind": p.kind, "amount": p.amount, "months": p.months, "basis": _citation(p.basis)[0],
        "target": "responsible_person" if roles.get(p.party_id) is PartyRole.responsible_person else "party",
    } for p in src.case.penalties_at(stage)]


def _total(penalties: list[dict[str, Any]], kind: str) -> Decimal | None:
    """The sum of the amounts of one kind (罚款, 责令退回, 没收违法所得); None when there is none."""
    amounts = [p["amount"] for p in penalties if p["kind"] == kind and p["amount"] is not None]
    return sum(amounts, Decimal(0)) if amounts else None


def _fine_total(penalties: list[dict[str, Any]]) -> Decimal | None:
    return _total(penalties, "罚款")


def _reasons(src: _Source) -> str | None:
    c = src.case
    if c.reasons:
        return c.reasons
    wrong = c.item_name.removeprefix("对").removesuffix("的处罚").removesuffix("的行政处罚")
    bases = "、".join(b["citation"] for b in _bases(c.penalties_at(PenaltyStage.reviewed)))
    if not bases:
        return None
    kind = wrong if wrong.endswith("行为") else f"{wrong}的违法行为"
    return f"当事人的上述行为属于{kind}，依照{bases}的规定，应予处罚。"


def _finding(src: _Source, stage: PenaltyStage) -> dict[str, Any]:
    c = src.case
    penalties = _penalties(src, stage)
    return {"facts": c.facts, "evidence": _split(c.evidence), "reasons": _reasons(src),
            "bases": _bases(c.penalties_at(stage)), "penalties": penalties,
            "fine_total": _fine_total(penalties)}


def _officers(src: _Source) -> list[dict[str, Any]]:
    out = []
    for o in src.case.active_officers():
        creds = [cr for cr in o.user.credentials if not cr.revoked
                 and cr.valid_from <= src.step.day <= cr.valid_until]
        out.append({"name": o.user.full_name, "credential_no": creds[0].number if creds else None})
    return out


def _approval(role: str, e: CaseEvent) -> dict[str, Any]:
    return {"role": role, "name": e.actor_name, "opinion": e.opinion or "同意。", "on": _day(e.occurred_at)}


def _this_step(src: _Source) -> CaseEvent:
    s = src.step
    return CaseEvent(actor_name=s.actor_name, opinion=s.opinion, occurred_at=s.at)


# ── per document type ───────────────────────────────────────────────────


def _notice(src: _Source) -> dict[str, Any]:
    days, unit = src.rule_days("statement_period")
    hearing_days, _ = src.rule_days("hearing_request")
    return {**_finding(src, PenaltyStage.reviewed), "statement_days": days, "statement_days_unit": unit,
            "statement_due": src.due_day("statement_period"),
            "hearing_entitled": bool(src.case.hearing_entitled), "hearing_request_days": hearing_days}


def _hearing_summons(src: _Source) -> dict[str, Any]:
    p = src.step.payload
    return {"penalties": _penalties(src, PenaltyStage.reviewed), "hearing": {
        "held_on": src.case.hearing_date, "place": _text(p.get("place")), "host": _text(p.get("host")),
        "clerk": _text(p.get("clerk")), "public": not p.get("private_reason"),
        "private_reason": _text(p.get("private_reason")), "requested_on": _day(src.case.hearing_requested_at),
    }}


def _procedure_text(src: _Source) -> str | None:
    notice = src.document("penalty_notice", "hearing_rights_notice")
    if notice is None or src.case.notice_served_at is None:
        return None
    served = src.case.notice_served_at.astimezone(SHANGHAI)
    text = (f"本机关于{served.year}年{served.month}月{served.day}日向当事人送达了《{notice.title}》"
            f"（{notice.doc_no}），告知拟作出行政处罚的事实、理由、依据及依法享有的权利。")
    if src.case.statement_waived_at:
        text += "当事人书面放弃陈述、申辩权利。"
    if src.case.hearing_closed_at and src.case.hearing_date:
        held = src.case.hearing_date.astimezone(SHANGHAI)
        text += f"应当事人申请，本机关于{held.year}年{held.month}月{held.day}日依法举行了听证。"
    return text


def _statement_summary(src: _Source) -> str | None:
    said = [e.opinion for e in src.events("receive_statement", "conclude_hearing", "withdraw_hearing")
            if e.opinion]
    return "".join(s if s.endswith("。") else s + "。" for s in said) or None


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
            "procedure": _procedure_text(src)}


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
    decision = src.document("penalty_decision")
    penalties = _penalties(src, PenaltyStage.decided)
    fine = _fine_total(penalties)
    days, unit = src.rule_days("dunning_period")
    payment_due = src.due_day("payment")
    paused = [(r.filed_on, r.decided_on or src.step.day) for r in src.case.remedies]  # 第七十三条第三款
    fee = late_payment_fee(fine, payment_due, src.step.day, paused=paused) if fine and payment_due else None
    # 责令退回 not yet done: demanded too, back to the fund's account (条例 第四十五条).
    fund_return = None if src.met(src.fund_return_rule()) else _total(penalties, "责令退回")
    return {"statement_days": days, "statement_days_unit": unit, "dunning": {
        "decision_doc_no": decision.doc_no if decision else None, "decision_on": _day(src.case.decided_at),
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


def _legal_review_opinion(src: _Source) -> dict[str, Any]:
    submitted = src.events("submit_legal_review", "revise_proposal")
    return {"penalties": _penalties(src, PenaltyStage.proposed), "review": {
        "submitted_by": "基金监管股", "submitted_on": _day(submitted[-1].occurred_at) if submitted else None,
        "opinion": src.step.opinion,
        "conclusion": "同意" if src.step.trigger == "approve_legal_review" else "退回",
        "reviewer": src.step.actor_name, "reviewed_on": src.step.day,
    }}


def _closing_approval(src: _Source) -> dict[str, Any]:
    c = src.case
    decision = src.document("penalty_decision", "no_penalty_decision")
    done = src.events("serve_decision", "record_performance", "record_court_outcome", "close_referral",
                      "release_sealing", "refuse_retroactively")
    decided = c.penalties_at(PenaltyStage.decided)
    result = ("；".join(f"{p.kind}{f'{p.amount:,.2f}元' if p.amount is not None else ''}"
                       f"{f'{p.months}个月' if p.months else ''}" for p in decided)
              or {"no_penalty": "不予行政处罚", "referral": "移送司法机关"}.get(c.decision_kind or "")
              or ("解除封存" if c.released_at else None))
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


BUILDERS: dict[str, Callable[[_Source], dict[str, Any]]] = {
    "penalty_notice": _notice, "hearing_rights_notice": _notice, "hearing_summons": _hearing_summons,
    "penalty_decision": _penalty_decision, "no_penalty_decision": _no_penalty_decision,
    "sealing_decision": _sealing_decision, "sealing_release": _sealing_release,
    "sealing_extension": _sealing_extension,
    "dunning_notice": _dunning_notice, "filing_approval": _filing_approval,
    "legal_review_opinion": _legal_review_opinion, "closing_approval": _closing_approval,
}


def build_data(*, db_session: Session, case: Case, doc_type: str, step: StepFacts,
               library: WorkflowLibrary, calendar: WorkCalendar, settings: AgencySettings) -> dict[str, Any]:
    """The rendering data of `doc_type` for `case` as the step issuing it sees it (no 文号 yet)."""
    src = _Source(db_session, case, step, library, calendar, settings)
    data: dict[str, Any] = {
        "issued_on": step.day, "agency": _agency(src), "case": _case(src),
        "parties": [_party(cp.party) for cp in case.parties if cp.role is PartyRole.principal],
        "officers": _officers(src),
    }
    data.update(BUILDERS[doc_type](src))
    return data
