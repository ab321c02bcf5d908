"""Guards of 执法公示 (《行政处罚法》第四十八条): a 行政处罚决定书 to publish, not published twice, and
only a publication that stands may be corrected or withdrawn (`caseflow.publication`)."""

from __future__ import annotations

from datetime import datetime

from caseflow.cases.context import StepContext
from caseflow.cases.guards.base import Refusal, guard
from caseflow.documents.models import Document
from caseflow.legal_time import SHANGHAI
from caseflow.publication import service as publication_service


def _day(value: datetime) -> str:
    return f"{value.astimezone(SHANGHAI):%Y年%m月%d日}"


@guard
def penalty_decision_issued(ctx: StepContext) -> Refusal:
    """What is published is the 行政处罚决定 the case stands on: decided, its 决定书 issued."""
    if ctx.case.decision_kind != "penalty":
        return {}
    doc = publication_service.decision_document(db_session=ctx.db_session, case_id=ctx.case.id)
    return None if doc is not None else {}


@guard
def publication_not_yet_released(ctx: StepContext) -> Refusal:
    live = publication_service.status_of(db_session=ctx.db_session, case_id=ctx.case.id).live
    if live is None:
        return None
    return {"released_on": _day(live.released_at), "doc_no": live.doc_no}


@guard
def publication_released(ctx: StepContext) -> Refusal:
    status = publication_service.status_of(db_session=ctx.db_session, case_id=ctx.case.id)
    return None if status.current is not None else {}


@guard
def publication_not_withdrawn(ctx: StepContext) -> Refusal:
    withdrawal = publication_service.status_of(db_session=ctx.db_session, case_id=ctx.case.id).withdrawal
    if withdrawal is None:
        return None
    return {"withdrawn_on": _day(withdrawal.withdrawn_at), "reason": withdrawal.reason}


@guard
def publication_of_current_decision(ctx: StepContext) -> Refusal:
    """A correction shows the same decision (its 决定书 corrected, or changed by a 复议机关 or court:
    the same 文号); a decision made again after a 撤销 is a new publication, after the old one is withdrawn."""
    current = publication_service.status_of(db_session=ctx.db_session, case_id=ctx.case.id).current
    if current is None:
        return None
    published = ctx.db_session.get(Document, current.document_id)
    latest = publication_service.decision_document(db_session=ctx.db_session, case_id=ctx.case.id)
    if published is None or latest is None or ctx.case.decision_kind != "penalty":
        return {"doc_no": current.doc_no}
    return None if latest.series == published.series else {"doc_no": current.doc_no}
