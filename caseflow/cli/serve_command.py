"""`caseflow serve`: migrate, seed the demo into an empty database, start the deadline sweep in this
process and serve the web application with uvicorn.

The demo password is given once, when the demo is seeded, to the demo's own users; serving never
gives a password to anyone (a user without one cannot log in: `caseflow user set-password`).
X-Forwarded-For is believed only from the proxies `--forwarded-allow-ips` names.
"""

from __future__ import annotations

import os
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


def _demo_logins_work(engine: object) -> bool:
    """Whether the demo's logins have a password (a demo seeded by an older `caseflow demo` has none)."""
    from sqlalchemy import select

    from caseflow.db.session import unit_of_work
    from caseflow.org.models import User

    names = [u for u, _ in DEMO_LOGINS]
    with unit_of_work(engine, write=False) as s:  # type: ignore[arg-type]
        return s.scalar(select(User.id).where(User.username.in_(names), User.password_hash.is_not(None))
                        .limit(1)) is not None


def seed_demo_if_empty(engine: object) -> bool:
    """Seed the demo (its users with the demo password) when the database has no agency; True when
    it did."""
    from caseflow.auth.passwords import hash_password
    from caseflow.demo import runner

    if _has_agency(engine):
        return False
    typer.echo("数据库中没有机关，正在建立演示数据（栾川县医疗保障局）…", err=True)
    runner.seed(engine, password_hash=hash_password(DEMO_PASSWORD),  # type: ignore[arg-type]
                progress=lambda m: typer.echo(f"  已建立 {m}", err=True))
    return True


def serve(
    host: str = typer.Option("127.0.0.1", help="监听地址"),
    port: int = typer.Option(8000, help="端口"),
    scheduler: bool = typer.Option(True, "--scheduler/--no-scheduler", help="在本进程内运行期限扫描"),
    interval: int = typer.Option(60, help="期限扫描间隔（秒）"),
    demo: bool = typer.Option(True, "--demo/--no-demo", help="数据库中没有机关时建立演示数据"),
    workers: int = typer.Option(1, min=1, max=32, help="网页进程数（多核机器可设为核数；期限扫描只在主进程运行）"),
    forwarded_allow_ips: str | None = typer.Option(
        None, "--forwarded-allow-ips",
        help="信任其 X-Forwarded-For 的反向代理地址（逗号分隔）；默认不信任任何代理，按连接地址计登录次数"),
) -> None:
    """启动网页版（含 /api 接口与 /docs 文档）。"""
    import secrets

    import uvicorn

    from caseflow.config import get_settings
    from caseflow.db import migrate
    from caseflow.db.session import default_engine
    from caseflow.demo import runner
    from caseflow.web.app import create_app
    from caseflow.web.settings import WebSettings
    from caseflow.web.workers import proxy_options

    migrate.upgrade(get_settings().database_url)
    engine = default_engine()
    if demo:
        seed_demo_if_empty(engine)
    if forwarded_allow_ips is None:
        forwarded_allow_ips = WebSettings().forwarded_allow_ips
    if forwarded_allow_ips.strip():
        typer.echo(f"信任以下反向代理的 X-Forwarded-For：{forwarded_allow_ips}", err=True)
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
    if demo and runner.demo_exists(engine) and _demo_logins_work(engine):
        typer.echo(f"演示账号（密码均为 {DEMO_PASSWORD}，已改过密码的除外）：")
        for username, post in DEMO_LOGINS:
            typer.echo(f"  {username:<10} {post}")
    try:
        if workers == 1:
            uvicorn.run(create_app(engine), host=host, port=port, log_level="info",
                        **proxy_options(forwarded_allow_ips))  # type: ignore[arg-type]
        else:  # each worker process builds its own app and engine from the environment
            os.environ["CASEFLOW_DATABASE_URL"] = get_settings().database_url
            typer.echo(f"网页进程数：{workers}。", err=True)
            from caseflow.web.workers import run_workers

            run_workers(host=host, port=port, workers=workers, forwarded_allow_ips=forwarded_allow_ips)
    finally:
        if sched is not None:
            sched.shutdown(wait=False)
