"""Each user's alert inbox (提醒): the alerts addressed to them, how many are unread, marking read.

Everything here is keyed by the user: a recipient row of someone else is never listed, counted or
changed — ids that are not the user's own are silently left alone (the count of changed rows says
what happened). The unread count is one COUNT over the (user_id, read_at) index of
`alert_recipients`: the pages show it in the navigation bar on every request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from caseflow.alerts.models import Alert, AlertKind, AlertRecipient, AlertRole
from caseflow.cases.models import Case
from caseflow.db.base import utcnow

MAX_LIMIT = 500


@dataclass(frozen=True)
class InboxRow:
    id: int  # the recipient row: what is marked read
    alert_id: int
    kind: AlertKind
    message: str
    due_at: datetime
    raised_at: datetime
    read_at: datetime | None
    role: AlertRole
    case_no: str
    case_title: str

    @property
    def kind_label(self) -> str:
        return self.kind.label

    @property
    def role_label(self) -> str:
        return self.role.label

    @property
    def unread(self) -> bool:
        return self.read_at is None


def inbox(db_session: Session, *, user_id: int, unread_only: bool = False, limit: int = 100,
          offset: int = 0) -> list[InboxRow]:
    """The user's alerts: unread ones first, then newest first (by when they were raised)."""
    limit = max(1, min(limit, MAX_LIMIT))
    stmt = (
        select(AlertRecipient.id, Alert.id.label("alert_id"), Alert.kind, Alert.message,
               Alert.due_at, Alert.raised_at, AlertRecipient.read_at, AlertRecipient.role,
               Case.case_no, Case.title.label("case_title"))
        .join(Alert, Alert.id == AlertRecipient.alert_id)
        .join(Case, Case.id == Alert.case_id)
        .where(AlertRecipient.user_id == user_id)
        .order_by(AlertRecipient.read_at.is_not(None), Alert.raised_at.desc(), Alert.id.desc())
        .limit(limit).offset(max(0, offset))
    )
    if unread_only:
        stmt = stmt.where(AlertRecipient.read_at.is_(None))
    return [InboxRow(**r._mapping) for r in db_session.execute(stmt)]


def unread_count(db_session: Session, *, user_id: int) -> int:
    return db_session.scalar(
        select(func.count()).select_from(AlertRecipient)
        .where(AlertRecipient.user_id == user_id, AlertRecipient.read_at.is_(None))
    ) or 0


def mark_read(db_session: Session, *, user_id: int, recipient_ids: Sequence[int] | None,
              now: datetime | None = None) -> int:
    """Mark the user's unread rows among `recipient_ids` (None: all of them) read; how many changed.

    Rows read already keep their first read time; ids of other users' rows change nothing.
    """
    if recipient_ids is not None and not recipient_ids:
        return 0
    stmt = (
        update(AlertRecipient)
        .where(AlertRecipient.user_id == user_id, AlertRecipient.read_at.is_(None))
        .values(read_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    if recipient_ids is not None:
        stmt = stmt.where(AlertRecipient.id.in_(sorted(set(recipient_ids))))
    return db_session.execute(stmt).rowcount or 0


def unread_of_case(db_session: Session, *, user_id: int, case_id: int) -> list[int]:
    """The user's unread recipient rows of one case's alerts (opening the case page reads them)."""
    return list(db_session.scalars(
        select(AlertRecipient.id).join(Alert, Alert.id == AlertRecipient.alert_id)
        .where(AlertRecipient.user_id == user_id, AlertRecipient.read_at.is_(None),
               Alert.case_id == case_id)
        .order_by(AlertRecipient.id)
    ))
