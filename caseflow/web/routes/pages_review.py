"""法制审核队列: cases of my agency in 法制审核, with their proposal, approved or returned in place
(the same step forms as the case page: approve_legal_review / return_from_legal_review)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from caseflow.cases.document_builders import REVIEW_POINTS
from caseflow.cases.evidence import evidence_by_case
from caseflow.documents.models import Document
from caseflow.cases.models import Case, CaseParty, PenaltyItem, PenaltyStage
from caseflow.cases.presenters import input_row
from caseflow.db.base import utcnow
from caseflow.db.session import unit_of_work
from caseflow.web.case_view import lawful_ranges
from caseflow.web.deps import EngineDep, ViewerDep
from caseflow.web.discretion_view import discretion_view
from caseflow.web.params import Offset
from caseflow.web.queries.case_list import row_columns, to_row
from caseflow.workflow.registry import get_library

router = APIRouter()
REVIEW_STATE = "legal_review"


@router.get("/review")
def review_queue(request: Request, viewer: ViewerDep, engine: EngineDep, offset: Offset = 0,
                 done: str = "", case: str = "") -> Response:
    now = utcnow()
    size = request.app.state.settings.page_size
    cols = row_columns()
    with unit_of_work(engine, write=False) as s:
        rows = list(s.execute(
            select(*cols).where(Case.agency_id == viewer.agency_id, Case.state == REVIEW_STATE)
            .order_by(cols[-1].is_(None), cols[-1], Case.id).offset(max(0, offset)).limit(size + 1)))
        ids = [r.id for r in rows[:size]]
        cases = {c.id: c for c in s.scalars(
            select(Case).where(Case.id.in_(ids)).options(
                selectinload(Case.penalties).selectinload(PenaltyItem.party),
                selectinload(Case.parties).selectinload(CaseParty.party)))}
        evidence = evidence_by_case(s, ids, include_withdrawn=False)
        lists = dict(s.execute(select(Document.case_id, Document.id).where(
            Document.case_id.in_(ids), Document.doc_type == "evidence_list").order_by(Document.id)).all())
        items = []
        for r in rows[:size]:
            c = cases[r.id]
            relied = set(c.relied_evidence or ())
            items.append({**to_row(r, now), "facts": c.facts, "evidence": c.evidence,
                          "evidence_items": [v for v in evidence.get(c.id, ()) if v.item.seq in relied],
                          "evidence_list_id": lists.get(c.id),
                          "parties": "、".join(cp.party.name for cp in c.parties),
                          "penalties": [p for p in c.penalties if p.stage is PenaltyStage.proposed],
                          "ranges": lawful_ranges(c, None),
                          "discretion": discretion_view(c.discretion)})
    points = [input_row(i) for i in get_library().rules.input_group(REVIEW_POINTS)]
    finished = None
    if done and case:  # back from a step taken on this page: say so, and where its 意见书 is
        names = {t.trigger: t.name for proc in get_library().procedures.values() for t in proc.transitions}
        if done in names:
            finished = {"step": names[done], "case_no": case[:60]}
    return request.app.state.templates.TemplateResponse(request, "review.html", {
        "points": points, "finished": finished,
        "viewer": viewer, "now": now, "page": "review", "items": items,
        "more": len(rows) > size, "offset": max(0, offset), "limit": size,
        "reviewer": viewer.holds("审查岗"),
    })
