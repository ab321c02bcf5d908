"""`caseflow scheduler --once` after a crash: one run sweeps the limits and renders every document
still pending — however many batches that takes — says so in Chinese, and fails (exit 1, naming
the case) when a document cannot be rendered, without holding up the other cases."""

from __future__ import annotations

import functools

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from caseflow.alerts import scheduler as alerts_scheduler
from caseflow.cli.main import app
from caseflow.db.session import unit_of_work
from caseflow.documents import service as document_service
from caseflow.documents.models import Document, DocumentStatus
from tests.helpers import Org, case_row, case_walked_to


def _pending(engine: Engine) -> dict[int, int]:
    """Pending documents per case id."""
    with unit_of_work(engine, write=False) as s:
        rows = s.execute(select(Document.case_id, func.count())
                         .where(Document.status == DocumentStatus.pending).group_by(Document.case_id))
        return dict(rows.all())


@pytest.fixture
def crashed(engine: Engine, org: Org, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """Two cases whose steps committed and whose PDFs were never rendered (the process died after
    the commit): the steps were fired straight through the service, which leaves rendering to
    afterwards. The CLI uses the test database, and `render_pending` stores at most one PDF per
    call, so that one batch is not enough."""
    # 立案审批表, two 笔录, 证据清单, 审核意见书 (+ 告知书 and its 送达回证)
    noticed = case_walked_to(engine, org, "serve_notice")
    reviewed = case_walked_to(engine, org, "approve_legal_review")
    monkeypatch.setattr(alerts_scheduler, "default_engine", lambda: engine)
    monkeypatch.setattr(document_service, "render_pending",
                        functools.partial(document_service.render_pending, limit=1))
    assert sorted(_pending(engine).values()) == [5, 7]
    return noticed, reviewed


def test_one_run_leaves_no_document_pending(engine: Engine, crashed: tuple[str, str]) -> None:
    result = CliRunner().invoke(app, ["scheduler", "--once"])
    assert result.exit_code == 0, result.output
    assert "期限扫描：新提醒" in result.stdout and "overdue=" in result.stdout
    assert "文书PDF：补生成文书PDF 12 份，仍待生成 0 份（rendered=12 pending=0）" in result.stdout
    assert _pending(engine) == {}
    with unit_of_work(engine, write=False) as s:
        docs = list(s.scalars(select(Document)))
        assert len(docs) == 12 and all(d.pdf and d.sha256 for d in docs)
    again = CliRunner().invoke(app, ["scheduler", "--once"])
    assert again.exit_code == 0 and "补生成文书PDF 0 份，仍待生成 0 份" in again.stdout


def test_a_document_that_fails_is_named_and_the_others_are_rendered(
        engine: Engine, crashed: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    noticed, _ = crashed
    broken = case_row(engine, noticed).id
    real = document_service.render_document

    def render(doc: Document) -> bytes:
        if doc.case_id == broken and doc.doc_type == "legal_review_opinion":
            raise RuntimeError("模板错误")
        return real(doc)

    monkeypatch.setattr(document_service, "render_document", render)
    result = CliRunner().invoke(app, ["scheduler", "--once"])
    assert result.exit_code == 1
    # The broken case's 立案审批表, 笔录 and 证据清单 (issued before the failing one) are rendered, and
    # the other case's 5 documents; the failing one and the two after it wait.
    assert "补生成文书PDF 9 份，仍待生成 3 份（1 个案件的文书生成失败：" in result.stdout
    assert f"{noticed}：RuntimeError: 模板错误" in result.stderr
    assert "仍有 3 份文书未能生成PDF" in result.stderr
    assert _pending(engine) == {broken: 3}
