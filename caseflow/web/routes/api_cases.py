"""`/api/cases`: list (filters, pages), register, read one, take a step (and render the PDFs of the
documents it issued once the response has been sent); replace an officer, decide a 回避申请."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, BackgroundTasks, Query
from fastapi.responses import Response

from caseflow.cases import officers as officer_service
from caseflow.cases import service as case_service
from caseflow.cases.drafts import draft_documents
from caseflow.cases.presenters import case_detail, officer_listing
from caseflow.db.base import utcnow
from caseflow.db.session import unit_of_work
from caseflow.web.deps import CsrfDep, EngineDep, ViewerDep
from caseflow.web.documents import draft_pdf, issued_by_step, render_after_response
from caseflow.web.new_case import create_case
from caseflow.web.queries.case_list import CaseFilter, list_cases
from caseflow.web.schemas import (
    CaseIn,
    CasePage,
    CaseRow,
    OfficerReplaceIn,
    OfficersOut,
    RecusalIn,
    TransitionIn,
    TransitionOut,
)
from caseflow.web.params import Offset
from caseflow.workflow.registry import get_library

router = APIRouter(prefix="/cases", tags=["案件"])

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "案件不存在或不属于本机关"},
    409: {"description": "规则拒绝（code 为规则代码）或案件已被他人修改（须刷新）"},
    422: {"description": "填写有误（details 逐项说明）"},
}


@router.get("", response_model=CasePage)
def cases(viewer: ViewerDep, engine: EngineDep, state: str | None = None,
          item: str | None = Query(None, description="事项编号"),
          officer: str | None = Query(None, description="承办/协办人员的用户名"),
          overdue: bool | None = Query(None, description="true：有逾期期限"),
          q: str | None = Query(None, max_length=100,
                                description="案号（可用半角括号）、案由，或当事人名称、统一社会信用代码、身份证号、法定代表人"),
          offset: Offset = 0, limit: int = Query(50, ge=1, le=200)) -> CasePage:
    """本机关的案件，新登记的在前。"""
    now = utcnow()
    with unit_of_work(engine, write=False) as s:
        total, rows = list_cases(db_session=s, agency_id=viewer.agency_id, now=now,
                                 f=CaseFilter(state=state, item_key=item, officer=officer, overdue=overdue, text=q),
                                 offset=offset, limit=limit)
    return CasePage(total=total, offset=offset, limit=limit,
                    items=[CaseRow(**{k: v for k, v in r.items() if k != "next_due"}) for r in rows])


@router.post("", status_code=201, dependencies=[CsrfDep], responses=ERRORS)
def register(body: CaseIn, viewer: ViewerDep, engine: EngineDep) -> dict[str, Any]:
    """登记案件（线索登记 / 拟封存）：当事人信息经校验，承办人员须为本机关人员。"""
    with unit_of_work(engine) as s:
        case = create_case(db_session=s, viewer=viewer, item_key=body.item_key, title=body.title,
                           party=body.party.model_dump(), source=body.source,
                           officers=[(o.username, o.role) for o in body.officers])
        proc = get_library().procedure(case.procedure_code, case.procedure_version)
        return {"case_no": case.case_no, "state": case.state, "state_name": proc.state_name(case.state),
                "version": case.version}


@router.get("/{case_no}", responses=ERRORS)
def case(case_no: str, viewer: ViewerDep, engine: EngineDep) -> dict[str, Any]:
    """案件详情：当事人、承办人员、金额、处罚、期限、办理记录、当前可办理的步骤（对本人是否可办及原因）。"""
    with unit_of_work(engine, write=False) as s:
        c = case_service.get_case(db_session=s, case_no=case_no, agency_id=viewer.agency_id, full=True)
        return case_detail(db_session=s, case=c, viewer=viewer.actor)  # type: ignore[arg-type]


@router.post("/{case_no}/transitions/{trigger}", response_model=TransitionOut,
             dependencies=[CsrfDep], responses=ERRORS)
def transition(case_no: str, trigger: str, body: TransitionIn, viewer: ViewerDep,
               engine: EngineDep, background: BackgroundTasks) -> TransitionOut:
    """以当前登录用户身份办理一个步骤。办理人记为登录用户。返回本步骤出具的文书；其 PDF 在响应发出后生成。"""
    with unit_of_work(engine) as s:
        result = case_service.fire(db_session=s, case_no=case_no, trigger=trigger, actor_id=viewer.id,
                                   payload=body.payload, opinion=body.opinion,
                                   expected_version=body.expected_version)
        c, e = result.case, result.event
        proc = get_library().procedure(c.procedure_code, c.procedure_version)
        out = TransitionOut(case_no=c.case_no, state=c.state, state_name=proc.state_name(c.state),
                            version=c.version, event_seq=e.seq, step=e.trigger_name,
                            linked_case_no=(e.payload or {}).get("linked_case_no"),
                            documents=issued_by_step(s, case_id=c.id, event_seq=e.seq))
        case_id = c.id
    render_after_response(background, engine, case_id)
    return out


@router.post("/{case_no}/transitions/{trigger}/draft", dependencies=[CsrfDep], responses={
    **ERRORS, 200: {"content": {"application/pdf": {}}, "description": "本步骤将出具的文书草稿（PDF）"}},
    response_class=Response)
def draft(case_no: str, trigger: str, body: TransitionIn, viewer: ViewerDep, engine: EngineDep) -> Response:
    """预览本步骤将出具的文书草稿（标注“草稿”、无文号；送达回证留空待签）：按所填内容演练该步骤后撤销，不留任何记录。"""
    drafts = draft_documents(engine=engine, case_no=case_no, trigger=trigger, actor_id=viewer.id,
                             payload=body.payload, opinion=body.opinion)
    return draft_pdf(drafts)


@router.post("/{case_no}/officers/replace", response_model=OfficersOut, dependencies=[CsrfDep],
             responses=ERRORS)
def replace_officer(case_no: str, body: OfficerReplaceIn, viewer: ViewerDep,
                    engine: EngineDep) -> dict[str, Any]:
    """更换承办人员：须由局负责人决定；接替人员担任同一角色，须为本机关持有效执法证、未申报回避的人员。
    不指定接替人员时，其余在办人员须不少于两人且含承办人（《行政处罚法》第四十二条）。"""
    with unit_of_work(engine) as s:
        change = officer_service.replace_officer(
            db_session=s, case_no=case_no, actor_id=viewer.id, remove=body.remove, add=body.add,
            reason=body.reason, expected_version=body.expected_version)
        return officer_listing(db_session=s, case=change.case, event_seq=change.event_seq)


@router.post("/{case_no}/recusals", response_model=OfficersOut, dependencies=[CsrfDep], responses=ERRORS)
def decide_recusal(case_no: str, body: RecusalIn, viewer: ViewerDep, engine: EngineDep) -> dict[str, Any]:
    """记录局负责人对当事人回避申请的决定（《行政处罚法》第四十三条）。准予回避：该人员调离本案、
    不得再办理该当事人的案件，并由接替人员担任同一角色；驳回：只记入办理记录。决定作出之前不停止调查。"""
    with unit_of_work(engine) as s:
        change = officer_service.decide_recusal_application(
            db_session=s, case_no=case_no, actor_id=viewer.id, officer=body.officer,
            applicant=body.applicant, granted=body.decision == "granted", reason=body.reason,
            replacement=body.replacement, expected_version=body.expected_version)
        return officer_listing(db_session=s, case=change.case, event_seq=change.event_seq)
