"""案件详情 page and the forms that take a step on it (POST, then back to the page)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from caseflow.cases import service as case_service
from caseflow.db.base import utcnow
from caseflow.db.session import unit_of_work
from caseflow.errors import CaseflowError, NotFound
from caseflow.web.case_view import case_page
from caseflow.web.deps import CsrfDep, EngineDep, ViewerDep, Viewer
from caseflow.web.errors import body_of, status_of
from caseflow.web.step_forms import payload_from_form

router = APIRouter()


def case_url(case_no: str, **query: str) -> str:
    q = "&".join(f"{k}={quote(v)}" for k, v in query.items())
    return f"/cases/{quote(case_no)}" + (f"?{q}" if q else "")


def render(request: Request, engine: Any, viewer: Viewer, case_no: str, *, status: int = 200,
           basis: str | None = None, error: dict[str, Any] | None = None,
           failed: str | None = None, values: dict[str, str] | None = None) -> Response:
    with unit_of_work(engine, write=False) as s:
        ctx = case_page(db_session=s, viewer=viewer, case_no=case_no, now=utcnow(), basis=basis)
    done = request.query_params.get("done")
    done_name = next((e["step"] for e in reversed(ctx["case"]["events"]) if e["trigger"] == done), None)
    return request.app.state.templates.TemplateResponse(
        request, "case.html",
        {"viewer": viewer, **ctx, "error": error, "failed": failed, "values": values or {},
         "done": done_name, "page": "cases"},
        status_code=status,
    )


@router.get("/cases/{case_no}")
def show_case(request: Request, case_no: str, viewer: ViewerDep, engine: EngineDep,
              basis: str | None = None) -> Response:
    return render(request, engine, viewer, case_no, basis=basis)


@router.post("/cases/{case_no}/actions/{trigger}", dependencies=[CsrfDep])
async def take_step(request: Request, case_no: str, trigger: str, viewer: ViewerDep,
                    engine: EngineDep) -> Response:
    form = await request.form()
    opinion = str(form.get("opinion", "")).strip() or None
    raw_version = str(form.get("expected_version", "")).strip()
    back = str(form.get("back", "")).strip()
    try:
        payload = payload_from_form(trigger, form)
        with unit_of_work(engine) as s:
            result = case_service.fire(
                db_session=s, case_no=case_no, trigger=trigger, actor_id=viewer.id, payload=payload,
                opinion=opinion, expected_version=int(raw_version) if raw_version.isdigit() else None,
            )
            new_no = result.case.case_no
    except NotFound:
        raise
    except CaseflowError as exc:
        values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
        return render(request, engine, viewer, case_no, status=status_of(exc), error=body_of(exc),
                      failed=trigger, values=values)
    if back.startswith("/") and not back.startswith("//"):
        return RedirectResponse(back, status_code=303)
    return RedirectResponse(case_url(new_no, done=trigger), status_code=303)
