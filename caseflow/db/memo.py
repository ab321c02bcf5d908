"""What one transaction reads once: a value kept on the session for the rest of its transaction (the
agency's settings, a case's evidence while a step is judged, recorded and documented), forgotten when
the transaction ends — a later transaction on the same session reads afresh. `read_once` keeps a value
only in a read-only unit of work (a page, a listing), where nothing the transaction does can change
it: the case page's panels and the guards that judge its buttons ask the same questions."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

__all__ = ["forget", "forget_kind", "is_read_only", "mark_read_only", "memo", "parsed_once", "read_once"]

T = TypeVar("T")
_KEY = "caseflow_memo"
_READ_ONLY = "caseflow_read_only"


def memo(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` the first time `key` is asked for in this transaction; the same value after."""
    store: dict[Hashable, Any] = session.info.setdefault(_KEY, {})
    if key not in store:
        store[key] = compute()
    return store[key]  # type: ignore[no-any-return]


def mark_read_only(session: Session) -> None:
    """The session's transactions only read (`unit_of_work(write=False)`)."""
    session.info[_READ_ONLY] = True


def is_read_only(session: Session) -> bool:
    return bool(session.info.get(_READ_ONLY))


def read_once(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """`memo` in a read-only unit of work; `compute()` every time in one that writes (a step may have
    changed what was read a moment ago)."""
    if session.info.get(_READ_ONLY):
        return memo(session, key, compute)
    return compute()


def parsed_once(row: Any, name: str, raw: Any, parse: Callable[[Any], T]) -> T:
    """`parse(raw)` kept on the loaded row under `name` (not a column) while the attribute `raw` was
    read from still holds that same object — a JSON column a page's panels or a step's rules each
    read (a case's catalog entry, a violation's 明细); parsed afresh once the attribute is replaced."""
    kept = row.__dict__.get(name)
    if kept is not None and kept[0] is raw:
        return kept[1]  # type: ignore[no-any-return]
    value = parse(raw)
    row.__dict__[name] = (raw, value)
    return value


def forget(session: Session, key: Hashable) -> None:
    """Drop `key` (the transaction changed what it was computed from)."""
    session.info.get(_KEY, {}).pop(key, None)


def forget_kind(session: Session, kind: str) -> None:
    """Drop every key `(kind, …)`."""
    store = session.info.get(_KEY, {})
    for key in [k for k in store if isinstance(k, tuple) and k and k[0] == kind]:
        del store[key]


@event.listens_for(Session, "after_transaction_end")
def _end(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outermost transaction: a savepoint keeps what was read
        session.info.pop(_KEY, None)


@event.listens_for(Session, "before_flush")
def _flushing(session: Session, flush_context: Any, instances: Any) -> None:
    if session.info.get(_READ_ONLY):  # a "read-only" unit that writes after all reads afresh
        session.info.pop(_KEY, None)
