"""Step effects about evidence: a 笔录 made with its step becomes a 证据材料 item (linked to its
document), and 调查终结 records which items the facts rest on — the 决定书's evidence paragraph."""

from __future__ import annotations

from sqlalchemy import select

from caseflow.cases.context import StepContext
from caseflow.cases.evidence import PARTY_ROLES, evidence_line, evidence_of, next_seq
from caseflow.documents.models import Document
from caseflow.evidence.models import EvidenceItem
from caseflow.legal_time import SHANGHAI


def register_record_evidence(ctx: StepContext) -> None:
    """After the step's 笔录 is issued (it needs the step's event number): its evidence item, of the
    kind 第四十六条 names for it — 当事人的陈述 or 证人证言 for a 询问笔录 by whom it heard, 现场笔录
    for a 现场检查笔录."""
    t, p = ctx.transition, ctx.payload
    assert t is not None and t.documents
    doc_type = t.documents[0].doc_type

    def then(event_seq: int) -> None:
        doc_id = ctx.db_session.scalar(select(Document.id).where(
            Document.case_id == ctx.case.id, Document.doc_type == doc_type, Document.event_seq == event_seq))
        if doc_type == "inquiry_record":
            role = str(p.get("person_role") or "")
            kind = "当事人的陈述" if role in PARTY_ROLES else "证人证言"
            title, source, how = f"询问笔录（{p['person_name']}）", f"{p['person_name']}（{role}）", "询问"
        else:
            kind, title = "现场笔录", f"现场检查笔录（{p['subject_name']}）"
            source, how = str(p.get("place") or ""), "现场检查"
        ctx.db_session.add(EvidenceItem(
            case_id=ctx.case.id, seq=next_seq(ctx.db_session, ctx.case.id), kind=kind, title=title,
            source=source[:300], obtained_by=how, collectors=list(p.get("persons") or ()),
            collected_on=ctx.payload_time("acted_at").astimezone(SHANGHAI).date(),
            proves=p.get("proves"), document_id=doc_id, event_seq=event_seq,
            recorded_at=ctx.at, recorded_by_id=ctx.actor.id, recorded_by_name=ctx.actor.full_name,
        ))
        ctx.db_session.flush()

    ctx.after_event.append(then)


def record_relied_evidence(ctx: StepContext) -> None:
    """The items chosen (all in force when none is chosen) and the evidence text the 告知书 and
    决定书 state, one line per item: 名称（种类，来源），证明目的."""
    views = evidence_of(ctx.db_session, ctx.case.id, include_withdrawn=False)
    chosen = set(ctx.payload.get("relied_on") or (v.item.seq for v in views))
    relied = [v for v in views if v.item.seq in chosen]
    ctx.case.relied_evidence = [v.item.seq for v in relied]
    ctx.case.evidence = "\n".join(evidence_line(v.item) for v in relied)
