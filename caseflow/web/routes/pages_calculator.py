"""期限计算器: start + period (text or rule code) [+ law] → due moment with its reasoning."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from caseflow.db.session import unit_of_work
from caseflow.errors import CaseflowError
from caseflow.holidays.service import calendar_for
from caseflow.workflow.calculator import calculate, parse_start
from caseflow.web.deps import EngineDep, ViewerDep
from caseflow.web.errors import body_of, status_of
from caseflow.workflow.registry import get_library

router = APIRouter()


@router.get("/legal-time")
def calculator(request: Request, viewer: ViewerDep, engine: EngineDep, start: str = "",
               period: str = "", law: str = "") -> Response:
    result, error, status = None, None, 200
    if start or period:
        try:
            with unit_of_work(engine, write=False) as s:
                calc = calculate(parse_start(start), period, calendar=calendar_for(db_session=s),
                                 law=law or None)
            result = {**calc.as_dict(), "due_at_obj": calc.result.due_at,
                      "due_date_obj": calc.result.due_date}
        except CaseflowError as exc:
            error, status = body_of(exc), status_of(exc)
    rules = sorted(((c, r.name) for c, r in get_library().deadlines.items()), key=lambda x: x[1])
    return request.app.state.templates.TemplateResponse(request, "calculator.html", {
        "viewer": viewer, "page": "calculator", "start": start, "period": period, "law": law,
        "result": result, "error": error, "rules": rules,
    }, status_code=status)
