"""`caseflow doc render` in a caller that goes on (issue 20): the command pauses the cyclic collector
and leaves the process's last collection out, yet its caller gets the collector back with nothing
frozen, and the database closed."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from caseflow.cli.main import app
from caseflow.config import get_settings
from caseflow.db.session import default_engine
from tests.helpers import Org, case_walked_to


def test_doc_render_gives_back_the_collector_and_closes_the_database(
        engine: Engine, org: Org, database_url: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    case_no = case_walked_to(engine, org, "decide_penalty")
    monkeypatch.setenv("CASEFLOW_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        out = tmp_path / "决定书.pdf"
        r = CliRunner().invoke(app, ["doc", "render", case_no, "penalty_decision", "-o", str(out),
                                     "--json"])
        assert r.exit_code == 0, r.output
        assert json.loads(r.stdout)["reproduced"] is True
        assert gc.isenabled() and gc.get_freeze_count() == 0
        assert default_engine().pool.checkedin() == 0  # no connection left open in the pool
    finally:
        get_settings.cache_clear()
