"""Writing and reading publications: release, correct and withdraw (called by the steps' effects in
`caseflow.cases.publication_effects`, inside the step's transaction, with the step's audit event),
and the public reads — the agencies that publish and an agency's records, one indexed query each.

What the public sees of a case: the current version (nothing supersedes it) of a publication not
withdrawn, whose 公示期限 (the agency's setting, counted from the 决定日期) has not run out.
"""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from caseflow.db.memo import read_once
from caseflow.documents import snapshot
from caseflow.documents.models import Document
from caseflow.documents.service import latest_document
from caseflow.org.models import Agency
from caseflow.org.settings import PublicationSetting, read_settings
from caseflow.publication.content import Content, content_of, people_of
from caseflow.publication.models import Publication, PublicationWithdrawal
from caseflow.publication.redaction import People, redact

log = logging.getLogger("caseflow.publication")

DECISION_TYPE = "penalty_decision"  # what is published: the 行政处罚决定书


# ── the case's own publications ─────────────────────────────────────────
@dataclass(frozen=True)
class Status:
    """The newest publication of a case (its current version) and its withdrawal, if any."""

    current: Publication | None
    withdrawal: PublicationWithdrawal | None

    @property
    def live(self) -> Publication | None:
        """The version the public may see (subject to the 公示期限), None once withdrawn."""
        return self.current if self.withdrawal is None else None


def status_of(*, db_session: Session, case_id: int) -> Status:
    """The case's newest publication and its withdrawal (read once per read-only unit of work)."""
    return read_once(db_session, ("publication", case_id), lambda: _status_of(db_session, case_id))


def _status_of(db_session: Session, case_id: int) -> Status:
    current = db_session.scalar(select(Publication).where(Publication.case_id == case_id)
                                .order_by(Publication.series.desc(), Publication.version.desc()).limit(1))
    if current is None:
        return Status(None, None)
    withdrawal = db_session.scalar(select(PublicationWithdrawal).where(
        PublicationWithdrawal.case_id == case_id, PublicationWithdrawal.series == current.series))
    return Status(current, withdrawal)


def history_of(*, db_session: Session, case_id: int) -> tuple[list[Publication], list[PublicationWithdrawal]]:
    """Every version and every withdrawal of the case's publications, oldest first."""
    versions = list(db_session.scalars(select(Publication).where(Publication.case_id == case_id)
                                       .order_by(Publication.series, Publication.version)))
    withdrawals = list(db_session.scalars(select(PublicationWithdrawal).where(PublicationWithdrawal.case_id == case_id)
                                          .order_by(PublicationWithdrawal.series)))
    return versions, withdrawals


def decision_document(*, db_session: Session, case_id: int) -> Document | None:
    """The newest version of the case's newest 行政处罚决定书."""
    return latest_document(db_session=db_session, case_id=case_id, doc_types=(DECISION_TYPE,))


def preview(document: Document, summary: str | None = None) -> Content:
    """What releasing now would publish of `document`."""
    return content_of(snapshot.decode(document.data), summary=summary)


def _row(content: Content, **fields: Any) -> Publication:
    return Publication(**content.fields(), **fields)


def release(*, db_session: Session, agency_id: int, case_id: int, document: Document, summary: str | None,
            event_seq: int, at: datetime, actor_id: int | None, actor_name: str) -> Publication:
    """A new publication of the case (the next series), version 1."""
    last = db_session.scalar(select(func.max(Publication.series)).where(Publication.case_id == case_id))
    row = _row(preview(document, summary), agency_id=agency_id, case_id=case_id, series=int(last or 0) + 1,
               version=1, document_id=document.id, event_seq=event_seq, released_at=at,
               released_by_id=actor_id, released_by_name=actor_name)
    db_session.add(row)
    db_session.flush()
    return row


def correct(*, db_session: Session, current: Publication, document: Document, summary: str | None, reason: str,
            event_seq: int, at: datetime, actor_id: int | None, actor_name: str) -> Publication:
    """The next version of `current`, built from `document` (the current 决定书), with the 摘要 given
    or — when none is — the one published now."""
    people = people_of(snapshot.decode(document.data))
    row = _row(preview(document, summary or current.summary), agency_id=current.agency_id,
               case_id=current.case_id, series=current.series, version=current.version + 1,
               supersedes_id=current.id, document_id=document.id, reason=redact(reason.strip(), people),
               event_seq=event_seq, released_at=at, released_by_id=actor_id, released_by_name=actor_name)
    db_session.add(row)
    db_session.flush()
    return row


