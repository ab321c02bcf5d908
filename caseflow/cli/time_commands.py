"""`caseflow due`, `caseflow alerts`, `caseflow scheduler` and `caseflow holidays …`: legal time at the command line."""

from __future__ import annotations

from datetime import date

import typer

from caseflow.cli.lazy import default_engine, unit_of_work
from caseflow.cli.output import emit, reported_errors

holidays_app = typer.Typer(help="节假日安排（国务院办公厅放假通知）的录入与查看。", no_args_is_help=True)


def due(
    start: str = typer.Argument(..., help="起算时间，如 2026-09-30 或 '2026-09-30 23:30'（北京时间）"),
    period: str = typer.Argument(..., help="期间，如 7工作日、15日、24小时、6月、2年，或期限规则名如 decision_service"),
    law: str = typer.Option(None, help="期间所在法律（如 行政强制法），按该法确定“日”是否为工作日"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """期限计算器：计算届满时间并说明理由。"""
    from caseflow.holidays.service import calendar_for
    from caseflow.legal_time import SHANGHAI
    from caseflow.workflow.calculator import calculate, parse_start

    with reported_errors(as_json):
        with unit_of_work(default_engine(), write=False) as s:
            calc = calculate(parse_start(start), period, calendar=calendar_for(db_session=s), law=law)
    out = calc.as_dict()

    def text(o: dict) -> str:  # type: ignore[type-arg]
        due_local = calc.result.due_at.astimezone(SHANGHAI)
        head = (f"届满：{calc.result.due_date:%Y年%m月%d日}（当日24时）" if calc.result.due_date
                else f"届满：{due_local:%Y年%m月%d日%H时%M分}")
        warn = "\n⚠ 暂定结果：" + "；".join(o["flags"]) if o["provisional"] else ""
        return head + warn + "\n理由：\n" + "\n".join(f"  {i}. {line}" for i, line in enumerate(o["reasoning"], 1))

    emit(out, as_json, text)


def alerts(
    overdue: bool = typer.Option(False, "--overdue", help="只看已逾期"),
    due_soon: bool = typer.Option(False, "--due-soon", help="只看即将到期"),
    as_user: str = typer.Option(None, "--as", help="以该用户查看（默认：演示机关全部期限）"),
    agency: str = typer.Option(None, help="机关名称（默认：唯一机关或演示机关）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """监督：已逾期和即将到期的期限（按 24 小时期限优先、到期先后排列）。"""
    from caseflow.alerts.watch import watched_limits
    from caseflow.db.base import utcnow
    from caseflow.org.service import resolve_agency_id

    which = "overdue" if overdue and not due_soon else "due_soon" if due_soon and not overdue else "all"
    with reported_errors(as_json):
        with unit_of_work(default_engine(), write=False) as s:
            agency_id = resolve_agency_id(db_session=s, agency=agency, username=as_user)
            rows = watched_limits(db_session=s, agency_id=agency_id, now=utcnow(), which=which)  # type: ignore[arg-type]
    data = [r.as_dict() for r in rows]

    def text(rs: list[dict]) -> str:  # type: ignore[type-arg]
        from caseflow.alerts.sweep import limit_text

        lines = [
            f"{'【逾期】' if r['overdue'] else '【将到期】'}{r['case_no']}  {r['name']}  "
            f"{limit_text(r['due_at'], r['due_date'])}{'（暂定）' if r['provisional'] else ''}  "
            f"承办：{r['lead_officer'] or '—'}  {r['item_name']}"
            for r in rs
        ]
        return "\n".join(lines) or "（没有逾期或即将到期的期限）"

    emit(data, as_json, text)


def scheduler(
    once: bool = typer.Option(False, "--once", help="扫描一次、生成全部待生成的文书PDF后退出"),
    interval: int = typer.Option(60, help="扫描间隔（秒）"),
    batch: int = typer.Option(500, min=1, help="每个事务处理的期限数"),
) -> None:
    """单独运行期限扫描（提醒与逾期预警）并补生成待生成的文书PDF。"""
    from caseflow.alerts.scheduler import render_documents_now, run_blocking, sweep_now

    with reported_errors():
        if once:  # e.g. after a crash: alerts caught up, and nothing left pending
            report = sweep_now(batch=batch)
            typer.echo(f"期限扫描：{report}（reminders={report.reminders} overdue={report.overdue}）")
            docs = render_documents_now()
            typer.echo(f"文书PDF：{docs}（rendered={docs.stored} pending={docs.left}）")
            if docs.left:
                for case_no, error in docs.failed.items():
                    typer.echo(f"  {case_no}：{error}", err=True)
                typer.echo(f"错误：仍有 {docs.left} 份文书未能生成PDF。", err=True)
                raise typer.Exit(1)
            return
        typer.echo(f"期限扫描与文书PDF补生成已启动，每 {interval} 秒一次（Ctrl+C 停止）。", err=True)
        run_blocking(interval_seconds=interval)


@holidays_app.command("list")
def holidays_list(as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """列出管理员录入的节假日调整和已录入的年份。"""
    from caseflow.holidays.service import overrides, years

    with unit_of_work(default_engine(), write=False) as s:
        data = {
            "years": [{"year": y.year, "notice": y.notice} for y in years(db_session=s)],
            "days": [{"day": o.day.isoformat(), "kind": o.kind, "name": o.name, "notice": o.notice}
                     for o in overrides(db_session=s)],
        }
    emit(data, as_json, lambda d: "\n".join(
        [f"{y['year']}年：{y['notice']}" for y in d["years"]]
        + [f"{o['day']}  {'放假' if o['kind'] == 'holiday' else '调休上班'}  {o['name']}" for o in d["days"]]
    ) or "（未录入）")


@holidays_app.command("set")
def holidays_set(
    day: str = typer.Argument(..., help="日期，如 2027-02-06"),
    kind: str = typer.Argument(..., help="holiday（放假）或 workday（调休上班）"),
    name: str = typer.Option("", help="节日名称，如 春节"),
    notice: str = typer.Option("", help="依据的放假通知"),
) -> None:
    """录入一天的安排（放假或调休上班）。"""
    from caseflow.holidays.service import set_day

    with reported_errors():
        with unit_of_work(default_engine()) as s:
            set_day(db_session=s, day=_parse_day(day), kind=kind, name=name, notice=notice)
    typer.echo(f"已录入：{day} {'放假' if kind == 'holiday' else '调休上班'} {name}")


@holidays_app.command("declare-year")
def holidays_declare_year(
    year: int = typer.Argument(..., help="年份，如 2027"),
    notice: str = typer.Option(..., help="放假通知名称和文号"),
) -> None:
    """声明某年的放假安排已全部录入：该年的期限不再标为暂定。"""
    from caseflow.holidays.service import declare_year

    with reported_errors():
        with unit_of_work(default_engine()) as s:
            declare_year(db_session=s, year=year, notice=notice)
    typer.echo(f"{year}年节假日安排已录入（{notice}）。")


def _parse_day(text: str) -> date:
    from caseflow.errors import InvalidInput

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"无法识别日期「{text}」。", details={"day": "格式应为 YYYY-MM-DD"}) from None
