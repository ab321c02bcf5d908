"""`/api/deadlines`, `/api/catalog/items`, `/api/legal-time/due`: what the supervisors and the
officers look up."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query

from caseflow.auth.permissions import require_supervisor
from caseflow.catalog.service import get_catalog
from caseflow.db.base import utcnow
from caseflow.db.session import unit_of_work
from caseflow.alerts.watch import watched_limits
from caseflow.holidays.service import calendar_for
from caseflow.workflow.calculator import calculate, parse_start
from caseflow.web.deps import EngineDep, ViewerDep

router = APIRouter()


@router.get("/deadlines", tags=["期限"])
def deadlines(viewer: ViewerDep, engine: EngineDep,
              status: Literal["overdue", "due_soon", "all"] = "all",
              limit: int = Query(200, ge=1, le=1000)) -> list[dict[str, Any]]:
    """本机关已逾期或即将到期的期限（24 小时期限在前，按届满先后）；仅局负责人和股长可查。"""
    require_supervisor(viewer.actor)
    with unit_of_work(engine, write=False) as s:
        rows = watched_limits(db_session=s, agency_id=viewer.agency_id, now=utcnow(), which=status,
                              limit=limit)
    return [{**r.as_dict(), "due_at": r.due_at.isoformat(),
             "due_date": r.due_date.isoformat() if r.due_date else None} for r in rows]


@router.get("/catalog/items", tags=["事项目录"])
def catalog_items(viewer: ViewerDep, q: str = Query("", description="名称包含或事项编号"),
                  all_agencies: bool = Query(False, description="true：含其他机关的事项")) -> list[dict[str, Any]]:
    """权责清单中的处罚与强制事项（默认只列本机关的）。"""
    items = get_catalog().search(q.strip(), agency=None if all_agencies else viewer.agency_name)
    return [{"key": i.key, "name": i.name, "agency": i.agency, "power_type": i.power_type,
             "procedure": i.procedure, "bases": [b.citation for b in i.bases if b.article]}
            for i in items]


@router.get("/legal-time/due", tags=["期限"])
def due(viewer: ViewerDep, engine: EngineDep,
        start: str = Query(..., description="起算时间，如 2026-09-30 或 2026-09-30 23:30（北京时间）"),
        period: str = Query(..., description="期间，如 7工作日、15日、24小时、6月，或期限规则代码"),
        law: str | None = Query(None, description="期间所在法律，如 行政强制法")) -> dict[str, object]:
    """期限计算器：届满时间及理由。"""
    with unit_of_work(engine, write=False) as s:
        calc = calculate(parse_start(start), period, calendar=calendar_for(db_session=s), law=law)
    return calc.as_dict()