def withdraw(*, db_session: Session, current: Publication, reason: str, event_seq: int, at: datetime,
             actor_name: str) -> PublicationWithdrawal:
    """Withdraw the publication `current` belongs to; the reason (made public) is redacted."""
    doc = db_session.get(Document, current.document_id)
    people = people_of(snapshot.decode(doc.data)) if doc is not None else People()
    row = PublicationWithdrawal(
        agency_id=current.agency_id, case_id=current.case_id, series=current.series, publication_id=current.id,
        reason=redact(reason.strip(), people), event_seq=event_seq,
        withdrawn_at=at, withdrawn_by_name=actor_name)
    db_session.add(row)
    db_session.flush()
    return row


# ── the 公示期限 ─────────────────────────────────────────────────────────
def _shift_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), or the month's last day where there is none
    (《民法典》第二百零二条)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def visible_until(decided_on: date, months: int) -> date:
    """The last day a decision of `decided_on` stays on the public pages."""
    return _shift_months(decided_on, months)


def visible_since(today: date, months: int) -> date:
    """The earliest 决定日期 still shown on `today`: `visible_until(d) >= today` exactly from it."""
    day = _shift_months(today, -months)
    while visible_until(day, months) < today:
        day += timedelta(days=1)
    return day


# ── the public pages ────────────────────────────────────────────────────
@dataclass(frozen=True)
class PublicAgency:
    id: int
    name: str
    slug: str
    setting: PublicationSetting


def publishing_agencies(*, db_session: Session) -> list[PublicAgency]:
    """Agencies that opened public pages (a slug in their settings), by name. A slug two agencies
    claim serves neither (and is logged): a page never shows one agency's records under another's name."""
    out: dict[str, list[PublicAgency]] = {}
    for agency_id, name, raw in db_session.execute(select(Agency.id, Agency.name, Agency.settings)):
        try:
            setting = read_settings(raw).publication
        except Exception:  # noqa: BLE001 - a broken settings row is not the public's problem
            log.warning("机关 %s 的设置无法读取，不开放公示网页", agency_id)
            continue
        if setting.slug:
            out.setdefault(setting.slug, []).append(PublicAgency(agency_id, name, setting.slug, setting))
    for slug, claims in out.items():
        if len(claims) > 1:
            log.warning("公示网页地址代码 %s 被多个机关使用，不予提供", slug)
    return sorted((c[0] for c in out.values() if len(c) == 1), key=lambda a: a.name)


def agency_by_slug(*, db_session: Session, slug: str) -> PublicAgency | None:
    return next((a for a in publishing_agencies(db_session=db_session) if a.slug == slug), None)


@dataclass(frozen=True)
class Search:
    party: str = ""  # 当事人 name (as published)
    doc_no: str = ""  # 文号
    q: str = ""  # a word anywhere in the record


# The public content of a record and nothing else (no case id, no row id, no user).
PUBLIC_COLUMNS = (Publication.party_name, Publication.party_kind, Publication.credit_code, Publication.doc_no,
                  Publication.summary, Publication.basis, Publication.penalty, Publication.agency_name,
                  Publication.decided_on, Publication.released_at, Publication.version)


def public_records(*, db_session: Session, agency: PublicAgency, today: date, search: Search = Search(),
                   offset: int = 0, limit: int = 20) -> list[Any]:
    """One page of the agency's records the public sees on `today`, newest decision first: one
    query on the index (agency_id, decided_on); `limit` + 1 rows tell whether there is a next page."""
    newer = aliased(Publication)
    w = PublicationWithdrawal
    p = Publication
    stmt = select(*PUBLIC_COLUMNS).where(
        p.agency_id == agency.id,
        p.decided_on >= visible_since(today, agency.setting.months),
        ~exists().where(newer.supersedes_id == p.id),
        ~exists().where(w.case_id == p.case_id, w.series == p.series),
    )
    if search.party:
        stmt = stmt.where(p.party_name.contains(search.party, autoescape=True))
    if search.doc_no:
        stmt = stmt.where(p.doc_no.contains(search.doc_no, autoescape=True))
    if search.q:
        stmt = stmt.where(or_(*(col.contains(search.q, autoescape=True) for col in (
            p.party_name, p.credit_code, p.doc_no, p.summary, p.basis, p.penalty))))
    stmt = stmt.order_by(p.decided_on.desc(), p.id.desc()).offset(offset).limit(limit)
    return list(db_session.execute(stmt))


def public_withdrawals(*, db_session: Session, agency: PublicAgency, today: date,
                       offset: int = 0, limit: int = 20) -> list[Any]:
    """The agency's withdrawals with their reasons (第四十八条第二款: 公开说明理由), newest first, for
    as long as the withdrawn decision's 公示期限 runs."""
    w, p = PublicationWithdrawal, Publication
    stmt = (select(p.doc_no, p.party_name, p.decided_on, w.reason, w.withdrawn_at)
            .join(p, p.id == w.publication_id)
            .where(w.agency_id == agency.id, p.decided_on >= visible_since(today, agency.setting.months))
            .order_by(w.withdrawn_at.desc(), w.id.desc()).offset(offset).limit(limit))
    return list(db_session.execute(stmt))
