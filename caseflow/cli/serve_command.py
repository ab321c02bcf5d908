"""`caseflow serve`: migrate, seed the demo into an empty database, start the deadline sweep in this
process and serve the web application with uvicorn."""

from __future__ import annotations

import os
import secrets
import threading

import typer

DEMO_PASSWORD = "caseflow2026"
# One login per post of the demo agency, with the reviewer and the head first.
DEMO_LOGINS = (
    ("shencha", "审查岗（法制审核股）"), ("juzhang", "局负责人"), ("lian", "立案岗"),
    ("diaocha1", "调查岗"), ("gaozhi", "告知岗"), ("jueding", "决定岗"), ("songda", "送达岗"),
    ("zhixing", "执行岗"), ("pizhun", "批准决定岗"), ("fengcun", "执行岗（法制审核股·封存）"),
    ("jianguan", "事后监管岗"), ("jjgz", "股长（基金监管股）"),
)


def _has_agency(engine: object) -> bool:
    from sqlalchemy import select

    from caseflow.db.session import unit_of_work
    from caseflow.org.models import Agency

    with unit_of_work(engine, write=False) as s:  # type: ignore[arg-type]
        return s.scalar(select(Agency.id).limit(1)) is not None


def _give_demo_users_the_password(engine: object, password_hash: str) -> int:
    """Demo users made by `caseflow demo` have no password: give them the demo one (only those)."""
    from sqlalchemy import select, update

    from caseflow.db.session import unit_of_work
    from caseflow.demo.organisation import AGENCY_NAME
    from caseflow.org.models import Agency, User

    with unit_of_work(engine) as s:  # type: ignore[arg-type]
        agency_id = s.scalar(select(Agency.id).where(Agency.name == AGENCY_NAME))
        result = s.execute(update(User).where(User.agency_id == agency_id, User.password_hash.is_(None))
                           .values(password_hash=password_hash))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def serve(
    host: str = typer.Option("127.0.0.1", help="监听地址"),
    port: int = typer.Option(8000, help="端口"),
    scheduler: bool = typer.Option(True, "--scheduler/--no-scheduler", help="在本进程内运行期限扫描"),
    interval: int = typer.Option(60, help="期限扫描间隔（秒）"),
    demo: bool = typer.Option(True, "--demo/--no-demo", help="数据库中没有机关时建立演示数据"),
    workers: int = typer.Option(1, min=1, max=32, help="网页进程数（多核机器可设为核数；期限扫描只在主进程运行）"),
) -> None:
    """启动网页版（含 /api 接口与 /docs 文档）。"""
    import uvicorn

    from caseflow.auth.passwords import hash_password
    from caseflow.config import get_settings
    from caseflow.db import migrate
    from caseflow.db.session import default_engine
    from caseflow.demo import runner
    from caseflow.web.app import create_app

    migrate.upgrade(get_settings().database_url)
    engine = default_engine()
    demo_hash = hash_password(DEMO_PASSWORD)
    if demo and not _has_agency(engine):
        typer.echo("数据库中没有机关，正在建立演示数据（栾川县医疗保障局）…", err=True)
        runner.seed(engine, password_hash=demo_hash,
                    progress=lambda m: typer.echo(f"  已建立 {m}", err=True))
    elif demo and runner.demo_exists(engine):
        if _give_demo_users_the_password(engine, demo_hash):
            typer.echo("已为尚无密码的演示账号设置演示密码。", err=True)
    if workers == 1:
        # Load WeasyPrint and the fonts while the server starts, not on the first document opened.
        from caseflow.documents.renderer import warm_up

        threading.Thread(target=warm_up, name="pdf-warm-up", daemon=True).start()
    elif not os.environ.get("CASEFLOW_WEB_SECRET_KEY"):
        # Every worker must sign and read the same cookies: one key for this run, inherited by
        # the worker processes through the environment.
        os.environ["CASEFLOW_WEB_SECRET_KEY"] = secrets.token_urlsafe(32)
        typer.echo("未设置 CASEFLOW_WEB_SECRET_KEY：本次启动生成临时会话密钥，重启后需重新登录。", err=True)
    sched = None
    if scheduler:
        from caseflow.alerts.scheduler import start_background

        sched = start_background(engine, interval_seconds=interval)
        typer.echo(f"期限扫描已在本进程启动（每{interval}秒）。", err=True)
    shown = "localhost" if host in ("0.0.0.0", "127.0.0.1") else host
    typer.echo(f"\ncaseflow 网页版：http://{shown}:{port}/    接口文档：http://{shown}:{port}/docs")
    if demo and runner.demo_exists(engine):
        typer.echo(f"演示账号（密码均为 {DEMO_PASSWORD}，已改过密码的除外）：")
        for username, post in DEMO_LOGINS:
            typer.echo(f"  {username:<10} {post}")
    try:
        if workers == 1:
            uvicorn.run(create_app(engine), host=host, port=port, log_level="info")
        else:  # each worker process builds its own app and engine from the environment
            os.environ["CASEFLOW_DATABASE_URL"] = get_settings().database_url
            typer.echo(f"网页进程数：{workers}。", err=True)
            from caseflow.web.workers import run_workers

            run_workers(host=host, port=port, workers=workers)
    finally:
        if sched is not None:
            sched.shutdown(wait=False)
