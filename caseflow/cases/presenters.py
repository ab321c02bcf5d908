"""Read models of a case for people and programs: a JSON-ready dict and the Chinese text view.

Times are shown in Asia/Shanghai; money as exact decimal strings in 元.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from caseflow.cases import prior_cases, remedies
from caseflow.cases.limitation import WARN_DAYS, limitation_of
from caseflow.cases.models import Case, CaseEvent, PenaltyStage
from caseflow.cases.officers import removal_reasons
from caseflow.cases.posts import required_post
from caseflow.cases.service import ActionInfo, available_actions, events_of, holders_of, procedure_of
from caseflow.db.base import utcnow
from caseflow.deadlines import service as deadline_service
from caseflow.deadlines.holders import holder_label, holder_of, status_label
from caseflow.deadlines.models import Deadline
from caseflow.documents.presenters import local
from caseflow.documents.types import get_doc_type
from caseflow.holidays.service import calendar_for
from caseflow.legal_time import SHANGHAI
from caseflow.legal_time.late_fee import late_payment_fee
from caseflow.org.models import User
from caseflow.org.service import agency_actors
from caseflow.workflow.inputs import InputDef

STAGE_LABEL = {PenaltyStage.proposed: "处理建议", PenaltyStage.reviewed: "法制审核通过",
               PenaltyStage.decided: "决定"}


def money(value: Decimal | None) -> str | None:
    return f"{value:.2f}" if value is not None else None


def case_detail(*, db_session: Session, case: Case, viewer: User | None = None,
                at: datetime | None = None, deadlines: list[Deadline] | None = None) -> dict[str, Any]:
    """The case as a JSON-ready dict. `deadlines`: the case's deadlines when the caller has loaded
    them already (the case page shows them too), so they are read once."""
    proc = procedure_of(case)
    events = events_of(db_session=db_session, case_id=case.id)
    if deadlines is None:
        deadlines = deadline_service.for_case(db_session=db_session, case_id=case.id)
    actions = available_actions(db_session=db_session, case=case, actor=viewer, at=at)
    who = _who_may(db_session, case, proc, actions)
    detail = {
        "case_no": case.case_no,
        "title": case.title,
        "agency": case.agency.name,
        "item": {"key": case.item_key, "name": case.item_name},
        "procedure": {"code": proc.code, "version": proc.version, "name": proc.name},
        "state": case.state,
        "state_name": proc.state_name(case.state),
        "version": case.version,
        "major_case": case.major_case,
        "opened_at": local(case.opened_at),
        "filed_at": local(case.filed_at),
        "closed_at": local(case.closed_at),
        "archived_at": local(case.archived_at),
        "parent_case_id": case.parent_case_id,
        "amounts": {
            "involved": money(case.amount_involved), "defrauded": money(case.amount_defrauded),
            "loss": money(case.amount_loss),
        },
        "violation": {"from": case.violation_from.isoformat() if case.violation_from else None,
                      "until": case.violation_until.isoformat() if case.violation_until else None},
        "limitation": limitation_row(db_session, case, at or utcnow()),
        "prior_cases": prior_rows(db_session, case),
        "remedies": [
            {"id": r.id, "kind": r.kind.label, "filed_on": r.filed_on.isoformat(), "body": r.body,
             "ref_no": r.ref_no, "pending": r.pending, "outcome": r.outcome.label if r.outcome else None,
             "decided_on": r.decided_on.isoformat() if r.decided_on else None, "note": r.outcome_note}
            for r in case.remedies
        ],
        "parties": [
            {"id": cp.party_id, "role": cp.role.label, "kind": cp.party.kind.label, "name": cp.party.name,
             "identifier": cp.party.identifier, "legal_representative": cp.party.legal_representative,
             "address": cp.party.address, "phone": cp.party.phone}
            for cp in case.parties
        ],
        "officers": officer_rows(case, events),
        "penalties": [
            {"stage": STAGE_LABEL[p.stage], "party": p.party.name, "kind": p.kind,
             "amount": money(p.amount), "months": p.months, "basis": p.basis}
            for p in case.penalties
        ],
        "sealed_items": [
            {"name": s.name, "quantity": s.quantity, "unit": s.unit} for s in case.sealed_items
        ],
        "deadlines": [deadline_row(d, at or utcnow()) for d in deadlines],
        "late_fee": late_fee_row(case, deadlines, at or utcnow()),
        "events": [event_row(e, proc.state_name) for e in events],
        "available_actions": [
            {
                "trigger": a.trigger, "name": a.name, "post": a.post, "allowed": a.allowed,
                "code": a.code, "reason": a.reason, "requires_opinion": a.requires_opinion,
                "checked_on_submit": a.needs_input, "basis": a.basis, "who": who[a.trigger],
                "refusal": a.refusal, "optional": a.optional, "ready": a.ready, "waiting": a.waiting,
                "inputs": [input_row(i) for i in a.inputs],
                "documents": list(dict.fromkeys(get_doc_type(d).title for d in a.documents)),
            }
            for a in actions
        ],
    }
    detail["next"] = next_step(detail["available_actions"])
    return detail


def next_step(actions: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The one step the procedure waits for now, from the rows of `available_actions` (in file order):
    the viewer's own if they may take it, else the one whose post holder may take it now, else the last
    the case is waiting for (with why). Optional powers and refusals are never "the next step"."""
    main = [a for a in actions if not a["optional"] and not a["refusal"]]
    step = (next((a for a in main if a["allowed"]), None) or next((a for a in main if a["ready"]), None)
            or (main[-1] if main else None))
    if step is None:
        return None
    return {"trigger": step["trigger"], "name": step["name"], "post": step["post"], "who": step["who"],
            "mine": step["allowed"], "waiting": None if step["ready"] else step["waiting"]}


