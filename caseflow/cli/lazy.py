"""What most commands need from the services — a unit of work, the default engine, the acting user —
as thin wrappers that import their module on first call.

The command modules import no service at module level (see main.py: `caseflow --help` must not
load SQLAlchemy, the workflow library, argon2 or WeasyPrint); each command imports what it uses
inside its body, and these three, which nearly every command uses, are imported here once."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from caseflow.org.models import User


def unit_of_work(engine: Engine | None = None, *, write: bool = True) -> AbstractContextManager[Session]:
    """`caseflow.db.session.unit_of_work`."""
    from caseflow.db import session

    return session.unit_of_work(engine, write=write)


def default_engine() -> Engine:
    """`caseflow.db.session.default_engine`."""
    from caseflow.db import session

    return session.default_engine()


def get_user_by_username(*, db_session: Session, username: str) -> User:
    """`caseflow.org.service.get_user_by_username`."""
    from caseflow.org import service

    return service.get_user_by_username(db_session=db_session, username=username)
