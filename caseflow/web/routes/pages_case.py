"""案件详情 page and the forms that take a step or correct a document on it (POST, then back to
the page). The PDFs a step or a correction issues are rendered after the response is sent."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from caseflow.cases import service as case_service
from caseflow.cases.document_steps import reissue_document
from caseflow.cases.models import Case
from caseflow.db.base import utcnow
from caseflow.db.session import unit_of_work
from caseflow.errors import CaseflowError, NotFound
from caseflow.web.case_view import case_page
from caseflow.web.deps import CsrfDep, EngineDep, ViewerDep, Viewer
from caseflow.web.documents import render_after_response
from caseflow.web.errors import body_of, status_of
from caseflow.web.step_forms import json_object, payload_from_form

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
                    engine: EngineDep, background: BackgroundTasks) -> Response:
    form = await request.form()  # async only to read the form; the step runs in the threadpool
    opinion = str(form.get("opinion", "")).strip() or None
    raw_version = str(form.get("expected_version", "")).strip()
    back = str(form.get("back", "")).strip()

    def step() -> tuple[str, int]:
        payload = payload_from_form(trigger, form)
        with unit_of_work(engine) as s:
            result = case_service.fire(
                db_session=s, case_no=case_no, trigger=trigger, actor_id=viewer.id, payload=payload,
                opinion=opinion, expected_version=int(raw_version) if raw_version.isdigit() else None,
            )
            return result.case.case_no, result.case.id

    try:
        new_no, case_id = await run_in_threadpool(step)
    except NotFound:
        raise
    except CaseflowError as exc:
        values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
        return await run_in_threadpool(
            render, request, engine, viewer, case_no, status=status_of(exc), error=body_of(exc),
            failed=trigger, values=values)
    render_after_response(background, engine, case_id)
    if back.startswith("/") and not back.startswith("//"):
        return RedirectResponse(back, status_code=303)
    return RedirectResponse(case_url(new_no, done=trigger), status_code=303)


def parse_corrections(raw: str) -> dict[str, Any]:
    """The form's 更正内容 (JSON object, optional) as the service takes it."""
    return json_object(raw, field="corrections", label="更正内容")


@router.post("/cases/{case_no}/documents/{document_id}/reissue", dependencies=[CsrfDep])
def reissue(request: Request, case_no: str, document_id: int, viewer: ViewerDep, engine: EngineDep,
            background: BackgroundTasks, reason: str = Form(""),
            corrections: str = Form("")) -> Response:
    """更正 from the case page's 执法文书 table: a plain `def`, so it runs in the threadpool."""
    try:
        with unit_of_work(engine) as s:
            doc = reissue_document(db_session=s, document_id=document_id, actor_id=viewer.id,
                                   reason=reason, corrections=parse_corrections(corrections))
            case_id = doc.case_id
            new_no = s.scalar(select(Case.case_no).where(Case.id == case_id))
    except NotFound:
        raise
    except CaseflowError as exc:
        return render(request, engine, viewer, case_no, status=status_of(exc), error=body_of(exc),
                      failed=f"reissue:{document_id}",
                      values={"reason": reason, "corrections": corrections})
    render_after_response(background, engine, case_id)
    return RedirectResponse(case_url(new_no, done="reissue_document") + "#documents", status_code=303)
