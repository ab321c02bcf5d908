"""`caseflow db …`: schema migrations."""

from __future__ import annotations

import typer

app = typer.Typer(help="数据库结构迁移（Alembic）。", no_args_is_help=True)


@app.command("upgrade")
def upgrade(revision: str = typer.Argument("head", help="目标版本，默认最新")) -> None:
    """将数据库结构升级到最新版本。"""
    from caseflow.config import get_settings
    from caseflow.db import migrate

    url = get_settings().database_url
    migrate.upgrade(url, revision)
    typer.echo(f"数据库已升级到版本 {migrate.current_revision(url)}（{_safe(url)}）。")


@app.command("current")
def current() -> None:
    """显示数据库当前的结构版本。"""
    from caseflow.db import migrate

    typer.echo(migrate.current_revision() or "（空数据库）")


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
