"""Engines and sessions: SQLite pragmas, the write lock, and the unit of work services run in.

SQLite: WAL journal, foreign keys on, a busy timeout, and `BEGIN IMMEDIATE` for write units of
work so that two writers serialise on the database lock instead of failing half-way. PostgreSQL:
READ COMMITTED; optimistic locking on the case row (`version_id_col`) makes the loser of a race fail.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from caseflow.config import get_settings
from caseflow.db.memo import mark_read_only
from caseflow.errors import Conflict

SQLITE_BUSY_TIMEOUT_MS = 15000


# Enough connections for every thread of the web server's pool (anyio: 40) to hold one, so a busy
# server queues requests for threads, not threads for connections.
POOL_SIZE, MAX_OVERFLOW = 10, 30


def make_engine(url: str, *, echo: bool = False) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": 15},
            **({} if url in ("sqlite://", "sqlite:///:memory:")  # one shared in-memory connection
               else {"pool_size": POOL_SIZE, "max_overflow": MAX_OVERFLOW}),
        )
        _configure_sqlite(engine)
        return engine
    # No pre-ping: it costs a round trip per unit of work; stale connections are recycled instead.
    return create_engine(url, echo=echo, pool_recycle=1800, pool_size=POOL_SIZE, max_overflow=MAX_OVERFLOW)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA synchronous={get_settings().sqlite_synchronous}")  # FULL unless set
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    return make_engine(url, echo=get_settings().sql_echo)


def default_engine() -> Engine:
    return engine_for(get_settings().database_url)


def session_factory(engine: Engine | None = None) -> sessionmaker[Session]:
    return sessionmaker(bind=engine or default_engine(), expire_on_commit=False)


_WRITE_ENGINES: weakref.WeakKeyDictionary[Engine, Engine] = weakref.WeakKeyDictionary()


def _write_engine(engine: Engine) -> Engine:
    """The engine with SQLite's `BEGIN IMMEDIATE` (made once per engine: options are not free)."""
    write = _WRITE_ENGINES.get(engine)
    if write is None:
        write = _WRITE_ENGINES[engine] = engine.execution_options(sqlite_begin="IMMEDIATE")
    return write


def _unique_violation(exc: IntegrityError) -> bool:
    """A UNIQUE constraint refused the row (PostgreSQL SQLSTATE 23505, SQLite's message)."""
    return getattr(exc.orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(exc)


@contextmanager
def unit_of_work(engine: Engine | None = None, *, write: bool = True) -> Iterator[Session]:
    """One database transaction: commit on success, roll back on any error.

    A write unit takes SQLite's write lock at BEGIN; a lost optimistic-lock race or a lock
    timeout surfaces as `Conflict` so callers can tell the user to reload.
    """
    engine = engine or default_engine()
    session = Session(bind=_write_engine(engine) if write else engine, expire_on_commit=False)
    if not write:
        mark_read_only(session)
    try:
        yield session
        session.commit()
    except StaleDataError as exc:
        session.rollback()
        raise Conflict("案件已被他人修改，请刷新后重试。") from exc
    except OperationalError as exc:
        session.rollback()
        if any(w in str(exc).lower() for w in ("locked", "could not serialize", "deadlock detected")):
            raise Conflict("数据库正忙，案件可能正被他人修改，请稍后重试。") from exc
        raise
    except IntegrityError as exc:
        session.rollback()
        if _unique_violation(exc):  # two writers took the same next number or version at once
            raise Conflict("案件已被他人修改，请刷新后重试。") from exc
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def rehearsal(engine: Engine | None = None) -> Iterator[Session]:
    """A write transaction that is always rolled back: to see what a step would do (its documents
    as drafts) with every rule applied, leaving nothing behind — no row, no number taken."""
    engine = engine or default_engine()
    session = Session(bind=_write_engine(engine), expire_on_commit=False)
    try:
        yield session
    finally:
        session.rollback()
        session.close()
