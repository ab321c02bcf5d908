"""退回 notices: when 法制审核 or the head sends a case back (a refusal that does not end it), the
people who must answer it — the case's investigators and the holders of the post it now waits for —
get a 提醒 with the reasons. Raised by the sweep from the audit trail (recent 退回 events without their
notice), all in one multi-row INSERT, once: the unique key (case_id, event_seq, kind) makes a second
sweeper's INSERT do nothing (alerts/writes.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from caseflow.alerts.models import Alert, AlertKind
from caseflow.alerts.recipients import RecipientFinder
from caseflow.alerts.writes import insert_alerts, insert_recipients
from caseflow.cases.models import Case, CaseEvent
from caseflow.workflow.registry import WorkflowLibrary

LOOK_BACK = timedelta(days=7)  # a 退回 older than this when the sweep first sees it is not news


def return_triggers(library: WorkflowLibrary) -> set[str]:
    """Steps that send a case back: a refusal whose destination is not final (退回立案申请, 法制审核退回 …)."""
    return {trigger for proc in library.procedures.values() for trigger in proc.returns}


def raise_return_notices(db: Session, now: datetime, library: WorkflowLibrary) -> tuple[int, int]:
    """(notices raised, people notified) for the recent 退回 not yet notified."""
    notified = exists().where(and_(Alert.case_id == CaseEvent.case_id, Alert.event_seq == CaseEvent.seq,
                                   Alert.kind == AlertKind.returned))
    rows = list(db.execute(
        select(CaseEvent.case_id, CaseEvent.seq, CaseEvent.trigger_name, CaseEvent.actor_name,
               CaseEvent.opinion, CaseEvent.occurred_at, CaseEvent.to_state, Case.case_no, Case.agency_id,
               Case.procedure_code, Case.procedure_version, Case.post_sections, Case.state)
        .join(Case, Case.id == CaseEvent.case_id)
        .where(CaseEvent.trigger.in_(return_triggers(library)), CaseEvent.occurred_at > now - LOOK_BACK,
               CaseEvent.occurred_at <= now, ~notified)
        .order_by(CaseEvent.occurred_at)
    ))
    if not rows:
        return 0, 0
    created = insert_alerts(db, [
        {"case_id": r.case_id, "event_seq": r.seq, "agency_id": r.agency_id, "kind": AlertKind.returned,
         "due_at": r.occurred_at, "raised_at": now,
         "message": f"{r.case_no}：{r.actor_name}「{r.trigger_name}」{'：' + r.opinion if r.opinion else ''}"[:400]}
        for r in rows
    ], key=("case_id", "event_seq", "kind"))
    if not created:  # raised already (by another sweeper)
        return 0, 0
    finder = RecipientFinder(db, library)
    officers = finder.officers_of({case_id for case_id, _, _ in created})
    recipients = []
    for r in rows:
        alert_id = created.get((r.case_id, r.seq, AlertKind.returned))
        if alert_id is not None:
            to = finder.for_state(case=r, officers=officers.get(r.case_id, []))
            recipients += [{"alert_id": alert_id, "user_id": u, "role": role} for u, role in to]
    return len(created), insert_recipients(db, recipients)
