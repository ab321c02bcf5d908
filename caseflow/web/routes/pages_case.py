"""案件详情 page and the forms on it (POST, then back to the page): take a step, correct a document or
serve it again, and — for the 局负责人 — replace an officer or decide a 回避申请. A refused form comes
back in place with its message; the PDFs a form issues are rendered after the response is sent.
Opening the page reads the viewer's own unread alerts of the case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from caseflow.alerts.inbox import mark_read, unread_count, unread_of_case
from caseflow.cases import officers as officer_service
from caseflow.cases import service as case_service
from caseflow.cases.document_acts import deliver_document, reissue_document
from caseflow.cases.drafts import draft_documents
from caseflow.cases.models import Case
from caseflow.db.base import utcnow
from caseflow.db.session import unit_of_work
from caseflow.documents import snapshot
from caseflow.documents.service import get_document
from caseflow.errors import CaseflowError, InvalidInput, NotFound
from caseflow.web.case_view import case_page
from caseflow.web.correction_form import corrections_from_form
from caseflow.web.deps import CsrfDep, EngineDep, Viewer, ViewerDep
from caseflow.web.documents import draft_pdf, render_after_response
from caseflow.web.errors import body_of, status_of
from caseflow.web.params import RowId
from caseflow.web.step_forms import payload_from_form

router = APIRouter()


def case_url(case_no: str, **query: str) -> str:
    q = "&".join(f"{k}={quote(v)}" for k, v in query.items())
    return f"/cases/{quote(case_no)}" + (f"?{q}" if q else "")


def render(request: Request, engine: Any, viewer: Viewer, case_no: str, *, status: int = 200,
           basis: str | None = None, error: dict[str, Any] | None = None,
           failed: str | None = None, values: dict[str, str] | None = None,
           read_alerts: bool = False) -> Response:
    with unit_of_work(engine, write=False) as s:
        ctx = case_page(db_session=s, viewer=viewer, case_no=case_no, now=utcnow(), basis=basis)
        unread = unread_of_case(s, user_id=viewer.id, case_id=ctx["case_id"]) if read_alerts else []
        if not unread:  # the 「提醒」 badge, counted in this transaction (the template asks for it)
            request.state.unread_alerts = unread_count(s, user_id=viewer.id)
    if unread:  # a write only when there is something to mark: most views take no write lock
        with unit_of_work(engine) as s:
            mark_read(s, user_id=viewer.id, recipient_ids=unread)
            request.state.unread_alerts = unread_count(s, user_id=viewer.id)
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
    return render(request, engine, viewer, case_no, basis=basis, read_alerts=True)


@router.post("/cases/{case_no}/actions/{trigger}", dependencies=[CsrfDep])
async def take_step(request: Request, case_no: str, trigger: str, viewer: ViewerDep,
                    engine: EngineDep, background: BackgroundTasks) -> Response:
    form = await request.form()  # async only to read the form; the step runs in the threadpool

    def run(s: Any) -> tuple[int, str]:
        result = case_service.fire(
            db_session=s, case_no=case_no, trigger=trigger, actor_id=viewer.id, payload=payload_from_form(form, spreadsheets=True),
            opinion=str(form.get("opinion", "")).strip() or None, expected_version=_version(form),
        )
        return result.case.id, trigger

    return await run_in_threadpool(_submit, request, engine, viewer, case_no, form, failed=trigger, run=run,
                                   anchor="", background=background, back=str(form.get("back", "")).strip())


@router.post("/cases/{case_no}/actions/{trigger}/draft", dependencies=[CsrfDep])
async def draft_step(request: Request, case_no: str, trigger: str, viewer: ViewerDep, engine: EngineDep) -> Response:
    """预览草稿: the documents the step would issue with the values typed so far, as one printable
    PDF; nothing is kept. A refusal shows the page with it, like the step itself."""
    form = await request.form()

    def draft() -> Response:
        try:
            drafts = draft_documents(engine=engine, case_no=case_no, trigger=trigger, actor_id=viewer.id,
                                     payload=payload_from_form(form, spreadsheets=True),
                                     opinion=str(form.get("opinion", "")).strip() or None)
        except NotFound:
            raise
        except CaseflowError as exc:
            return render(request, engine, viewer, case_no, status=status_of(exc), error=body_of(exc),
                          failed=trigger, values=_values(form))
        return draft_pdf(drafts)

    return await run_in_threadpool(draft)


def _values(form: Any) -> dict[str, str]:
    return {k: str(v) for k, v in form.items() if k != "csrf_token"}


def _version(form: Any) -> int | None:
    raw = str(form.get("expected_version", "")).strip()
    return int(raw) if raw.isdigit() else None


def _submit(request: Request, engine: Any, viewer: Viewer, case_no: str, form: Any, *, failed: str,
            run: Callable[[Any], tuple[int, str]], anchor: str,
            background: BackgroundTasks | None = None, back: str = "") -> Response:
    """Run a form's service call in one unit of work (`run` returns the case's id and the trigger
    of its audit event); back to the page at `anchor` (or to `back`, a path of this site), or the
    page again with the refusal in place."""
    try:
        with unit_of_work(engine) as s:
            case_id, trigger = run(s)
            new_no = s.scalar(select(Case.case_no).where(Case.id == case_id)) or case_no
    except NotFound:
        raise
    except CaseflowError as exc:
        return render(request, engine, viewer, case_no, status=status_of(exc), error=body_of(exc),
                      failed=failed, values=_values(form))
    if background is not None:
        render_after_response(background, engine, case_id)
    if back.startswith("/") and back[1:2] not in ("/", "\\") and "\n" not in back:  # this site only
        joiner = "&" if "?" in back else "?"
        return RedirectResponse(f"{back}{joiner}done={quote(trigger)}&case={quote(new_no)}", status_code=303)
    return RedirectResponse(case_url(new_no, done=trigger) + anchor, status_code=303)


@router.post("/cases/{case_no}/documents/{document_id}/reissue", dependencies=[CsrfDep])
async def reissue(request: Request, case_no: str, document_id: RowId, viewer: ViewerDep, engine: EngineDep,
                  background: BackgroundTasks) -> Response:
    """更正 from the case page's 执法文书 table: the document's correctable fields as a form."""
    form = await request.form()  # async only to read the form; the service runs in the threadpool

    def run(s: Any) -> tuple[int, str]:
        current = get_document(db_session=s, document_id=document_id, agency_id=viewer.agency_id)
        corrections = corrections_from_form(snapshot.decode(current.data), form)
        doc = reissue_document(db_session=s, document_id=document_id, actor_id=viewer.id,
                               reason=str(form.get("reason", "")), corrections=corrections)
        return doc.case_id, "reissue_document"

    return await run_in_threadpool(_submit, request, engine, viewer, case_no, form,
                                   failed=f"reissue:{document_id}", run=run, anchor="#documents",
                                   background=background)


@router.post("/cases/{case_no}/documents/{document_id}/deliveries", dependencies=[CsrfDep])
async def deliver(request: Request, case_no: str, document_id: RowId, viewer: ViewerDep, engine: EngineDep,
                  background: BackgroundTasks) -> Response:
    """再次送达 from the 执法文书 table, with its 送达回证 (rendered after the response)."""
    form = await request.form()  # async only to read the form; the service runs in the threadpool

    def run(s: Any) -> tuple[int, str]:
        payload = payload_from_form(form)
        d = deliver_document(db_session=s, document_id=document_id, actor_id=viewer.id, payload=payload)
        return d.case_id, "deliver_document"

    return await run_in_threadpool(_submit, request, engine, viewer, case_no, form,
                                   failed=f"deliver:{document_id}", run=run, anchor="#documents",
                                   background=background)


@router.post("/cases/{case_no}/officers/replace", dependencies=[CsrfDep])
async def replace_officer(request: Request, case_no: str, viewer: ViewerDep, engine: EngineDep) -> Response:
    """更换承办人员 (局负责人) from the 承办人员 section."""
    form = await request.form()

    def run(s: Any) -> tuple[int, str]:
        change = officer_service.replace_officer(
            db_session=s, case_no=case_no, actor_id=viewer.id, remove=str(form.get("remove", "")),
            add=str(form.get("add", "")) or None, reason=str(form.get("reason", "")),
            expected_version=_version(form))
        return change.case.id, officer_service.REPLACE

    return await run_in_threadpool(_submit, request, engine, viewer, case_no, form,
                                   failed="officers:replace", run=run, anchor="#officers")


@router.post("/cases/{case_no}/recusals", dependencies=[CsrfDep])
async def decide_recusal(request: Request, case_no: str, viewer: ViewerDep, engine: EngineDep) -> Response:
    """回避申请的决定 (局负责人) from the 承办人员 section."""
    form = await request.form()

    def run(s: Any) -> tuple[int, str]:
        decision = str(form.get("decision", ""))
        if decision not in ("granted", "refused"):
            raise InvalidInput("请选择准予回避或驳回申请。", details={"decision": "请选择"})
        change = officer_service.decide_recusal_application(
            db_session=s, case_no=case_no, actor_id=viewer.id, officer=str(form.get("officer", "")),
            applicant=str(form.get("applicant", "")), granted=decision == "granted",
            reason=str(form.get("reason", "")), replacement=str(form.get("replacement", "")) or None,
            expected_version=_version(form))
        return change.case.id, officer_service.RECUSAL

    return await run_in_threadpool(_submit, request, engine, viewer, case_no, form,
                                   failed="officers:recusal", run=run, anchor="#officers")
