"""Drafts: the documents a step would issue, with the values typed so far, before it is taken — so
an officer reads and prints the 告知书 before walking to the party, and a blank 送达回证 for the party
to sign.

The step is rehearsed: `fire` runs with every rule in a transaction that is always rolled back, so a
draft is exactly what the step would issue now, and nothing stays behind (no event, no 文号 taken).
A draft has no 文号 and is marked 草稿; a 送达回证 draft leaves the receipt's date and signatures blank.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select

from caseflow.cases.service import fire
from caseflow.db.session import rehearsal
from caseflow.documents import snapshot
from caseflow.documents.models import Document
from caseflow.errors import InvalidInput

NO_NUMBER = "（文号于出具时编定）"
RECEIPT = "service_receipt"


@dataclass(frozen=True)
class Draft:
    doc_type: str
    title: str
    data: dict[str, Any]


def draft_documents(*, engine: Engine, case_no: str, trigger: str, actor_id: int,
                    payload: dict[str, Any] | None = None, opinion: str | None = None,
                    at: datetime | None = None) -> list[Draft]:
    """The documents `trigger` would issue now as `actor_id` with these values, as drafts. A step
    the rules refuse is refused here too (its RuleViolation / InvalidInput); a step that issues no
    document says so."""
    with rehearsal(engine) as s:
        result = fire(db_session=s, case_no=case_no, trigger=trigger, actor_id=actor_id, payload=payload,
                      opinion=opinion, at=at)
        issued = list(s.scalars(select(Document).where(
            Document.case_id == result.case.id, Document.event_seq == result.event.seq).order_by(Document.id)))
        numbers = {d.doc_no for d in issued if d.doc_no}  # taken in the rehearsal only
        drafts = [Draft(d.doc_type, d.title, _as_draft(d.doc_type, snapshot.decode(d.data), numbers))
                  for d in issued]
    if not drafts:
        raise InvalidInput(f"「{result.event.trigger_name}」不出具文书，没有可预览的草稿。",
                           code="NO_DOCUMENT_TO_DRAFT", details={"trigger": "本步骤不出具文书"})
    return drafts


def _as_draft(doc_type: str, data: dict[str, Any], numbers: set[str]) -> dict[str, Any]:
    out = {**data, "draft": True}
    if out.get("doc_no"):
        out["doc_no"] = NO_NUMBER
    if doc_type == RECEIPT:  # printed for the party to sign: the date is written by hand
        service = {**out.get("service", {}), "served_at": None}
        if service.get("served_doc_no") in numbers:  # the document served is itself a draft
            service["served_doc_no"] = NO_NUMBER
        out["service"] = service
    return out
