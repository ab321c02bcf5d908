"""`caseflow user …`: add users with posts and a 执法证, set or reset a password, disable and enable
accounts, list them and their audit trail. Each change is recorded as done from the command line."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from caseflow.cli.lazy import unit_of_work
from caseflow.cli.output import emit, reported_errors
from caseflow.errors import InvalidInput

if TYPE_CHECKING:
    from caseflow.auth.audit import By
    from caseflow.org.models import User

app = typer.Typer(help="用户账号：新增、设置密码、停用、启用、列表与操作记录。", no_args_is_help=True)
ONE_TIME_NOTE = "一次性密码（只显示这一次，请交给本人；首次登录后须修改）"


def _by_cli() -> By:
    """Who the audit trail says made a change: the command line."""
    from caseflow.auth.audit import By

    return By.cli()


def _date(raw: str | None, field: str, label: str) -> Any:
    from caseflow.workflow.input_values import Bad, to_date

    if not raw:
        raise InvalidInput(f"请填写{label}。", details={field: "必填"})
    try:
        return to_date(raw)
    except Bad as exc:
        raise InvalidInput(f"{label}{exc}。", details={field: str(exc)}) from None


def _row(u: User) -> dict[str, Any]:
    from caseflow.org.service import describe_posts

    return {
        "username": u.username, "full_name": u.full_name, "agency": u.agency.name,
        "posts": describe_posts(u), "active": u.is_active, "must_change_password": u.must_change_password,
        "credentials": [{"number": c.number, "valid_from": c.valid_from.isoformat(),
                         "valid_until": c.valid_until.isoformat(), "revoked": c.revoked} for c in u.credentials],
    }


def _line(r: dict[str, Any]) -> str:
    state = "在用" if r["active"] else "已停用"
    if r["active"] and r["must_change_password"]:
        state += "·待改密码"
    creds = "、".join(c["number"] + ("（已注销）" if c["revoked"] else "") for c in r["credentials"]) or "无执法证"
    return f"{r['username']:<12} {r['full_name']:<6} {state:<8} {'、'.join(r['posts']) or '无岗位'}  {creds}"


@app.command("add")
def add(
    username: str = typer.Argument(..., help="用户名：小写字母、数字或 . _ -"),
    full_name: str = typer.Option(..., "--name", help="姓名"),
    agency: str = typer.Option(None, "--agency", help="机关名称（只有一个机关时可省略）"),
    posts: list[str] = typer.Option([], "--post", help="岗位，如「基金监管股·立案岗」「局负责人」，可重复"),
    credential: str = typer.Option(None, "--credential", help="执法证号"),
    valid_from: str = typer.Option(None, "--valid-from", help="执法证有效期起，如 2026-01-01"),
    valid_until: str = typer.Option(None, "--valid-until", help="执法证有效期止"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """新增用户：给岗位和执法证，生成一次性密码（首次登录后须修改）。"""
    from caseflow.auth import accounts
    from caseflow.org.service import resolve_agency_id

    with reported_errors(as_json):
        cred = None
        if credential:
            cred = accounts.NewCredential(credential, _date(valid_from, "valid_from", "执法证有效期起"),
                                          _date(valid_until, "valid_until", "执法证有效期止"))
        with unit_of_work() as s:
            agency_id = resolve_agency_id(db_session=s, agency=agency)
            user, password = accounts.add_user(db_session=s, agency_id=agency_id, username=username,
                                               full_name=full_name, posts=posts, credential=cred,
                                               by=_by_cli())
            row = _row(accounts.get_account(db_session=s, user_id=user.id, agency_id=agency_id))
    emit({**row, "one_time_password": password}, as_json,
         lambda r: f"已新增用户：{_line(r)}\n{ONE_TIME_NOTE}：{r['one_time_password']}")


@app.command("set-password")
def set_password_command(
    username: str = typer.Argument(..., help="用户名"),
    one_time: bool = typer.Option(False, "--one-time", help="生成一次性密码，本人首次登录后须修改"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """设置用户的密码（两次输入，不回显），或以 --one-time 重置为一次性密码。该用户的登录会话随即结束。"""
    from caseflow.auth import accounts
    from caseflow.auth.password_changes import reset_password, set_password

    with reported_errors(as_json):
        if one_time:
            with unit_of_work() as s:
                user = accounts.get_account_by_username(db_session=s, username=username)
                password = reset_password(db_session=s, agency_id=None, user_id=user.id, by=_by_cli())
            emit({"username": user.username, "one_time_password": password}, as_json,
                 lambda r: f"已为 {r['username']} 重置密码。\n{ONE_TIME_NOTE}：{r['one_time_password']}")
            return
        password = typer.prompt("新密码（至少10位）", hide_input=True, confirmation_prompt="再次输入新密码")
        with unit_of_work() as s:
            user = set_password(db_session=s, username=username, password=password, by=_by_cli())
    emit({"username": user.username, "password_set": True}, as_json,
         lambda r: f"已为 {r['username']} 设置密码；其已登录的会话已结束。")


@app.command("disable")
def disable(
    username: str = typer.Argument(..., help="用户名"),
    reason: str = typer.Option("", "--reason", help="停用原因（记入操作记录）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """停用账号：不能再登录，已登录的会话立即结束。"""
    from caseflow.auth import accounts

    with reported_errors(as_json), unit_of_work() as s:
        user = accounts.get_account_by_username(db_session=s, username=username)
        accounts.disable(db_session=s, agency_id=None, user_id=user.id, by=_by_cli(), reason=reason)
        row = _row(user)
    emit(row, as_json, lambda r: f"已停用：{_line(r)}")


@app.command("enable")
def enable(
    username: str = typer.Argument(..., help="用户名"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """重新启用已停用的账号。"""
    from caseflow.auth import accounts

    with reported_errors(as_json), unit_of_work() as s:
        user = accounts.get_account_by_username(db_session=s, username=username)
        accounts.enable(db_session=s, agency_id=None, user_id=user.id, by=_by_cli())
        row = _row(user)
    emit(row, as_json, lambda r: f"已启用：{_line(r)}")


@app.command("list")
def list_users(
    agency: str = typer.Option(None, "--agency", help="只列该机关的用户"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """列出用户：岗位、执法证、是否在用。"""
    from caseflow.auth import accounts
    from caseflow.org.service import resolve_agency_id

    with reported_errors(as_json), unit_of_work(write=False) as s:
        agency_id = resolve_agency_id(db_session=s, agency=agency) if agency else None
        rows = [_row(u) for u in accounts.list_accounts(db_session=s, agency_id=agency_id)]
    emit(rows, as_json, lambda rs: "\n".join(_line(r) for r in rs) or "（无用户）")


@app.command("events")
def events(
    username: str = typer.Argument(None, help="只看该用户的记录"),
    limit: int = typer.Option(50, min=1, max=1000, help="最多几条"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """账号操作记录（新近的在前）：谁在何时对谁的账号做了什么。"""
    from caseflow.auth import accounts, audit
    from caseflow.documents.presenters import local

    with reported_errors(as_json), unit_of_work(write=False) as s:
        subject = accounts.get_account_by_username(db_session=s, username=username) if username else None
        rows = [{"at": local(e.at), "action": e.action, "label": e.label, "actor": e.actor,
                 "user": e.subject_username, "full_name": e.subject, "detail": e.raw}
                | {"detail_text": e.detail}
                for e in audit.events(db_session=s, agency_id=None,
                                      subject_id=subject.id if subject else None, limit=limit)]
    emit(rows, as_json, lambda rs: "\n".join(
        f"{r['at']}  {r['actor']}  {r['label']}  {r['user']}（{r['full_name']}）"
        + (f"  {r['detail_text']}" if r["detail_text"] else "") for r in rs) or "（无记录）")
