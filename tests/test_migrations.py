"""Migrations apply to an empty database, match the models exactly, and keep the audit trail append-only."""

from __future__ import annotations


import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.exc import DatabaseError

from caseflow.db.migrate import alembic_config, current_revision, upgrade
from caseflow.db.models import metadata
from caseflow.db.session import make_engine
from tests.helpers import open_case

pytestmark = pytest.mark.database  # each test migrates a database of its own (on PostgreSQL too)

HEAD = ScriptDirectory.from_config(
    alembic_config()
).get_current_head()


def test_upgrade_on_empty_database_creates_every_table(empty_url):
    assert current_revision(empty_url) is None
    upgrade(empty_url)
    assert current_revision(empty_url) == HEAD
    engine = make_engine(empty_url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert {t.name for t in metadata.sorted_tables} <= tables
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert diff == [], f"models and migrations differ: {diff}"
    finally:
        engine.dispose()


def test_downgrade_and_upgrade_again(empty_url):
    upgrade(empty_url)
    command.downgrade(alembic_config(empty_url), "base")
    assert current_revision(empty_url) is None
    upgrade(empty_url)
    assert current_revision(empty_url) == HEAD


def test_audit_trail_refuses_update_and_delete_in_the_database(engine, org):
    open_case(engine, org)
    for sql in ("UPDATE case_events SET opinion = 'x'", "DELETE FROM case_events"):
        with engine.connect() as conn:
            with pytest.raises(DatabaseError, match="append-only"):
                conn.execute(text(sql))
            conn.rollback()


def test_cases_with_findings_get_one_violation_each(empty_url):
    """Migration 0016: a case with a proposal holds one violation — its recorded period and amounts."""
    from tests.helpers import Runner, make_org, through, walk

    upgrade(empty_url)
    engine = make_engine(empty_url)
    try:
        org = make_org(engine)
        proposed, opened = open_case(engine, org), open_case(engine, org)
        runner = Runner(engine, org, reload=True)
        walk(runner, proposed, through("conclude_investigation"))
        command.downgrade(alembic_config(empty_url), "0015")  # as if cases were made before violations
        upgrade(empty_url)
        with engine.connect() as c:
            rows = c.execute(text(
                "SELECT c.case_no, v.seq, v.conduct, v.itemised, v.amount_defrauded, v.period_from, v.period_until,"
                " v.recorded_by_name FROM case_violations v JOIN cases c ON c.id = v.case_id")).all()
        assert [(r[0], r[1], r[2], bool(r[3]), float(r[4]), str(r[5]), str(r[6]), r[7]) for r in rows] == [
            (proposed, 1, None, False, 30000.0, "2026-01-05", "2026-04-28", "数据迁移")]
        assert opened not in [r[0] for r in rows]  # no findings yet: nothing to migrate
    finally:
        engine.dispose()
