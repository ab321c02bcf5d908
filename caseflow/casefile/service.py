"""Binding a case's 案卷 and keeping it: at 归档 (after the archive step commits, like a document's
PDF after its step) the volumes are bound from what the case holds and stored once, with their
SHA-256, in the file store; later downloads read them back. A case not yet archived can be bound as a
preview (marked 预览 on the cover, not stored) — what the head reads before 批准结案.

Binding reads in a read transaction and writes in a short one afterwards: a 200-page case binds in
seconds, and holding the database's write lock that long would stop every officer's step.
Binding is reproducible, so two processes binding one case store the same bytes once.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Engine, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from caseflow.casefile.models import CaseFile
from caseflow.casefile.parts import CaseFileFacts, volumes_of
from caseflow.cases.file_review import review_case_file
from caseflow.cases.lookup import get_case, procedure_of
from caseflow.cases.models import Case, CaseEvent
from caseflow.db.session import unit_of_work
from caseflow.documents.models import Document
from caseflow.documents.service import render_pending
from caseflow.errors import NotFound
from caseflow.evidence.storage import FileStore, default_store
from caseflow.legal_time import SHANGHAI
from caseflow.org.settings import read_settings

__all__ = ["BoundVolume", "bind_pending", "case_file", "preview_case_file", "unbound_cases"]

log = logging.getLogger(__name__)
DECISION_TYPES = ("penalty_decision", "no_penalty_decision", "recovery_decision", "sealing_decision")


@dataclass(frozen=True)
class BoundVolume:
    volume: str
    archive_no: str
    pdf: bytes
    sha256: str
    pages: int
    contents: list[dict]


def _facts(db_session: Session, case: Case) -> CaseFileFacts:
    proc = procedure_of(case)
    section = next((t.section for t in proc.transitions if t.section), "") or ""
    decision_no = db_session.scalar(select(Document.doc_no).where(
        Document.case_id == case.id, Document.doc_type.in_(DECISION_TYPES)).order_by(Document.id.desc()).limit(1))
    archiver = db_session.scalar(select(CaseEvent.actor_name).where(
        CaseEvent.case_id == case.id, CaseEvent.trigger == "archive").order_by(CaseEvent.seq.desc()).limit(1))
    when = case.archived_at or case.closed_at
    return CaseFileFacts(
        agency=case.agency.name, section=f"{case.agency.name}{section}", decision_no=decision_no,
        closed_on=case.closed_at.astimezone(SHANGHAI).date() if case.closed_at else None,
        filed_by=archiver or "", filed_on=when.astimezone(SHANGHAI).date() if when else date.today(),
    )


def _bind(db_session: Session, case: Case, store: FileStore, *, preview: bool) -> list[tuple[str, object]]:
    from caseflow.documents.binding import bind  # pypdf and WeasyPrint: loaded only when binding

    settings = read_settings(case.agency.settings)
    notes = [f"评查：{f.message}" for f in review_case_file(db_session, case)]
    volumes = volumes_of(db_session, case, settings, _facts(db_session, case), store, notes)
    if preview:
        volumes = [replace(v, cover=replace(v.cover, archive_no="预览（未归档）")) for v in volumes]
    return [(v.cover.volume, bind(v)) for v in volumes]


def unbound_cases(engine: Engine, *, limit: int = 100) -> list[tuple[int, str]]:
    """(id, 案号) of archived cases without a bound 案卷, oldest 归档 first."""
    with unit_of_work(engine, write=False) as s:
        rows = s.execute(select(Case.id, Case.case_no).where(
            Case.archived_at.is_not(None), ~select(CaseFile.id).where(CaseFile.case_id == Case.id).exists(),
        ).order_by(Case.archived_at).limit(limit))
        return [(i, n) for i, n in rows]


def bind_pending(engine: Engine, *, case_id: int, store: FileStore | None = None) -> int:
    """Bind and store the 案卷 of an archived case that has none yet; 0 if there is nothing to do.
    Renders the case's pending documents first."""
    store = store or default_store()
    with unit_of_work(engine, write=False) as s:
        case = s.get(Case, case_id)
        if case is None or case.archived_at is None:
            return 0
        if s.scalar(select(CaseFile.id).where(CaseFile.case_id == case_id).limit(1)) is not None:
            return 0
    render_pending(engine, case_id=case_id, limit=10000)
    with unit_of_work(engine, write=False) as s:
        case = s.get(Case, case_id)
        assert case is not None
        archive_no = case.archive_no or ""
        bound = _bind(s, case, store, preview=False)
    stored = 0
    with unit_of_work(engine) as s:
        for volume, b in bound:
            store.put(s, io.BytesIO(b.pdf), sha256=b.sha256, size=len(b.pdf), mime="application/pdf")
            row = dict(case_id=case_id, volume=volume, archive_no=archive_no, sha256=b.sha256, size=len(b.pdf),
                       pages=b.pages, numbered_pages=b.numbered_pages, unreadable=list(b.unreadable),
                       contents=[{"seq": e.seq, "title": e.title, "doc_no": e.doc_no, "responsible": e.responsible,
                                  "day": e.day.isoformat() if e.day else None, "first_page": e.first_page,
                                  "last_page": e.last_page, "note": e.note} for e in b.toc])
            insert = postgresql.insert if s.bind.dialect.name == "postgresql" else sqlite.insert
            added = s.execute(insert(CaseFile).values(row).on_conflict_do_nothing().returning(CaseFile.id)).first()
            stored += added is not None  # (psycopg's rowcount is -1 for ON CONFLICT DO NOTHING)
    log.info("案件（编号%s）的案卷已装订：%s卷", case_id, stored)
    return stored


def case_file(engine: Engine, *, case_no: str, agency_id: int | None = None,
              store: FileStore | None = None) -> list[BoundVolume]:
    """The stored volumes of an archived case (bound now if the background binding has not yet run)."""
    store = store or default_store()
    with unit_of_work(engine, write=False) as s:
        case = get_case(db_session=s, case_no=case_no, agency_id=agency_id)
        case_id, archived = case.id, case.archived_at is not None
    if not archived:
        raise NotFound(f"案件{case_no}尚未归档，没有案卷；可先查看案卷预览。", code="CASE_FILE_NOT_BOUND")
    bind_pending(engine, case_id=case_id, store=store)
    with unit_of_work(engine, write=False) as s:
        rows = s.scalars(select(CaseFile).where(CaseFile.case_id == case_id).order_by(CaseFile.id)).all()
        return [BoundVolume(r.volume, r.archive_no, store.read(s, r.sha256), r.sha256, r.pages, r.contents)
                for r in rows]


def preview_case_file(engine: Engine, *, case_no: str, agency_id: int | None = None,
                      store: FileStore | None = None) -> list[BoundVolume]:
    """The 案卷 as it would be bound now (any state), marked 预览 on its cover; not stored."""
    store = store or default_store()
    with unit_of_work(engine, write=False) as s:
        case_id = get_case(db_session=s, case_no=case_no, agency_id=agency_id).id
    render_pending(engine, case_id=case_id, limit=10000)
    with unit_of_work(engine, write=False) as s:
        case = s.get(Case, case_id)
        assert case is not None
        return [BoundVolume(v, case.archive_no or "", b.pdf, b.sha256, b.pages, [])
                for v, b in _bind(s, case, store, preview=True)]
