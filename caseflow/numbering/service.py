"""Handing out the next number of a sequence inside the caller's transaction.

The counter row is incremented with a single UPDATE … RETURNING, which takes the row lock on
PostgreSQL and runs under the write lock on SQLite, so two concurrent callers never get the same
number; a rolled-back caller gives its number back, so there are no gaps.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from caseflow.numbering.models import NumberSequence


def next_number(*, db_session: Session, agency_id: int, kind: str, year: int) -> int:
    stmt = (
        update(NumberSequence)
        .where(
            NumberSequence.agency_id == agency_id,
            NumberSequence.kind == kind,
            NumberSequence.year == year,
        )
        .values(last_value=NumberSequence.last_value + 1)
        .returning(NumberSequence.last_value)
    )
    value = db_session.execute(stmt).scalar_one_or_none()
    if value is not None:
        return int(value)
    try:
        with db_session.begin_nested():
            db_session.add(NumberSequence(agency_id=agency_id, kind=kind, year=year, last_value=1))
        return 1
    except IntegrityError:
        # Another transaction created the counter first: take the next value from it.
        return int(db_session.execute(stmt).scalar_one())


def current_number(*, db_session: Session, agency_id: int, kind: str, year: int) -> int:
    value = db_session.scalar(
        select(NumberSequence.last_value).where(
            NumberSequence.agency_id == agency_id,
            NumberSequence.kind == kind,
            NumberSequence.year == year,
        )
    )
    return int(value or 0)


def format_doc_number(prefix: str, year: int, number: int) -> str:
    """GB/T 9704 style: 机关代字〔年份〕序号号 — e.g. 栾医保罚案〔2026〕7号."""
    return f"{prefix}〔{year}〕{number}号"
