"""`caseflow doc`: list a walked case's documents and write one out, re-rendered from its stored data
and checked against its SHA-256 — as a person would use it from the shell."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine

from tests.helpers import Org, Runner, open_case, through, walk

CASEFLOW = [sys.executable, "-m", "caseflow.cli.main"]


def _run(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CASEFLOW_DATABASE_URL": database_url}
    return subprocess.run([*CASEFLOW, "doc", *args], env=env, capture_output=True, text=True, timeout=120)


def test_doc_list_and_render_reproduce_the_decision(engine: Engine, org: Org, runner: Runner,
                                                    database_url: str, tmp_path: Path) -> None:
    case_no = open_case(engine, org)
    walk(runner, case_no, through("decide_penalty"))
    listed = _run(database_url, "list", case_no, "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    decision = next(r for r in rows if r["doc_type"] == "penalty_decision")
    assert decision["doc_no"] == "栾医保罚决〔2026〕1号" and decision["status"] == "pending"

    out = tmp_path / "决定书.pdf"
    rendered = _run(database_url, "render", case_no.replace("〔", "[").replace("〕", "]"),
                    "penalty_decision", "-o", str(out), "--json")
    assert rendered.returncode == 0, rendered.stderr
    result = json.loads(rendered.stdout)
    assert result["reproduced"] is True
    assert result["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert out.read_bytes().startswith(b"%PDF")

    missing = _run(database_url, "render", case_no, "dunning_notice", "-o", str(tmp_path / "x.pdf"))
    assert missing.returncode == 4 and "DOCUMENT_NOT_ISSUED" in missing.stderr
    assert "尚未制作《催告书》" in missing.stderr
