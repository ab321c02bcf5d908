"""The `caseflow` entry point: sub-commands db, case, catalog, discretion, doc, holidays, due, alerts,
scheduler, user, serve and demo.

Imports are lazy: the command modules import only typer, caseflow.cli and caseflow.errors at module
level, and each command imports the services it uses inside its body, so `caseflow --help` (and a
one-shot command) does not pay for SQLAlchemy, the workflow library, argon2 or WeasyPrint it does
not use (tests/test_cli_startup.py keeps it so; bench/cli.py measures it)."""

from __future__ import annotations

import typer

from caseflow.cli import (
    case_commands,
    catalog_commands,
    db_commands,
    discretion_commands,
    doc_commands,
    evidence_commands,
    time_commands,
    user_commands,
    violation_commands,
)
from caseflow.cli.serve_command import serve

app = typer.Typer(
    help="caseflow：医疗保障行政处罚与行政强制（封存）案件办理系统。", no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db_commands.app, name="db")
case_commands.app.add_typer(evidence_commands.app, name="evidence")
case_commands.app.add_typer(violation_commands.app, name="violation")
case_commands.app.command("review")(evidence_commands.review)
case_commands.app.command("file")(evidence_commands.case_file)
app.add_typer(case_commands.app, name="case")
app.add_typer(catalog_commands.app, name="catalog")
app.add_typer(doc_commands.app, name="doc")
app.add_typer(discretion_commands.app, name="discretion")
app.add_typer(user_commands.app, name="user")
app.add_typer(time_commands.holidays_app, name="holidays")
app.command("due")(time_commands.due)
app.command("alerts")(time_commands.alerts)
app.command("scheduler")(time_commands.scheduler)
app.command("serve")(serve)


@app.command("demo")
def demo(
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """建立演示机关（栾川县医疗保障局）与演示案件，并打印各案件的办理记录。"""
    from caseflow.auth.passwords import hash_password
    from caseflow.cli.output import emit, reported_errors
    from caseflow.cli.serve_command import DEMO_PASSWORD
    from caseflow.config import get_settings
    from caseflow.db import migrate
    from caseflow.db.session import default_engine
    from caseflow.demo import runner

    migrate.upgrade(get_settings().database_url)
    engine = default_engine()
    with reported_errors(as_json):
        if runner.demo_exists(engine):
            typer.echo("演示数据已存在，直接显示。", err=True)
        else:
            # The demo's own users get the demo password, here and only here (published: a demo).
            runner.seed(engine, password_hash=hash_password(DEMO_PASSWORD),
                        progress=lambda m: typer.echo(f"已建立 {m}", err=True))
            from caseflow.documents.service import render_pending

            typer.echo("正在生成演示案件的文书PDF…", err=True)
            n = sum(iter(lambda: render_pending(engine), 0))
            typer.echo(f"已生成 {n} 份文书PDF（caseflow doc list <案号> 查看）。", err=True)
            from caseflow.casefile.service import bind_pending, unbound_cases

            for case_id, case_no in unbound_cases(engine):
                bind_pending(engine, case_id=case_id)
                typer.echo(f"已装订 {case_no} 的案卷（caseflow case file {case_no} -o 案卷.pdf 导出）。", err=True)
    rows = runner.timelines(engine)
    emit(
        [{"case_no": n, "summary": t, "timeline": tl} for n, t, tl in rows], as_json,
        lambda rs: "\n\n".join(f"━━ {r['case_no']}  {r['summary']}\n{r['timeline']}" for r in rs),
    )


if __name__ == "__main__":
    app()
