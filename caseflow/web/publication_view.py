"""The case page's 「执法公示」 section: whether the decision is published (待发布 with its limit, 已发布
with the public link, 已撤回 with the reason), the content as published — or, before release, as it
would be — and the versions. It also starts the 发布/更正 forms from that content: the reviewer reads
and edits the 摘要 rather than retypes it."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.cases.models import Case
from caseflow.deadlines.models import Deadline
from caseflow.documents.models import Document
from caseflow.legal_time import SHANGHAI
from caseflow.org.settings import read_settings
from caseflow.publication import service as publication_service
from caseflow.publication.presenters import content_rows, version_rows
from caseflow.web.timefmt import countdown, due_text

RELEASE_LIMIT, WITHDRAWAL_LIMIT = "decision_publication", "publication_withdrawal"  # workflows/rules/<set>/deadlines.yaml
SUMMARY_INPUT = "summary"
STARTS_FROM_CONTENT = ("publish_decision", "correct_publication")  # the steps whose 摘要 the page prefills


def _limit(deadlines: list[Deadline], rule_code: str, now: datetime) -> dict[str, Any] | None:
    rows = [d for d in deadlines if d.rule_code == rule_code]
    if not rows:
        return None
    d = rows[-1]
    return {"name": d.name, "due": due_text(d.due_at, d.due_date), "running": d.is_running,
            "countdown": countdown(d.due_at, now) if d.is_running else None}


def _prefill_summary(actions: list[dict[str, Any]], summary: str) -> None:
    for a in actions:
        if a["trigger"] in STARTS_FROM_CONTENT:
            a["inputs"] = [dict(i, default=summary) if i["name"] == SUMMARY_INPUT else i for i in a["inputs"]]


def publication_panel(*, db_session: Session, case: Case, actions: list[dict[str, Any]],
                      deadlines: list[Deadline], now: datetime) -> dict[str, Any] | None:
    """What the section shows; None for a case with no 行政处罚决定 and nothing published."""
    status = publication_service.status_of(db_session=db_session, case_id=case.id)
    document = publication_service.decision_document(db_session=db_session, case_id=case.id)
    decided = document if case.decision_kind == "penalty" else None
    if status.current is None and decided is None:
        return None
    setting = read_settings(case.agency.settings).publication
    versions, withdrawals = publication_service.history_of(db_session=db_session, case_id=case.id)
    out: dict[str, Any] = {
        "versions": version_rows(versions, withdrawals) if len(versions) > 1 or withdrawals else [],
        "limit": _limit(deadlines, RELEASE_LIMIT, now),
        "withdrawal_limit": _limit(deadlines, WITHDRAWAL_LIMIT, now),
    }
    current = status.current
    # A decision made again (after a 撤销) is published anew: what was published before is history.
    earlier = current is not None and decided is not None and _series(db_session, current.document_id) != decided.series
    if current is None or (status.withdrawal is not None and earlier):
        assert decided is not None
        content = publication_service.preview(decided)
        _prefill_summary(actions, content.summary)
        return out | {"state": "pending", "content": content_rows(content, setting.months)}
    rows = content_rows(current, setting.months)
    if status.withdrawal is not None:
        w = status.withdrawal
        return out | {"state": "withdrawn", "content": rows, "withdrawn_at": w.withdrawn_at,
                      "withdrawn_by": w.withdrawn_by_name, "reason": w.reason}
    until = publication_service.visible_until(current.decided_on, setting.months)
    _prefill_summary(actions, current.summary)
    return out | {
        "state": "released", "content": rows, "released_at": current.released_at, "by": current.released_by_name,
        "version": current.version, "visible": now.astimezone(SHANGHAI).date() <= until, "visible_until": until,
        "stands": decided is not None and not earlier,  # the decision it shows still stands
        "public_url": f"/public/{setting.slug}?doc_no={quote(current.doc_no)}" if setting.slug else None,
    }


def _series(db_session: Session, document_id: int) -> int | None:
    return db_session.scalar(select(Document.series).where(Document.id == document_id))
