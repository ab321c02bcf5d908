"""Cases of one agency with filters (state, item, officer, overdue), newest first or by next limit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, select
from sqlalchemy.orm import Session

from caseflow.cases.models import Case, CaseOfficer
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
    text: str | None = None  # 案号 or 案由 contains


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
            lead_officer_name().label("lead_officer"), next_due_column().label("next_due"))


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
    if f.text:
        like = f"%{f.text.strip()}%"
        stmt = stmt.where(Case.case_no.like(like) | Case.title.like(like))
    return stmt


def to_row(r: Any, now: datetime) -> dict[str, Any]:
    proc = get_library().procedure(r.procedure_code, r.procedure_version)
    return {
        "case_no": r.case_no, "title": r.title, "item_key": r.item_key, "item_name": r.item_name,
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


def state_choices() -> list[tuple[str, str]]:
    """(code, "程序·状态名") of every state of every procedure, for filters."""
    out: dict[str, str] = {}
    for proc in get_library().procedures.values():
        for code, st in proc.states.items():
            out.setdefault(code, st.name)
    return sorted(out.items(), key=lambda kv: kv[1])


