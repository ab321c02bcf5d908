"""Test fixtures: a migrated database per test on SQLite (default) or PostgreSQL.

Set CASEFLOW_TEST_DATABASE_URL to a PostgreSQL URL to run the suite there (`scripts/test` does it
with a throwaway server). SQLite tests copy a database migrated once per session; PostgreSQL tests
share one migrated database and empty it before each test.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.register_assert_rewrite("tests.helpers")  # detailed assertion messages from the helpers
# The tests' databases are thrown away: commits need not survive a power cut (the default is FULL).
os.environ.setdefault("CASEFLOW_SQLITE_SYNCHRONOUS", "NORMAL")

from sqlalchemy import Engine, create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from caseflow.db.migrate import upgrade  # noqa: E402
from caseflow.db.models import metadata  # noqa: E402
from caseflow.db.session import make_engine  # noqa: E402
from tests.helpers import Runner, Org, make_org  # noqa: E402

PG_URL = os.environ.get("CASEFLOW_TEST_DATABASE_URL", "")


def pytest_report_header(config: pytest.Config) -> str:
    return f"caseflow test database: {'PostgreSQL ' + PG_URL.split('@')[-1] if PG_URL else 'SQLite'}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL only the tests that touch a database run — those using the `database_url`
    fixture (engine, org, runner, the web client …) or marked `database`. The others (rendering,
    parsing 明细, the law's arithmetic, the catalog's lint) have no database in them: the SQLite run
    ran them, and running them twice would only lengthen CI."""
    if not PG_URL:
        return
    keep, drop = [], []
    for item in items:
        uses = "database_url" in getattr(item, "fixturenames", ()) or item.get_closest_marker("database")
        (keep if uses else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> str:
    if PG_URL:
        engine = make_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        upgrade(PG_URL)
        return PG_URL
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return str(path)


@pytest.fixture
def database_url(_template: str, tmp_path: Path) -> str:
    if PG_URL:
        _empty_postgresql(PG_URL)
        return PG_URL
    path = tmp_path / "caseflow.db"
    shutil.copyfile(_template, path)
    return f"sqlite:///{path}"


def _empty_postgresql(url: str) -> None:
    """Every table emptied and every sequence back to 1, as TRUNCATE … RESTART IDENTITY would, at a
    twentieth of its cost on a test's few rows (TRUNCATE makes new files for each of 34 tables). The
    append-only tables' triggers refuse DELETE: the session runs as a replica, which fires no
    trigger (nor the foreign keys', so the order of the tables does not matter)."""
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        for table in metadata.sorted_tables:
            conn.execute(text(f'DELETE FROM "{table.name}"'))
        conn.execute(text("SELECT setval(c.oid, 1, false) FROM pg_class c "
                          "WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace"))
    engine.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def org(engine: Engine) -> Org:
    return make_org(engine)


@pytest.fixture(params=["one_session", "reload"])
def runner(request: pytest.FixtureRequest, engine: Engine, org: Org) -> Iterator[Runner]:
    """Runs steps either in one long-lived session or reloading the case between every step."""
    r = Runner(engine, org, reload=request.param == "reload")
    yield r
    r.close()


@pytest.fixture(autouse=True)
def _fresh_holiday_calendar() -> Iterator[None]:
    """Each test's database has its own holiday data: never reuse another test's cached calendar."""
    from caseflow.holidays.service import invalidate

    invalidate()
    yield
    invalidate()


@pytest.fixture
def empty_url(tmp_path: Path) -> Iterator[str]:
    """A database of the test's own, empty (no migration applied): a SQLite file, or a new database
    on the PostgreSQL server, dropped after the test. Tests using it are marked `database`."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    name = f"caseflow_own_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()
