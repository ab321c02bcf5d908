"""新建案件: choose a catalog item (search by name within my agency), enter the party, pick officers."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from caseflow.catalog.service import get_catalog
from caseflow.db.session import unit_of_work
from caseflow.errors import CaseflowError
from caseflow.web.deps import CsrfDep, EngineDep, ViewerDep, Viewer
from caseflow.web.errors import body_of, status_of
from caseflow.web.new_case import create_case, officer_choices
from caseflow.web.routes.pages_case import case_url

router = APIRouter()


def _render(request: Request, engine: object, viewer: Viewer, *, q: str = "", item: str = "",
            values: dict[str, str] | None = None, error: dict | None = None, status: int = 200) -> Response:
    catalog = get_catalog()
    items = catalog.search(q.strip(), agency=viewer.agency_name)
    chosen = catalog.items.get(item) if item else None
    with unit_of_work(engine, write=False) as s:  # type: ignore[arg-type]
        people = officer_choices(db_session=s, agency_id=viewer.agency_id)
    return request.app.state.templates.TemplateResponse(request, "new_case.html", {
        "viewer": viewer, "page": "new", "q": q, "items": items, "chosen": chosen,
        "people": people, "values": values or {}, "error": error,
    }, status_code=status)


@router.get("/cases-new")
def new_case_form(request: Request, viewer: ViewerDep, engine: EngineDep, q: str = "",
                  item: str = "") -> Response:
    return _render(request, engine, viewer, q=q, item=item)


@router.post("/cases-new", dependencies=[CsrfDep])
async def new_case_submit(request: Request, viewer: ViewerDep, engine: EngineDep) -> Response:
    form = await request.form()
    v = {k: str(val).strip() for k, val in form.items() if k != "csrf_token"}
    kind = v.get("party_kind", "organisation")
    party = {"kind": kind, "name": v.get("party_name", ""), "address": v.get("party_address", ""),
             "phone": v.get("party_phone") or None, "name_change": v.get("party_name_change") or None}
    if kind == "organisation":
        party.update(uscc=v.get("party_uscc") or None,
                     legal_representative=v.get("party_legal_representative") or None)
    else:
        party.update(id_number=v.get("party_id_number") or None)
    officers = [(v.get("lead", ""), "lead"), (v.get("assistant", ""), "assistant")]
    try:
        with unit_of_work(engine) as s:
            case = create_case(db_session=s, viewer=viewer, item_key=v.get("item_key", ""),
                               title=v.get("title", ""), party=party, officers=officers,
                               source=v.get("source"))
            case_no = case.case_no
    except CaseflowError as exc:
        return _render(request, engine, viewer, item=v.get("item_key", ""), values=v,
                       error=body_of(exc), status=status_of(exc))
    return RedirectResponse(case_url(case_no, done="open_case"), status_code=303)
