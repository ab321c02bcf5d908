"""Everything the case page shows, gathered in one read unit of work: the presenter's detail plus
countdowns, the lawful range of the chosen basis, the diagram, the forms of the steps, the
局负责人's forms on the case's officers (更换、回避), the case's 执法文书 with their 送达 forms, its
违法行为 and 证据材料 (and whether the viewer may add to them) and the 案卷评查 findings."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.cases import service as case_service
from caseflow.cases.amounts import recorded_amounts
from caseflow.cases.discretion import benchmark_of
from caseflow.cases.evidence_listing import evidence_listing, file_review_listing
from caseflow.cases.lookup import catalog_item
from caseflow.cases.models import Case
from caseflow.cases.violation_acts import conduct_choices
from caseflow.cases.violations import detail_rows, in_force, listing, registered, violation_label
from caseflow.cases.officers import HEAD_POST, successor_candidates
from caseflow.cases.penalties import KINDS
from caseflow.cases.arguments import form_rows as argument_rows
from caseflow.cases.presenters import case_detail, input_row
from caseflow.catalog.lawful_penalties import CASE_AMOUNT_OF_BASE, basis_of
from caseflow.catalog.model import LegalBasis
from caseflow.catalog.service import basis_ranges
from caseflow.casefile.models import CaseFile
from caseflow.config import get_settings
from caseflow.deadlines import service as deadline_service
from caseflow.deadlines.holders import holder_label, is_party_window, status_label
from caseflow.documents.service import documents_of
from caseflow.errors import CaseflowError
from caseflow.documents import snapshot
from caseflow.legal_time import SHANGHAI
from caseflow.org.settings import read_settings
from caseflow.web import diagram, step_forms
from caseflow.web.correction_form import CORRECTABLE, correction_fields
from caseflow.workflow.registry import get_library
from caseflow.web.documents import document_rows
from caseflow.web.deps import Viewer
from caseflow.web.discretion_view import benchmark_panel, discretion_view, prefill_of, with_factor_options
from caseflow.web.publication_view import publication_panel
from caseflow.web.timefmt import countdown, due_text, local
from caseflow.violations.details import fund_split_text, totals

# Every step that serves a document asks the 送达 inputs of this group: another service of one too.
SERVICE_GROUP = "service"
EVIDENCE_GROUP = "evidence_item"  # 登记证据 (workflows/rules/<set>/inputs.yaml)
VIOLATION_GROUP = "violation"  # 登记违法行为: its conduct is a choice and its 明细 a file on the page
VIOLATION_OWN_WIDGETS = frozenset({"conduct", "details"})
ARGUMENTS_TYPE = "arguments"  # the party's arguments and the agency's answers (caseflow.cases.arguments)


def _base_amount(case: Case, basis: LegalBasis) -> Decimal | None:
    for option in basis.options:
        field = CASE_AMOUNT_OF_BASE.get(option.base or "")
        if field:
            return getattr(case, field)
    return None


# Notes for the administrator inside a limit's basis — "（原文未核实：…）", "（默认五个工作日，可配置）" —
# are not for an officer's page: they move to the tooltip.
_ADMIN_NOTE = re.compile(r"（[^（）]*(?:原文未核实|可配置|默认)[^（）]*）")


def public_basis(text: str) -> dict[str, str]:
    """{"basis": what the page shows, "basis_note": the administrator's notes (a tooltip)}."""
    notes = [m.group(0) for m in _ADMIN_NOTE.finditer(text or "")]
    return {"basis": _ADMIN_NOTE.sub("", text or ""), "basis_note": "".join(notes)}


def lawful_ranges(case: Case, chosen: str | None) -> dict[str, Any] | None:
    """The bases of the case's catalog entry and the lawful range of the chosen one (by default
    the basis its newest penalties cite, else the first)."""
    item = catalog_item(case)
    if item is None or not item.bases:
        return None
    bases = [b for b in item.bases if b.article]
    if not bases:
        return None
    basis = next((b for b in bases if b.citation == chosen), None)
    if basis is None:
        cited = [basis_of(item, p.basis) for p in reversed(case.penalties)]
        basis = next((b for b in cited if b is not None), bases[0])
    base = _base_amount(case, basis)
    try:
        rows = basis_ranges(item, basis, base, case_amounts=recorded_amounts(case))
    except CaseflowError as exc:
        rows = [{"kind": "—", "explanation": exc.message}]
    return {"bases": [b.citation for b in bases], "chosen": basis.citation, "text": basis.text,
            "base_amount": base, "rows": rows}


def penalty_kinds(case: Case, ranges: dict[str, Any] | None) -> tuple[str, ...]:
    """The kinds the 拟处罚 rows offer: the bureau's own measures of the chosen basis of the case's
    item (not another authority's, not all fifteen); every kind where the item names none."""
    item = catalog_item(case)
    basis = next((b for b in (item.bases if item else ()) if ranges and b.citation == ranges["chosen"]), None)
    kinds = tuple(dict.fromkeys(o.kind for o in (basis.own_options if basis else ()) if o.kind in KINDS))
    return kinds or step_forms.PENALTY_KINDS


def officer_panel(*, db_session: Session, viewer: Viewer, case: Case,
                  now: datetime) -> dict[str, Any] | None:
    """What the 局负责人's forms offer (更换承办人员, 回避申请的决定): the active officers, who may
    succeed them, the parties who may apply. None for anyone else, and once the case is closed."""
    if not viewer.holds(HEAD_POST) or case.closed_at is not None or case.archived_at is not None:
        return None
    return {
        "active": [{"username": o.user.username, "label": f"{o.user.full_name}（{o.role.label}）"}
                   for o in case.active_officers()],
        "candidates": [{"username": u.username, "label": u.full_name}
                       for u in successor_candidates(db_session=db_session, case=case, at=now)],
        "parties": [cp.party.name for cp in case.parties],
    }


def _with_delivery(rows: list[dict[str, Any]], case: Case) -> list[dict[str, Any]]:
    """Mark the current versions of the documents a step of the procedure serves (送达 to the
    party) once that step has served them: the page offers another service of those; never once
    the case is archived."""
    served = {dt for t in case_service.procedure_of(case).transitions for dt in t.serves}
    once = {(r["doc_type"], r["series"]) for r in rows if r["deliveries"]}  # its step served it
    for row in rows:
        row["deliverable"] = (case.archived_at is None and row["superseded_by"] is None
                              and row["doc_type"] in served and (row["doc_type"], row["series"]) in once)
    return rows


def _correctable(rows: list[dict[str, Any]], docs: list[Any]) -> list[dict[str, Any]]:
    """Each current document's fields a 更正 may change, with what it says now (its form)."""
    data = {d.id: d.data for d in docs}
    for row in rows:  # only the fields a correction may change are decoded, not the whole document
        row["correctable"] = [] if row["superseded_by"] else correction_fields(snapshot.decode(
            {k: v for k, v in data[row["id"]].items() if k in CORRECTABLE}))
    return rows


def _prefill(case: Case, actions: list[dict[str, Any]]) -> dict[str, str]:
    """What the case already records, to start the step forms that ask it again (提请立案 after
    新建案件, 调查终结 after 立案, 变更拟处罚意见): the officer edits rather than retypes. An input
    names what it starts from (`from_case`); only plain values (text, amounts, dates) are shown, and the
    party's arguments as rows (answered on 复核)."""
    out: dict[str, str] = {}
    for a in actions:
        for i in a["inputs"]:
            if i["type"] == ARGUMENTS_TYPE and i["from_case"]:  # the arguments recorded, to answer on 复核
                for key, value in argument_rows(case, i["name"]).items():
                    out.setdefault(key, value)
                continue
            value = getattr(case, i["from_case"], None) if i["from_case"] else None
            if isinstance(value, (str, int, Decimal, date)) and value != "":
                out.setdefault(i["name"], str(value))
    return out


def _with_evidence_options(actions: list[dict[str, Any]], items: list[dict[str, Any]]) -> None:
    """An `evidence_refs` input (据以认定事实的证据) offers the case's items in force to tick."""
    options = [{"seq": i["seq"], "title": i["title"], "kind": i["kind"]} for i in items if not i["withdrawn"]]
    for a in actions:
        a["inputs"] = [dict(i, options=options) if i["type"] == "evidence_refs" else i for i in a["inputs"]]


def evidence_panel(*, db_session: Session, viewer: Viewer, case: Case, proc: Any, library: Any,
                   now: datetime) -> dict[str, Any]:
    """证据材料: the items; whether the viewer may add to them now (the case collects evidence in
    its state and the viewer is one of its officers — the service checks it again); the
    登记证据 form's inputs and what it starts from (the case's officers, today)."""
    collecting = case.state in proc.evidence_states
    officer = viewer.id in {o.user_id for o in case.active_officers()}
    inputs = library.for_procedure(proc).rules.input_group(EVIDENCE_GROUP)
    return {
        "rows": evidence_listing(db_session, case),
        "collecting": collecting,
        "may_add": collecting and officer,
        "inputs": [input_row(i) for i in inputs],
        "prefill": {"collectors": case.officer_names, "collected_on": now.astimezone(SHANGHAI).date().isoformat()},
        "states": [proc.state_name(s) for s in proc.evidence_states],
        "max_file_mib": get_settings().evidence_max_file_mib,
    }


def _yuan_text(value: str | Decimal | None) -> str | None:
    """"12,345.60" for the page (the listing gives "12345.60"), None where there is no amount."""
    return f"{Decimal(value):,.2f}" if value is not None else None


def _violation_totals(case: Case) -> dict[str, Any] | None:
    """The 合计 of the violations in force: their amounts, 明细 rows and the fund's loss by 险种."""
    live = in_force(case)
    if not live:
        return None

    def total(key: str) -> str | None:
        present = [getattr(v, key) for v in live if getattr(v, key) is not None]
        return _yuan_text(sum(present, Decimal("0"))) if present else None

    rows = [r for v in live if v.itemised for r in detail_rows(v)]
    return {"count": len(live), "rows": len(rows), "involved": total("amount_involved"),
            "loss": total("amount_loss"), "fund_split": fund_split_text(totals(rows)) if rows else ""}


def violation_panel(*, viewer: Viewer, case: Case, proc: Any, library: Any) -> dict[str, Any] | None:
    """违法行为: the case's violations (withdrawn ones too, with the reason) and the 合计 of those in
    force; whether the viewer may register or withdraw one now (the case is investigated and the
    viewer is one of its officers — the service checks it again) and the conducts of the case's item
    to choose from. None where the item punishes no conduct (a 封存 case): the page has no section."""
    choices = conduct_choices(case)
    if not choices:
        return None
    collecting = case.state in proc.evidence_states
    officer = viewer.id in {o.user_id for o in case.active_officers()}
    inputs = library.for_procedure(proc).rules.input_group(VIOLATION_GROUP)
    rows = []
    for r in listing(case):
        withdrawn = r["withdrawn"]
        rows.append({**r, "involved_text": _yuan_text(r["amount_involved"]), "loss_text": _yuan_text(r["amount_loss"]),
                     "withdrawn": withdrawn and {"reason": withdrawn["reason"],
                                                 "at": local(datetime.fromisoformat(withdrawn["at"]))}})
    return {
        "rows": rows,
        "totals": _violation_totals(case),
        "collecting": collecting,
        "may_add": collecting and officer,
        "choices": [{"code": c.code, "name": c.name, "citation": c.citation} for c in choices],
        "inputs": [input_row(i) for i in inputs if i.name not in VIOLATION_OWN_WIDGETS],
        "states": [proc.state_name(s) for s in proc.evidence_states],
    }


# The amounts and period a step may type — for a case whose violations are registered one by one they
# are the totals of their 明细 (shown, not typed); its 明细 change by file (`details`) instead.
TYPED_FINDINGS = frozenset({"amount_involved", "amount_defrauded", "amount_loss", "violation_from", "violation_until"})


def _with_violation_options(actions: list[dict[str, Any]], case: Case) -> None:
    """A `penalties` input offers the case's registered violations, each penalty row naming its own;
    with violations registered the typed amounts give way to the 明细, without them the reverse."""
    found = registered(case)
    options = [{"seq": v.seq, "label": violation_label(v)} for v in found]
    listed = "；".join(o["label"] for o in options if any(v.seq == o["seq"] and v.itemised for v in found))
    for a in actions:
        itemised_step = any(i["type"] == "details" for i in a["inputs"])
        out = []
        for i in a["inputs"]:
            if i["type"] == "penalties":
                i = dict(i, violations=options)
            elif found and i["name"] in TYPED_FINDINGS:
                i = dict(i, fixed=True)
            elif itemised_step and i["name"] in ("violation", "details"):
                i = dict(i, fixed=not found, hint=f"本案：{listed}" if i["name"] == "violation" and listed else i.get("hint"))
            out.append(i)
        a["inputs"] = out


def casefile_volumes(db_session: Session, case: Case) -> list[str]:
    """The volumes an archived case's 案卷 has ("" when one): as bound, or as the agency binds."""
    if case.archived_at is None:
        return []
    bound = list(db_session.scalars(select(CaseFile.volume).where(CaseFile.case_id == case.id)
                                    .order_by(CaseFile.id)))
    if bound:
        return bound
    return ["正卷", "副卷"] if read_settings(case.agency.settings).casefile.two_volumes else [""]


def case_page(*, db_session: Session, viewer: Viewer, case_no: str, now: datetime,
              basis: str | None = None) -> dict[str, Any]:
    case = case_service.get_case(db_session=db_session, case_no=case_no,
                                 agency_id=viewer.agency_id, full=True)
    rows = deadline_service.for_case(db_session=db_session, case_id=case.id)  # read once, used twice
    detail = case_detail(db_session=db_session, case=case, at=now, deadlines=rows,
                         viewer=viewer.actor)  # type: ignore[arg-type]
    deadlines = []
    for d in rows:
        party = is_party_window(d.rule_code)
        deadlines.append({
            "name": d.name, **public_basis(d.basis), "started_at": d.started_at, "due": due_text(d.due_at, d.due_date),
            "status": status_label(d, now), "running": d.is_running, "provisional": d.provisional,
            "holder": holder_label(d.rule_code), "party": party,
            "countdown": countdown(d.due_at, now, party=party) if d.is_running else None,
            "due_at_iso": d.due_at.isoformat(), "reasoning": d.reasoning,
        })
    actions = detail["available_actions"]
    running = sorted((d for d in deadlines if d["running"] and not d["party"]), key=lambda d: d["due_at_iso"])
    next_limit = {"name": running[0]["name"], **running[0]["countdown"]} if running else None
    primary = (detail["next"] or {}).get("trigger") if (detail["next"] or {}).get("mine") else None
    arrival = next((e for e in reversed(detail["events"]) if e["from"] != e["to"]), None)
    library = get_library()
    proc = case_service.procedure_of(case, library)
    service_inputs = library.for_procedure(proc).rules.input_group(SERVICE_GROUP)
    ranges = lawful_ranges(case, basis)
    docs = documents_of(db_session=db_session, case_id=case.id)
    evidence = evidence_panel(db_session=db_session, viewer=viewer, case=case, proc=proc, library=library, now=now)
    _with_evidence_options(actions, evidence["rows"])
    _with_violation_options(actions, case)
    benchmark = benchmark_of(db_session, case)
    with_factor_options(actions, case, benchmark)
    return {
        "case": detail,
        "case_id": case.id,
        "facts": case.facts,
        "evidence": case.evidence,
        "source": case.source,
        "prefill": {**_prefill(case, actions), **prefill_of(case, actions)},
        "deadlines": deadlines,
        "documents": _correctable(_with_delivery(document_rows(docs), case), docs),
        "delivery_fields": [input_row(i) for i in service_inputs],
        "officer_panel": officer_panel(db_session=db_session, viewer=viewer, case=case, now=now),
        "archived": case.archived_at is not None,
        "next": detail["next"],
        # The opinion that brought the case here (a 退回's reasons, the reviewer's or the head's
        # opinion), shown beside the step that answers it.
        "arrival": arrival if arrival and arrival["opinion"] and arrival["to"] == case.state else None,
        "next_limit": next_limit,
        "action_primary": next((a for a in actions if a["trigger"] == primary), None),
        "actions_more": [a for a in actions if a["allowed"] and a["trigger"] != primary],
        "actions_other": [a for a in actions if not a["allowed"]],
        "ranges": ranges,
        "benchmark": benchmark_panel(case, benchmark),  # 裁量基准 of the case, beside the lawful ranges
        "discretion": discretion_view(case.discretion),
        "diagram": diagram.procedure_svg(case.procedure_code, case.procedure_version, case.state),
        "side_steps": diagram.side_steps(case.procedure_code, case.procedure_version),
        "penalty_kinds": penalty_kinds(case, ranges),
        "evidence_panel": evidence,
        "violation_panel": violation_panel(viewer=viewer, case=case, proc=proc, library=library),
        "file_review": file_review_listing(db_session, case),
        "casefile_volumes": casefile_volumes(db_session, case),
        "publication": publication_panel(db_session=db_session, case=case, actions=actions, deadlines=rows, now=now),
    }
