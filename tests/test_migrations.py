"""Migrations apply to an empty database, match the models exactly, and keep the audit trail append-only."""

from __future__ import annotations

import uuid

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError

from caseflow.db.migrate import alembic_config, current_revision, upgrade
from caseflow.db.models import metadata
from caseflow.db.session import make_engine
from tests.conftest import PG_URL
from tests.helpers import open_case

HEAD = ScriptDirectory.from_config(
    alembic_config()
).get_current_head()


@pytest.fixture
def empty_url(tmp_path):
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    name = f"caseflow_migr_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


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
