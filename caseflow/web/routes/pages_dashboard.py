"""监督看板: 24-hour limits first, overdue and due-soon limits grouped, cases by state, a monthly chart,
and how the 裁量基准 was applied (tiers and multiples per basis)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from caseflow.alerts.recipients import SECTION_HEAD_POST
from caseflow.auth.permissions import require_supervisor
from caseflow.db.base import utcnow
from caseflow.db.session import unit_of_work
from caseflow.web.chart import months_chart
from caseflow.web.deps import EngineDep, ViewerDep
from caseflow.web.queries.dashboard import board
from caseflow.web.queries.discretion_stats import discretion_spread, tier_columns

router = APIRouter()


@router.get("/dashboard")
def dashboard(request: Request, viewer: ViewerDep, engine: EngineDep, scope: str = "") -> Response:
    """A 股长 sees their own 股室's limits by default, the whole bureau one click away; the 局负责人
    the whole bureau."""
    require_supervisor(viewer.actor)
    own = next((p.section_name for p in viewer.actor.posts if p.post == SECTION_HEAD_POST and p.section_name), None)
    section = own if own and scope != "all" else None
    now = utcnow()
    with unit_of_work(engine, write=False) as s:
        data = board(db_session=s, agency_id=viewer.agency_id, now=now, section=section)
        spread = discretion_spread(db_session=s, agency_id=viewer.agency_id)  # the whole bureau's
    return request.app.state.templates.TemplateResponse(request, "dashboard.html", {
        "viewer": viewer, "now": now, "page": "dashboard", **data, "section": section, "own_section": own,
        "chart": months_chart(data["months"]),
        "spread": spread, "spread_tiers": tier_columns(spread),
    })
