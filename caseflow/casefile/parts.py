"""What a case's 案卷 holds and in which order — the parts the binder prints (`documents.binding`).

The order is the 立卷 practice for 行政处罚案卷 (common practice of 文书档案 binding, not a statute):
the 执法文书 in the order they were issued, each followed by its 送达回证; then the evidence — the
证据清单, the 笔录, 身份/登记证明, other 书证 and 物证, 鉴定意见, photos and scans printed with their
description, and 电子数据/音像 as a listing with their SHA-256. Where the agency keeps 正副卷, the
internal forms (审批表, 法制审核意见书) go into the 副卷. Withdrawn evidence is not bound; the 备考表
says what was withdrawn and why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.cases.evidence import IDENTITY_DOCS, SERVICE_AGREEMENT, EvidenceView, evidence_of
from caseflow.cases.models import Case
from caseflow.documents.binding import (
    Cover,
    ImagePage,
    Images,
    Listing,
    ListingRow,
    Part,
    PdfPages,
    Remarks,
    Volume,
)
from caseflow.documents.models import Delivery, Document
from caseflow.documents.service import render_document
from caseflow.evidence.files import PRINTABLE_IMAGES, type_label
from caseflow.evidence.storage import FileStore
from caseflow.legal_time import SHANGHAI
from caseflow.org.settings import AgencySettings

__all__ = ["INTERNAL_TYPES", "CaseFileFacts", "volumes_of"]

# Internal forms: the 副卷's where the agency keeps 正副卷.
INTERNAL_TYPES = frozenset({"filing_approval", "legal_review_opinion", "closing_approval"})
RECORD_TYPES = frozenset({"inquiry_record", "inspection_record"})  # bound with the evidence
EVIDENCE_LIST = "evidence_list"
_RECORD_KINDS = ("当事人的陈述", "证人证言", "现场笔录", "勘验笔录")


@dataclass(frozen=True)
class CaseFileFacts:
    """What the cover and the 备考表 state beyond the parts."""

    agency: str
    section: str
    decision_no: str | None
    closed_on: date | None
    filed_by: str
    filed_on: date


def _day(doc: Document) -> date:
    return doc.issued_at.astimezone(SHANGHAI).date()


def _pdf(db_session: Session, doc_id: int) -> Callable[[], bytes]:
    def read() -> bytes:
        doc = db_session.get(Document, doc_id)
        assert doc is not None
        return doc.pdf if doc.pdf is not None else render_document(doc)
    return read


def _doc_part(db_session: Session, doc: Document, agency: str) -> Part:
    title = doc.title + (f"（第{doc.version}版）" if doc.version > 1 else "")
    return Part(title=title, doc_no=doc.doc_no, responsible=agency, day=_day(doc),
                content=PdfPages(_pdf(db_session, doc.id)),
                note="更正" if doc.supersedes_id else "")


def _document_parts(db_session: Session, case: Case, agency: str) -> tuple[list[tuple[bool, Part]], list[Part]]:
    """The 执法文书 in the order issued, each (internal?, part) followed by its 送达回证; and the newest
    证据清单, which heads the evidence (the 笔录 are bound with the evidence they are)."""
    docs = list(db_session.scalars(select(Document).where(Document.case_id == case.id).order_by(Document.id)))
    receipts: dict[int, list[int]] = {}
    for d in db_session.scalars(select(Delivery).where(Delivery.case_id == case.id).order_by(Delivery.id)):
        if d.receipt_id is not None:
            receipts.setdefault(d.document_id, []).append(d.receipt_id)
    by_id = {d.id: d for d in docs}
    attached = {r for rs in receipts.values() for r in rs}
    ordered: list[tuple[bool, Part]] = []
    for doc in docs:
        if doc.id in attached or doc.doc_type in RECORD_TYPES or doc.doc_type == EVIDENCE_LIST:
            continue
        internal = doc.doc_type in INTERNAL_TYPES
        ordered.append((internal, _doc_part(db_session, doc, agency)))
        ordered.extend((internal, _doc_part(db_session, by_id[r], agency)) for r in receipts.get(doc.id, ()))
    lists = [d for d in docs if d.doc_type == EVIDENCE_LIST]
    return ordered, [_doc_part(db_session, lists[-1], agency)] if lists else []


def _evidence_rank(v: EvidenceView) -> int:
    i = v.item
    if i.document_id is not None or i.kind in _RECORD_KINDS:
        return 0
    if i.kind == "书证" and (IDENTITY_DOCS.search(i.title) or SERVICE_AGREEMENT.search(i.title)):
        return 1
    if i.kind in ("书证", "物证", "鉴定意见"):
        return 2
    if i.kind == "视听资料":
        return 3
    return 4  # 电子数据


def _caption(v: EvidenceView, text: str) -> str:
    i = v.item
    who = "、".join(i.collectors)
    return f"{i.title}：{text}（{i.kind}；{i.source}；收集人{who}；{i.collected_on:%Y年%m月%d日}）"


def _evidence_parts(db_session: Session, views: list[EvidenceView], store: FileStore, agency: str) -> list[Part]:
    parts: list[Part] = []
    for v in sorted(views, key=lambda v: (_evidence_rank(v), v.item.seq)):
        i = v.item
        title = f"证据{i.seq}：{i.title}"
        common = dict(doc_no=None, responsible=i.source or agency, day=i.collected_on)
        files = v.live_files
        if i.document_id is not None:  # a 笔录 made in caseflow: the agency's own record, bound as
            common["responsible"] = agency  # signed (its scan) where the officer has uploaded that
            if not any(f.mime in PRINTABLE_IMAGES or f.mime == "application/pdf" for f in files):
                parts.append(Part(title=title, content=PdfPages(_pdf(db_session, i.document_id)), **common))
                continue
            title += "（签名件）"
        images = [f for f in files if f.mime in PRINTABLE_IMAGES]
        pdfs = [f for f in files if f.mime == "application/pdf"]
        others = [f for f in files if f not in images and f not in pdfs]
        for f in pdfs:
            parts.append(Part(title=title + (f"（{f.filename}）" if len(pdfs) > 1 else ""),
                              content=PdfPages(_reader(db_session, store, f.sha256)), **common))
        if images:
            pages = tuple(ImagePage(_reader(db_session, store, f.sha256), _caption(v, f.description or f.filename))
                          for f in images)
            parts.append(Part(title=title + ("（照片）" if pdfs else ""), content=Images(pages), **common))
        if others or not files:
            rows = tuple(ListingRow(name=f.filename, kind=type_label(f.mime), size=f.size, sha256=f.sha256,
                                    note=f.description or "") for f in others)
            if not files:
                rows = (ListingRow(name=i.title, kind=f"{i.kind}（纸质）", size=0, sha256="",
                                   note=f"原件{v.pages or ''}{'页' if v.pages else ''}随纸质案卷保存"),)
            parts.append(Part(title=title + ("（电子数据清单）" if files else ""),
                              content=Listing(heading=f"{i.title}（{i.kind}）", rows=rows), **common))
    return parts


def _reader(db_session: Session, store: FileStore, sha256: str) -> Callable[[], bytes]:
    return lambda: store.read(db_session, sha256)


def _withdrawn_lines(views: list[EvidenceView]) -> list[str]:
    lines = [f"证据{v.item.seq}「{v.item.title}」已于{v.withdrawn.withdrawn_at.astimezone(SHANGHAI):%Y年%m月%d日}"
             f"撤回（{v.withdrawn.reason}），未装订。" for v in views if v.withdrawn is not None]
    for v in views:
        for f in v.files:
            w = v.withdrawn_files.get(f.id)
            if w is not None and v.withdrawn is None:
                lines.append(f"证据{v.item.seq}的文件「{f.filename}」已撤回（{w.reason}），未装订。")
    return lines


def volumes_of(db_session: Session, case: Case, settings: AgencySettings, facts: CaseFileFacts,
               store: FileStore, notes: list[str]) -> list[Volume]:
    """The volumes of the case's 案卷: one, or 正卷 and 副卷 where the agency keeps 正副卷 (and the
    case has internal forms). `notes` (评查 findings left open, unreadable parts) go to the 备考表."""
    ordered, records = _document_parts(db_session, case, facts.agency)
    views = evidence_of(db_session, case.id)
    evidence = records + _evidence_parts(db_session, [v for v in views if v.withdrawn is None], store,
                                         facts.agency)
    internal = [p for inner, p in ordered if inner]
    if settings.casefile.two_volumes and internal:
        bodies = [("正卷", [p for inner, p in ordered if not inner] + evidence), ("副卷", internal)]
    else:
        bodies = [("", [p for _, p in ordered] + evidence)]
    explanation = [*_withdrawn_lines(views), *notes]
    out = []
    for label, parts in bodies:
        cover = Cover(title=case.title if case.title.endswith("案") else case.title + "案",
                      case_no=case.case_no, decision_no=facts.decision_no,
                      agency=facts.section or facts.agency,
                      filed_on=case.filed_at.astimezone(SHANGHAI).date() if case.filed_at else None,
                      closed_on=facts.closed_on, retention=settings.casefile.retention,
                      archive_no=case.archive_no or "", volume=label, fonds=facts.agency)
        text = "\n".join(explanation) or "本卷文书、证据齐全，无其他需要说明的情况。"
        out.append(Volume(cover=cover, parts=tuple(parts),
                          remarks=Remarks(explanation=text, filed_by=facts.filed_by,
                                          checked_by=settings.casefile.checker, filed_on=facts.filed_on)))
    return out
