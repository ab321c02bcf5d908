"""What one transaction reads once: a value kept on the session for the rest of its transaction (the
agency's settings, a case's evidence while a step is judged, recorded and documented), forgotten when
the transaction ends — a later transaction on the same session reads afresh."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

__all__ = ["forget", "forget_kind", "memo"]

T = TypeVar("T")
_KEY = "caseflow_memo"


def memo(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` the first time `key` is asked for in this transaction; the same value after."""
    store: dict[Hashable, Any] = session.info.setdefault(_KEY, {})
    if key not in store:
        store[key] = compute()
    return store[key]  # type: ignore[no-any-return]


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
