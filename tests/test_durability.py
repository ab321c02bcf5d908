"""Durable by default: a decision acknowledged to an officer survives a power cut (SQLite WAL with
synchronous=FULL: the commit is on disk before the answer; PostgreSQL keeps fsync on)."""

from __future__ import annotations

from caseflow.config import get_settings
from caseflow.db.session import make_engine


def test_sqlite_commits_are_on_disk_before_the_answer_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("CASEFLOW_SQLITE_SYNCHRONOUS", raising=False)  # the tests' own choice is NORMAL
    get_settings.cache_clear()
    try:
        engine = make_engine(f"sqlite:///{tmp_path / 'durable.db'}")
        with engine.connect() as c:
            assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        engine.dispose()
        monkeypatch.setenv("CASEFLOW_SQLITE_SYNCHRONOUS", "NORMAL")  # an administrator's choice, stated
        get_settings.cache_clear()
        engine = make_engine(f"sqlite:///{tmp_path / 'fast.db'}")
        with engine.connect() as c:
            assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 1
        engine.dispose()
    finally:
        get_settings.cache_clear()
