"""`caseflow case …`: look at cases, take steps on them, list, replace and recuse their officers."""

from __future__ import annotations

from typing import Any

import typer

from caseflow.cli.lazy import default_engine, get_user_by_username, unit_of_work
from caseflow.cli.output import emit, json_object, reported_errors

app = typer.Typer(help="案件查询与办理。", no_args_is_help=True)


@app.command("show")
def show(
    case_no: str = typer.Argument(..., help="案号，如 栾医保罚案〔2026〕1号（方括号亦可）或案件ID"),
    as_user: str = typer.Option(None, "--as", help="以该用户身份查看可办理的步骤"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """显示案件：状态、当事人、承办人员、办理记录、期限、当前可办理的步骤及办理人。"""
    from caseflow.cases.lookup import get_case
    from caseflow.cases.presenters import case_detail, render_case

    with reported_errors(as_json), unit_of_work(write=False) as s:
        case = get_case(db_session=s, case_no=case_no, full=True)
        viewer = get_user_by_username(db_session=s, username=as_user) if as_user else None
        detail = case_detail(db_session=s, case=case, viewer=viewer)
    emit(detail, as_json, render_case)


@app.command("list")
def list_cases(
    state: str = typer.Option(None, help="按状态代码筛选"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """列出案件。"""
    from sqlalchemy import select

    from caseflow.cases.models import Case
    from caseflow.documents.presenters import local
    from caseflow.workflow.registry import get_library

    library = get_library()
    with unit_of_work(write=False) as s:
        stmt = select(Case).order_by(Case.id)
        if state:
            stmt = stmt.where(Case.state == state)
        rows: list[dict[str, Any]] = []
        for c in s.scalars(stmt):
            proc = library.procedure(c.procedure_code, c.procedure_version)
            rows.append({"case_no": c.case_no, "title": c.title, "procedure": proc.name,
                         "state": c.state, "state_name": proc.state_name(c.state),
                         "opened_at": local(c.opened_at), "version": c.version})
    emit(rows, as_json, lambda rs: "\n".join(
        f"{r['case_no']}  {r['state_name']:<12}  {r['title']}" for r in rs) or "（无案件）")


@app.command("fire")
def fire(
    case_no: str = typer.Argument(..., help="案号"),
    trigger: str = typer.Argument(..., help="步骤代码，如 approve_filing（见 case show）"),
    as_user: str = typer.Option(..., "--as", help="办理人用户名"),
    opinion: str = typer.Option(None, help="意见或理由"),
    payload: str = typer.Option("{}", help="步骤数据（JSON）"),
    expected_version: int = typer.Option(None, "--version", help="您看到的案件版本（防止并发覆盖）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """以某用户身份办理案件的一个步骤。"""
    from caseflow.cases import service as case_service

    with reported_errors(as_json):
        data = json_object(payload, field="payload", what="步骤数据")
        with unit_of_work() as s:
            actor = get_user_by_username(db_session=s, username=as_user)
            result = case_service.fire(
                db_session=s, case_no=case_no, trigger=trigger, actor_id=actor.id, payload=data,
                opinion=opinion, expected_version=expected_version,
            )
            out = {"case_no": result.case.case_no, "state": result.case.state,
                   "event_seq": result.event.seq, "step": result.event.trigger_name}
            case_id = result.case.id
        # The step's documents are committed with it; their PDFs are rendered now, outside the
        # transaction (the scheduler retries any that a crash leaves pending).
        from caseflow.documents.service import documents_of, render_pending

        render_pending(default_engine(), case_id=case_id)
        if trigger == "archive":  # 归档: the 案卷 is bound now, after the commit
            from caseflow.casefile.service import bind_pending

            bind_pending(default_engine(), case_id=case_id)
        with unit_of_work(default_engine(), write=False) as s:
            out["documents"] = [{"id": d.id, "title": d.title, "doc_no": d.doc_no, "status": d.status.value}
                                for d in documents_of(db_session=s, case_id=case_id)
                                if d.event_seq == out["event_seq"]]
    emit(out, as_json, lambda o: f"{o['case_no']}：已办理「{o['step']}」，当前状态 {o['state']}。" + "".join(
        f"\n  出具《{d['title']}》{d['doc_no'] or ''}（文书编号{d['id']}）" for d in o["documents"]))


# ── 承办人员：更换、回避 ─────────────────────────────────────────────────
def _officers_text(out: dict[str, Any]) -> str:
    lines = [f"{out['case_no']} 的承办人员：" if "event_seq" not in out
             else f"{out['case_no']}：已办理「{out['step']}」。现承办人员："]
    for o in out["officers"]:
        if o["removed"]:
            lines.append(f"  （已调离）{o['name']}（{o['role']}，{o['username']}）{o['removed_at']}"
                         + (f"  {o['removed_reason']}" if o["removed_reason"] else ""))
        else:
            lines.append(f"  {o['name']}（{o['role']}，{o['username']}，执法证"
                         f"{'/'.join(o['credentials']) or '无'}）自 {o['assigned_at']}")
    return "\n".join(lines)


@app.command("officers")
def officers(
    case_no: str = typer.Argument(..., help="案号"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """列出案件的承办人员：在办的，以及已调离的（何时、为何）。"""
    from caseflow.cases.lookup import get_case
    from caseflow.cases.presenters import officer_listing

    with reported_errors(as_json), unit_of_work(write=False) as s:
        case = get_case(db_session=s, case_no=case_no, full=True)
        out = officer_listing(db_session=s, case=case)
    emit(out, as_json, _officers_text)


@app.command("replace-officer")
def replace_officer(
    case_no: str = typer.Argument(..., help="案号"),
    as_user: str = typer.Option(..., "--as", help="办理人用户名（须为局负责人）"),
    remove: str = typer.Option(..., "--remove", help="被更换的承办人员用户名"),
    add: str = typer.Option(None, "--add", help="接替人员用户名（同一角色；其余在办人员不少于两人时可不指定）"),
    reason: str = typer.Option(..., help="更换理由"),
    expected_version: int = typer.Option(None, "--version", help="您看到的案件版本（防止并发覆盖）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """更换承办人员（局负责人；执法人员不得少于两人，《行政处罚法》第四十二条）。"""
    from caseflow.cases.officers import replace_officer as replace
    from caseflow.cases.presenters import officer_listing

    with reported_errors(as_json), unit_of_work() as s:
        actor = get_user_by_username(db_session=s, username=as_user)
        change = replace(db_session=s, case_no=case_no, actor_id=actor.id, remove=remove, add=add,
                         reason=reason, expected_version=expected_version)
        out = officer_listing(db_session=s, case=change.case, event_seq=change.event_seq)
    emit(out, as_json, _officers_text)


@app.command("recusal")
def recusal(
    case_no: str = typer.Argument(..., help="案号"),
    as_user: str = typer.Option(..., "--as", help="办理人用户名（须为局负责人）"),
    officer: str = typer.Option(..., "--officer", help="被申请回避的承办人员用户名"),
    applicant: str = typer.Option(..., "--applicant", help="申请人（本案当事人名称）"),
    grant: bool = typer.Option(..., "--grant/--refuse", help="准予回避，或驳回申请"),
    reason: str = typer.Option(..., help="决定理由"),
    replacement: str = typer.Option(None, "--replacement", help="接替人员用户名（准予回避时）"),
    expected_version: int = typer.Option(None, "--version", help="您看到的案件版本（防止并发覆盖）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """记录对当事人回避申请的决定（局负责人，《行政处罚法》第四十三条；决定作出之前不停止调查）。"""
    from caseflow.cases.officers import decide_recusal_application
    from caseflow.cases.presenters import officer_listing

    with reported_errors(as_json), unit_of_work() as s:
        actor = get_user_by_username(db_session=s, username=as_user)
        change = decide_recusal_application(
            db_session=s, case_no=case_no, actor_id=actor.id, officer=officer, applicant=applicant,
            granted=grant, reason=reason, replacement=replacement, expected_version=expected_version)
        out = officer_listing(db_session=s, case=change.case, event_seq=change.event_seq)
    emit(out, as_json, _officers_text)
