"""Cases of one agency with filters (state, item, officer, overdue, and a text that finds a case by its
案号 — ASCII brackets too — 案由, or a party's name, 统一社会信用代码, 身份证号 or 法定代表人), newest
first; the same rows for the page and for the Excel export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, or_, select
from sqlalchemy.orm import Session

from caseflow.cases.models import Case, CaseEvent, CaseOfficer, CaseParty, PartyRole
from caseflow.cases.numbering import normalise_case_no
from caseflow.parties.models import Party
from caseflow.cases.queries import lead_officer_name
from caseflow.deadlines.models import Deadline, DeadlineStatus
from caseflow.alerts.watch import breach_rules
from caseflow.org.models import User
from caseflow.web.timefmt import local, moment
from caseflow.workflow.registry import get_library


@dataclass(frozen=True)
class CaseFilter:
    state: str | None = None
    item_key: str | None = None
    officer: str | None = None  # username
    overdue: bool | None = None
    text: str | None = None  # 案号, 案由, 当事人名称/法定代表人 contain it; or a party's identifier is it
    involving: int | None = None  # a user id: cases they are or were an officer of, or took a step on
    finished: bool | None = None  # True: 办结 (closed, or ended: 不予立案, 撤销立案, 终结 …); False: open


def next_due_column() -> Any:
    """The nearest running limit whose expiry is a breach (not the party's own windows)."""
    return (
        select(func.min(Deadline.due_at))
        .where(Deadline.case_id == Case.id, Deadline.status == DeadlineStatus.open,
               Deadline.rule_code.in_(breach_rules()))
        .correlate(Case).scalar_subquery()
    )


def overdue_clause(now: datetime) -> ColumnElement[bool]:
    return exists().where(
        Deadline.case_id == Case.id, Deadline.status == DeadlineStatus.open,
        Deadline.rule_code.in_(breach_rules()), Deadline.due_at <= now,
    )


def row_columns() -> tuple[Any, ...]:
    return (Case.id, Case.case_no, Case.title, Case.item_key, Case.item_name, Case.procedure_code,
            Case.procedure_version, Case.state, Case.opened_at, Case.version,
            lead_officer_name().label("lead_officer"), party_column().label("party"),
            next_due_column().label("next_due"))  # last: the lists order by it (cols[-1])


def apply_filter(stmt: Select[Any], f: CaseFilter, now: datetime) -> Select[Any]:
    if f.state:
        stmt = stmt.where(Case.state == f.state)
    if f.item_key:
        stmt = stmt.where(Case.item_key == f.item_key)
    if f.officer:
        stmt = stmt.where(exists().where(
            CaseOfficer.case_id == Case.id, CaseOfficer.removed_at.is_(None),
            CaseOfficer.user_id == User.id, User.username == f.officer))
    if f.overdue is True:
        stmt = stmt.where(overdue_clause(now))
    elif f.overdue is False:
        stmt = stmt.where(~overdue_clause(now))
    if f.involving is not None:
        stmt = stmt.where(exists().where(CaseOfficer.case_id == Case.id, CaseOfficer.user_id == f.involving)
                          | exists().where(CaseEvent.case_id == Case.id, CaseEvent.actor_id == f.involving))
    if f.finished is not None:
        done = Case.closed_at.is_not(None) | Case.state.in_(final_states())
        stmt = stmt.where(done if f.finished else ~done)
    if f.text and f.text.strip():
        stmt = stmt.where(_text_clause(f.text.strip()))
    return stmt


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _text_clause(text: str) -> ColumnElement[bool]:
    like, code = _like(text), text.upper().replace(" ", "")
    party = exists().where(
        CaseParty.case_id == Case.id, CaseParty.party_id == Party.id,
        or_(Party.name.like(like, escape="\\"), Party.legal_representative.like(like, escape="\\"),
            Party.uscc == code, Party.id_number == code))
    return or_(Case.case_no.like(_like(normalise_case_no(text)), escape="\\"),
               Case.title.like(like, escape="\\"), party)


def party_column() -> Any:
    """The case's 当事人 (its principal party's name)."""
    return (select(func.min(Party.name))
            .where(CaseParty.case_id == Case.id, CaseParty.party_id == Party.id,
                   CaseParty.role == PartyRole.principal)
            .correlate(Case).scalar_subquery())


def to_row(r: Any, now: datetime) -> dict[str, Any]:
    proc = get_library().procedure(r.procedure_code, r.procedure_version)
    return {
        "case_no": r.case_no, "title": r.title, "party": r.party, "item_key": r.item_key, "item_name": r.item_name,
        "procedure": proc.name, "state": r.state, "state_name": proc.state_name(r.state),
        "opened_at": local(r.opened_at), "lead_officer": r.lead_officer,
        "next_due": r.next_due, "next_due_at": moment(r.next_due) if r.next_due else None,
        "overdue": bool(r.next_due and r.next_due <= now), "version": r.version,
    }


def list_cases(*, db_session: Session, agency_id: int, now: datetime, f: CaseFilter = CaseFilter(),
               offset: int = 0, limit: int = 30) -> tuple[int, list[dict[str, Any]]]:
    """(total, rows of this page), newest first."""
    base = apply_filter(select(Case.id).where(Case.agency_id == agency_id), f, now)
    total = db_session.scalar(select(func.count()).select_from(base.subquery())) or 0
    stmt = apply_filter(select(*row_columns()).where(Case.agency_id == agency_id), f, now)
    rows = db_session.execute(stmt.order_by(Case.id.desc()).offset(offset).limit(limit))
    return total, [to_row(r, now) for r in rows]


def final_states() -> set[str]:
    """States a case ends in, of every procedure (归档, 不予立案, 撤销立案, 终结 …)."""
    return {code for proc in get_library().procedures.values() for code, st in proc.states.items() if st.final}


def state_choices() -> list[tuple[str, str]]:
    """(code, "程序·状态名") of every state of every procedure, for filters."""
    out: dict[str, str] = {}
    for proc in get_library().procedures.values():
        for code, st in proc.states.items():
            out.setdefault(code, st.name)
    return sorted(out.items(), key=lambda kv: kv[1])