def input_row(i: InputDef) -> dict[str, Any]:
    """A declared input as a form (and an API client) needs it."""
    return {"name": i.name, "label": i.label, "type": i.type, "required": i.required, "hint": i.hint,
            "choices": list(i.choices), "default": i.default, "from_case": i.from_case, "fixed": i.fixed,
            "answers": i.answers}


def _who_may(db_session: Session, case: Case, proc: Any, actions: list[ActionInfo]) -> dict[str, list[str]]:
    """{trigger: names of the users holding the post the step needs}: the agency's staff read once,
    the holders of each distinct (post, section) picked from them."""
    by_trigger = {t.trigger: t for t in proc.transitions}
    staff = agency_actors(db_session=db_session, agency_id=case.agency_id) if actions else []
    names: dict[tuple[str, str | None], list[str]] = {}
    out: dict[str, list[str]] = {}
    for a in actions:
        t = by_trigger[a.trigger]
        key = required_post(case, t)
        if key not in names:
            names[key] = [u.full_name for u in holders_of(staff=staff, case=case, t=t)]
        out[a.trigger] = names[key]
    return out


def officer_rows(case: Case, events: list[CaseEvent]) -> list[dict[str, Any]]:
    """Every officer the case has had, in order of assignment; those taken off it (更换、回避) with
    when and why (from the decision's audit event)."""
    why = removal_reasons(events)
    return [
        {"role": o.role.label, "name": o.user.full_name, "username": o.user.username,
         "credentials": [c.number for c in o.user.credentials],
         "assigned_at": local(o.assigned_at), "removed": o.removed_at is not None,
         "removed_at": local(o.removed_at), "removed_reason": why.get(o.id)}
        for o in case.officers
    ]


def officer_listing(*, db_session: Session, case: Case, event_seq: int | None = None) -> dict[str, Any]:
    """The case's officers for `caseflow case officers` and the officer API; after a decision
    (`event_seq`: its audit event) also the step it was recorded as."""
    events = events_of(db_session=db_session, case_id=case.id)
    out: dict[str, Any] = {"case_no": case.case_no, "version": case.version}
    if event_seq is not None:
        out["event_seq"] = event_seq
        out["step"] = next((e.trigger_name for e in events if e.seq == event_seq), None)
    out["officers"] = officer_rows(case, events)
    return out


def late_fee_row(case: Case, deadlines: list[Deadline], at: datetime) -> dict[str, Any] | None:
    """加处罚款 owed today when the 15-day payment period has run out unpaid."""
    payment = next((d for d in deadlines if d.rule_code == "payment" and d.is_running), None)
    fine = sum((p.amount or Decimal(0) for p in case.penalties_at(PenaltyStage.decided) if p.kind == "罚款"),
               Decimal(0))
    if payment is None or payment.due_date is None or fine <= 0 or at < payment.due_at:
        return None
    today = at.astimezone(SHANGHAI).date()
    fee = late_payment_fee(fine, payment.due_date, today, paused=remedies.pauses(case, today))
    return {"fine": money(fine), "days": fee.days, "amount": money(fee.amount), "capped": fee.capped,
            "reasoning": list(fee.reasoning)}


# Before the decision a reviewer weighs the party's earlier cases (初次违法, 《行政处罚法》第三十三条).
_BEFORE_DECISION = frozenset({"investigation", "case_review", "legal_review", "head_approval",
                              "collective_discussion", "notice", "hearing", "re_examination"})


def prior_rows(db_session: Session, case: Case) -> list[dict[str, Any]] | None:
    """The party's other cases in this agency (by identifier), while the case is being decided."""
    if case.procedure_code != "penalty_general" or case.state not in _BEFORE_DECISION:
        return None
    return prior_cases.rows(prior_cases.earlier_cases(db_session, case))


def limitation_row(db_session: Session, case: Case, at: datetime) -> dict[str, Any] | None:
    """追责时效 (《行政处罚法》第三十六条) while a punishment is still to be decided: its end, the days
    left, and a warning in the last 90 日 or once it has run out."""
    if case.decided_at is not None or case.closed_at is not None:
        return None
    lim = limitation_of(case, calendar_for(db_session=db_session))
    if lim is None:
        return None
    left = lim.days_left(at)
    expired = lim.expired_at(case.filed_at or at)
    return {"text": lim.text(), "last_day": lim.last_day.isoformat(), "days_left": left,
            "years": lim.years, "expired": expired, "warning": expired or left <= WARN_DAYS,
            "provisional": lim.provisional}


