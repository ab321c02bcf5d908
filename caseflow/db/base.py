"""The declarative base every model derives from, with constraint naming Alembic can rely on."""

from __future__ import annotations

from datetime import datetime, timezone

from typing import Any

from sqlalchemy import MetaData, event
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def refuse_changes(model: type[Any], *, update: str, delete: str) -> None:
    """Make the ORM refuse to update or delete rows of `model` (the database triggers of migrations
    0001 and 0005 refuse them too): what is recorded stays as it was recorded."""

    def refuse_update(mapper: Any, connection: Any, target: Any) -> None:
        raise RuntimeError(update)

    def refuse_delete(mapper: Any, connection: Any, target: Any) -> None:
        raise RuntimeError(delete)

    event.listen(model, "before_update", refuse_update)
    event.listen(model, "before_delete", refuse_delete)
