"""我的提醒: the signed-in user's alerts (unread first), marked read one by one or all at once
(POST forms, then back to the list)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from caseflow.alerts import inbox as alert_inbox
from caseflow.db.session import unit_of_work
from caseflow.web.deps import CsrfDep, EngineDep, ViewerDep
from caseflow.web.params import DB_INT_MAX, Offset, RowId

router = APIRouter()

VIEWS = ("all", "unread")


def _back(view: str, marked: int | None = None) -> str:
    query = [] if marked is None else [f"marked={marked}"]
    if view == "unread":
        query.append("view=unread")
    return "/alerts" + ("?" + "&".join(query) if query else "")


@router.get("/alerts")
def alerts(request: Request, viewer: ViewerDep, engine: EngineDep, view: str = "all",
           offset: Offset = 0, marked: Annotated[int | None, Query(ge=0, le=DB_INT_MAX)] = None) -> Response:
    view = view if view in VIEWS else "all"
    offset = max(0, offset)
    size = request.app.state.settings.page_size
    with unit_of_work(engine, write=False) as s:
        rows = alert_inbox.inbox(s, user_id=viewer.id, unread_only=view == "unread",
                                 limit=size + 1, offset=offset)
        unread = alert_inbox.unread_count(s, user_id=viewer.id)
    request.state.unread_alerts = unread  # the navigation badge needs no second query
    return request.app.state.templates.TemplateResponse(request, "alerts.html", {
        "viewer": viewer, "page": "alerts", "rows": rows[:size], "unread": unread, "view": view,
        "offset": offset, "limit": size, "more": len(rows) > size, "marked": marked,
    })


@router.post("/alerts/read-all", dependencies=[CsrfDep])
def read_all(viewer: ViewerDep, engine: EngineDep, view: str = Form("all")) -> Response:
    with unit_of_work(engine) as s:
        changed = alert_inbox.mark_read(s, user_id=viewer.id, recipient_ids=None)
    return RedirectResponse(_back(view, changed), status_code=303)


@router.post("/alerts/{recipient_id}/read", dependencies=[CsrfDep])
def read_one(recipient_id: RowId, viewer: ViewerDep, engine: EngineDep,
             view: str = Form("all")) -> Response:
    with unit_of_work(engine) as s:
        alert_inbox.mark_read(s, user_id=viewer.id, recipient_ids=[recipient_id])
    return RedirectResponse(_back(view), status_code=303)