def deadline_row(d: Deadline, at: datetime) -> dict[str, Any]:
    return {
        "rule": d.rule_code, "name": d.name, "basis": d.basis, "started_at": local(d.started_at),
        "due_at": local(d.due_at), "due_date": d.due_date.isoformat() if d.due_date else None,
        "status": d.status.value, "status_name": status_label(d, at), "provisional": d.provisional,
        "holder": holder_of(d.rule_code), "holder_name": holder_label(d.rule_code),
        "closed_at": local(d.closed_at),
    }


def event_row(e: CaseEvent, state_name: Any) -> dict[str, Any]:
    return {
        "seq": e.seq, "at": local(e.occurred_at), "actor": e.actor_name, "post": e.post,
        "trigger": e.trigger, "step": e.trigger_name, "from": e.from_state,
        "from_name": state_name(e.from_state) if e.from_state else None, "to": e.to_state,
        "to_name": state_name(e.to_state), "opinion": e.opinion, "payload": e.payload,
    }


def render_timeline(detail: dict[str, Any]) -> str:
    lines = []
    for e in detail["events"]:
        move = (f"{e['from_name']} → {e['to_name']}" if e["from"] and e["from"] != e["to"]
                else f"（{e['to_name']}）")
        line = f"  {e['at']}  {e['actor']}  {e['step']}：{move}"
        if e["opinion"]:
            line += f"  意见：{e['opinion']}"
        lines.append(line)
    return "\n".join(lines)


def render_case(detail: dict[str, Any]) -> str:
    d = detail
    out = [
        f"案号：{d['case_no']}    案由：{d['title']}",
        f"机关：{d['agency']}    事项：{d['item']['name']}（{d['item']['key']}）",
        f"程序：{d['procedure']['name']}（第{d['procedure']['version']}版）    "
        f"当前状态：{d['state_name']}    版本：{d['version']}" + ("    重大案件" if d["major_case"] else ""),
        f"登记：{d['opened_at']}    立案：{d['filed_at'] or '—'}    结案：{d['closed_at'] or '—'}",
        "当事人：",
    ]
    for p in d["parties"]:
        extra = f"，法定代表人{p['legal_representative']}" if p["legal_representative"] else ""
        out.append(f"  [{p['role']}] {p['name']}（{p['kind']}，{p['identifier']}{extra}）{p['address']}")
    out.append("承办人员：" + ("、".join(
        f"{o['name']}（{o['role']}，执法证{'/'.join(o['credentials']) or '无'}）"
        for o in d["officers"] if not o["removed"]
    ) or "无"))
    for o in d["officers"]:
        if o["removed"]:
            out.append(f"  已调离：{o['name']}（{o['role']}），{o['removed_at']}"
                       + (f"，{o['removed_reason']}" if o["removed_reason"] else ""))
    amounts = {"涉案金额": d["amounts"]["involved"], "骗取金额": d["amounts"]["defrauded"],
               "损失金额": d["amounts"]["loss"]}
    shown = [f"{k}{v}元" for k, v in amounts.items() if v]
    if shown:
        out.append("金额：" + "，".join(shown))
    if d["penalties"]:
        out.append("处罚：")
        for p in d["penalties"]:
            qty = f"{p['amount']}元" if p["amount"] else (f"{p['months']}个月" if p["months"] else "")
            out.append(f"  [{p['stage']}] {p['party']}：{p['kind']}{qty}（{p['basis']}）")
    if d["sealed_items"]:
        out.append("封存清单：" + "；".join(f"{s['name']}{s['quantity']}{s['unit']}" for s in d["sealed_items"]))
    if d["deadlines"]:
        out.append("期限：")
        for x in d["deadlines"]:
            prov = "（暂定）" if x["provisional"] else ""
            out.append(f"  {x['name']}（{x['holder_name']}）：{x['started_at']} 起，{x['due_date'] or x['due_at']} 届满{prov}，"
                       f"{x['status_name']}（{x['basis']}）")
    if d.get("late_fee"):
        f = d["late_fee"]
        out.append(f"加处罚款：逾期{f['days']}日，{f['amount']}元" + ("（已达罚款数额上限）" if f["capped"] else ""))
    out.append("办理记录：")
    out.append(render_timeline(d))
    out.append("当前可办理的步骤：")
    if not d["available_actions"]:
        out.append("  无（案件已终结）")
    for a in d["available_actions"]:
        who = "、".join(a["who"]) or "无人在岗"
        status = "可办理" if a["allowed"] else f"暂不可办理：{a['reason']}"
        out.append(f"  {a['trigger']}「{a['name']}」— {a['post']}（{who}）— {status}")
    return "\n".join(out)
