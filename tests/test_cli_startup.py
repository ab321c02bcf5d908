"""The CLI starts fast because it imports lazily (issue 20): importing `caseflow.cli.main` — all that
`caseflow --help` needs — loads no service, no database layer, no PDF or password library; and the
help still lists every command. Structural, not timed: bench/cli.py measures the time."""

from __future__ import annotations

import ast
import gc
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from caseflow.cli.main import app
from caseflow.config import get_settings

ROOT = Path(__file__).resolve().parent.parent
WATCHED = {"sqlalchemy", "weasyprint", "argon2", "cn2an", "fastapi", "caseflow"}
# What importing the CLI must not load: each costs from 50 ms (cn2an) to 0.5 s (the case services).
NOT_IMPORTED = ("sqlalchemy", "weasyprint", "argon2", "cn2an", "fastapi", "caseflow.cases",
                "caseflow.web", "caseflow.db", "caseflow.documents", "caseflow.workflow",
                "caseflow.auth", "caseflow.config")
TOP_COMMANDS = {"db", "case", "catalog", "doc", "discretion", "user", "holidays", "due", "alerts",
                "scheduler", "serve", "demo"}
CASE_COMMANDS = {"show", "list", "fire", "officers", "replace-officer", "recusal", "review", "file",
                 "evidence", "violation"}


def _fresh(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          check=True, env={**os.environ, "COLUMNS": "200"})
    return done.stdout


def _help(*args: str) -> str:
    return _fresh("import sys; from caseflow.cli.main import app; "
                  f"sys.argv = ['caseflow', *{list(args)!r}, '--help']; app()")


def test_importing_the_cli_loads_no_service_nor_heavy_library() -> None:
    loaded = ast.literal_eval(_fresh(
        "import caseflow.cli.main, sys; "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {WATCHED!r}))"))
    assert "caseflow.cli.main" in loaded
    offending = sorted({p for p in NOT_IMPORTED for m in loaded if m == p or m.startswith(p + ".")})
    assert offending == [], f"importing the CLI loads {offending}: import them inside the commands"


def _listed(help_text: str) -> set[str]:
    """The names in the help's Commands panel (rich's box, or click's plain list)."""
    section = help_text.split("Commands", 1)[1]
    names = set()
    for line in section.splitlines()[1:]:
        if line.startswith(("╰", "╭")) or not line.strip():
            break
        match = re.match(r"[│|]?\s{1,2}(\S+)\s", line)
        if match:
            names.add(match.group(1))
    return names


def test_help_lists_every_command() -> None:
    root = get_command(app)
    assert set(root.commands) == TOP_COMMANDS  # type: ignore[attr-defined]
    assert set(root.commands["case"].commands) == CASE_COMMANDS  # type: ignore[attr-defined]
    assert _listed(_help()) == TOP_COMMANDS
    assert _listed(_help("case")) == CASE_COMMANDS


def test_the_dummy_password_hash_is_made_on_first_use_not_at_import() -> None:
    out = _fresh(
        "from caseflow.auth import passwords as p; print(p._dummy_hash.cache_info().currsize); "
        "print(p.verify_password(None, 'x'), p._dummy_hash.cache_info().currsize)")
    assert out.split() == ["0", "False", "1"]


def test_doc_render_gives_the_collector_back(database_url: str, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """`doc render` pauses the cyclic collector for its one document; a caller that goes on (here
    the test process) has it back, also when the command fails."""
    monkeypatch.setenv("CASEFLOW_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        r = CliRunner().invoke(app, ["doc", "render", "栾医保罚案〔2026〕99号", "penalty_decision",
                                     "-o", str(tmp_path / "x.pdf")])
    finally:
        get_settings.cache_clear()
    assert r.exit_code == 4, r.output  # no such case
    assert gc.isenabled()
