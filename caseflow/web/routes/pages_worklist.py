"""我的待办 (the start page) and 案件查询 (all cases of my agency, filtered and paginated, and exported
to Excel)."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from caseflow.db.base import utcnow
from caseflow.db.session import unit_of_work
from caseflow.legal_time import SHANGHAI
from caseflow.web.deps import EngineDep, ViewerDep
from caseflow.web.exports import cases_xlsx
from caseflow.web.params import Offset
from caseflow.web.queries.case_list import CaseFilter, list_cases, state_choices
from caseflow.web.queries.worklist import worklist

router = APIRouter()


TABS = {"todo": "待办", "mine": "我经办的", "done": "已办结"}


@router.get("/")
def my_worklist(request: Request, viewer: ViewerDep, engine: EngineDep, tab: str = "todo",
                item: str = "", state: str = "", overdue: str = "", offset: Offset = 0) -> Response:
    """我的待办 and its tabs: 待办 (steps that wait for me), 我经办的 (open cases I am on or acted in),
    已办结 (those that ended)."""
    now = utcnow()
    size = request.app.state.settings.page_size
    tab = tab if tab in TABS else "todo"
    narrow = _filter(state, item, "", overdue, "")
    with unit_of_work(engine, write=False) as s:
        if tab == "todo":
            data = worklist(db_session=s, actor=viewer.actor, now=now, offset=max(0, offset), limit=size, f=narrow)
        else:
            total, rows = list_cases(db_session=s, agency_id=viewer.agency_id, now=now, offset=max(0, offset),
                                     limit=size, f=replace(narrow, involving=viewer.id, finished=tab == "done"))
            data = {"rows": rows, "total": total, "offset": max(0, offset), "limit": size,
                    "more": offset + size < total}
    return request.app.state.templates.TemplateResponse(
        request, "worklist.html", {"viewer": viewer, "now": now, "page": "worklist", "tab": tab, "tabs": TABS,
                                   "states": state_choices(), "f": {"item": item, "state": state, "overdue": overdue},
                                   **data})


EXPORT_LIMIT = 10000  # rows in one Excel export


def _filter(state: str, item: str, officer: str, overdue: str, q: str) -> CaseFilter:
    return CaseFilter(state=state or None, item_key=item or None, officer=officer or None,
                      overdue={"1": True, "0": False}.get(overdue), text=q or None)


@router.get("/cases")
def case_search(request: Request, viewer: ViewerDep, engine: EngineDep, state: str = "",
                item: str = "", officer: str = "", overdue: str = "", q: str = "",
                offset: Offset = 0) -> Response:
    now = utcnow()
    size = request.app.state.settings.page_size
    with unit_of_work(engine, write=False) as s:
        total, rows = list_cases(db_session=s, agency_id=viewer.agency_id, now=now,
                                 f=_filter(state, item, officer, overdue, q), offset=max(0, offset), limit=size)
    return request.app.state.templates.TemplateResponse(request, "cases.html", {
        "viewer": viewer, "now": now, "page": "cases", "rows": rows, "total": total,
        "offset": max(0, offset), "limit": size, "states": state_choices(),
        "f": {"state": state, "item": item, "officer": officer, "overdue": overdue, "q": q},
    })


@router.get("/cases.xlsx")
def case_export(viewer: ViewerDep, engine: EngineDep, state: str = "", item: str = "", officer: str = "",
                overdue: str = "", q: str = "") -> Response:
    """The search's result list as an Excel workbook (all pages, up to EXPORT_LIMIT rows)."""
    now = utcnow()
    with unit_of_work(engine, write=False) as s:
        _, rows = list_cases(db_session=s, agency_id=viewer.agency_id, now=now,
                             f=_filter(state, item, officer, overdue, q), limit=EXPORT_LIMIT)
    name = quote(f"案件查询{now.astimezone(SHANGHAI):%Y%m%d}.xlsx", safe="")
    return Response(cases_xlsx(rows, title="案件查询"), headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{name}", "Cache-Control": "no-store"},
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
