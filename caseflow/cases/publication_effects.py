"""Step effects of 执法公示 (《行政处罚法》第四十八条): release the publication of the decision, correct
it (a new version), withdraw it — each written with the step's audit event (`caseflow.publication`
keeps the rows; the event's payload says what was done). A 撤销 that ends the case (终结) withdraws
the publication in the same step: no step can be taken on a case once it is over."""

from __future__ import annotations

from typing import Any

from caseflow.cases.context import StepContext
from caseflow.cases.models import RemedyKind, RemedyOutcome
from caseflow.publication import service as publication_service


def _audit(ctx: StepContext, what: str, **facts: Any) -> None:
    ctx.extra_events.append({"publication": {"action": what, **facts}})


def _decision(ctx: StepContext):  # type: ignore[no-untyped-def]
    doc = publication_service.decision_document(db_session=ctx.db_session, case_id=ctx.case.id)
    assert doc is not None  # the penalty_decision_issued / publication_of_current_decision guards
    return doc


def release_publication(ctx: StepContext) -> None:
    """发布: the content built from the current 决定书, with the reviewer's 摘要 where given."""
    doc = _decision(ctx)
    summary = ctx.payload.get("summary")
    content = publication_service.preview(doc, summary)
    _audit(ctx, "发布", doc_no=content.doc_no, party_name=content.party_name, summary=content.summary)

    def then(event_seq: int) -> None:
        publication_service.release(
            db_session=ctx.db_session, agency_id=ctx.case.agency_id, case_id=ctx.case.id, document=doc,
            summary=summary, event_seq=event_seq, at=ctx.at, actor_id=ctx.actor.id, actor_name=ctx.actor.full_name)

    ctx.after_event.append(then)


def correct_publication(ctx: StepContext) -> None:
    """更正: a new version of the publication, from the current 决定书; the old version stays."""
    current = publication_service.status_of(db_session=ctx.db_session, case_id=ctx.case.id).current
    assert current is not None  # the publication_released guard
    doc = _decision(ctx)
    summary = ctx.payload.get("summary") or current.summary
    content = publication_service.preview(doc, summary)
    _audit(ctx, "更正", version=current.version + 1, doc_no=content.doc_no, summary=content.summary)

    def then(event_seq: int) -> None:
        publication_service.correct(
            db_session=ctx.db_session, current=current, document=doc, summary=summary,
            reason=str(ctx.payload.get("reason") or ""), event_seq=event_seq, at=ctx.at,
            actor_id=ctx.actor.id, actor_name=ctx.actor.full_name)

    ctx.after_event.append(then)


def _withdraw(ctx: StepContext, reason: str) -> None:
    current = publication_service.status_of(db_session=ctx.db_session, case_id=ctx.case.id).live
    if current is None:
        return
    _audit(ctx, "撤回", doc_no=current.doc_no, reason=reason)

    def then(event_seq: int) -> None:
        publication_service.withdraw(db_session=ctx.db_session, current=current, reason=reason,
                                     event_seq=event_seq, at=ctx.at, actor_name=ctx.actor.full_name)

    ctx.after_event.append(then)


def withdraw_publication(ctx: StepContext) -> None:
    """撤回, with the reason made public (第四十八条第二款: 公开说明理由)."""
    _withdraw(ctx, str(ctx.payload.get("reason") or ""))


def withdraw_revoked_publication(ctx: StepContext) -> None:
    """A 复议决定 or 判决 that 撤销 the decision and ends the case: its publication, if one stands, is
    withdrawn by the same step, the reason stating who revoked it and when."""
    revoked = next((r for r in reversed(ctx.case.remedies) if r.outcome is RemedyOutcome.revoked), None)
    if revoked is None:
        return
    by = "行政复议决定" if revoked.kind is RemedyKind.review else "判决"
    on = f"{revoked.decided_on:%Y年%m月%d日}" if revoked.decided_on else ""
    _withdraw(ctx, f"该行政处罚决定已于{on}经{revoked.body}{by}撤销，依照《行政处罚法》第四十八条第二款撤回公示。")
