"""The case's audit trail: one event per step or act, appended in the act's transaction and never
changed afterwards (the database refuses updates and deletes, migrations 0001/0005)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from caseflow.cases.models import Case, CaseEvent
from caseflow.cases.persistence import other_changes_pending, write_case
from caseflow.db.base import utcnow
from caseflow.org.actors import Actor
from caseflow.org.models import User

_INSERT_EVENT = insert(CaseEvent.__table__)


def append_event(
    *, db_session: Session, case: Case, actor: User | Actor | None, trigger: str, trigger_name: str,
    from_state: str | None, to_state: str, at: datetime, post: str | None = None,
    opinion: str | None = None, payload: dict[str, Any] | None = None,
) -> CaseEvent:
    """Append one audit event (a prebuilt INSERT on the step's connection; never updated later).

    The case row is flushed first: its UPDATE carries the version check, so a writer holding a
    stale case loses there (Conflict) — or waits for the row lock — before it touches the trail.
    """
    case.last_event_seq += 1  # also bumps the case version: the case has changed
    write_case(db_session, case)
    if other_changes_pending(db_session, case):
        db_session.flush()  # the other rows the step added or changed (deadlines, penalties…)
    values = dict(
        case_id=case.id, seq=case.last_event_seq, actor_id=actor.id if actor else None,
        actor_name=actor.full_name if actor else "系统", post=post, trigger=trigger,
        trigger_name=trigger_name, from_state=from_state, to_state=to_state, occurred_at=at,
        recorded_at=utcnow(), opinion=opinion, payload=_jsonable(payload or {}),
    )
    db_session.connection().execute(_INSERT_EVENT, values)
    return CaseEvent(**values)  # a detached copy for the caller; the row is in the database


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def events_of(*, db_session: Session, case_id: int) -> list[CaseEvent]:
    return list(
        db_session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.seq))
    )
