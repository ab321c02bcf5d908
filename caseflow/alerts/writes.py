"""Writing alerts a chunk at a time: one multi-row INSERT for the alerts, one for their recipients.

The alerts' INSERT is `ON CONFLICT DO NOTHING` on the unique key that says which alert it is
((deadline_id, kind) for limits, (case_id, event_seq, kind) for 退回 notices) with RETURNING: the
ids of the rows this transaction created, and only those. An alert another sweeper raised first is
left out, so its recipients are never written twice (and their own key (alert_id, user_id) would
refuse it anyway). SQLAlchemy sends each list of rows as INSERT … VALUES (…), (…) … in batches
("insertmanyvalues"), on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from caseflow.alerts.models import Alert, AlertRecipient


def _insert(db: Session) -> Any:
    return postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert


def insert_alerts(db: Session, values: list[dict[str, Any]], *, key: Sequence[str]) -> dict[tuple[Any, ...], int]:
    """Insert the alerts unless there already (`key`: the columns of their unique key); {that key of
    each alert created here: its id}."""
    if not values:
        return {}
    table = Alert.__table__
    stmt = (_insert(db)(table).on_conflict_do_nothing(index_elements=list(key))
            .returning(table.c.id, *(table.c[k] for k in key)))
    return {tuple(row[1:]): row[0] for row in db.connection().execute(stmt, values)}


def insert_recipients(db: Session, values: list[dict[str, Any]]) -> int:
    """The recipient rows ({alert_id, user_id, role}) of alerts created in this transaction; how many."""
    if values:
        db.connection().execute(_insert(db)(AlertRecipient.__table__), values)
    return len(values)
