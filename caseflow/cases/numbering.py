"""案号: the case number of an agency's case, e.g. 栾医保罚案〔2026〕1号 (封存: 栾医保封案〔2026〕1号)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from caseflow.legal_time import SHANGHAI
from caseflow.numbering.service import format_doc_number, next_number
from caseflow.org.models import Agency
from caseflow.workflow.definition import ProcedureDef

KIND_WORD = {"penalty": "罚", "sealing": "封"}


def new_case_no(*, db_session: Session, agency: Agency, procedure: ProcedureDef, at: datetime) -> str:
    year = at.astimezone(SHANGHAI).year
    word = KIND_WORD.get(procedure.kind, "案")
    n = next_number(db_session=db_session, agency_id=agency.id, kind=f"case:{procedure.kind}", year=year)
    return format_doc_number(f"{agency.short_name}{word}案", year, n)


def normalise_case_no(text: str) -> str:
    """Accept ASCII brackets typed on a terminal: 栾医保罚案[2026]1号 → 栾医保罚案〔2026〕1号."""
    text = text.strip()
    for left in ("[", "(", "（", "【"):
        text = text.replace(left, "〔")
    for right in ("]", ")", "）", "】"):
        text = text.replace(right, "〕")
    return text


CASE_NO_LENGTH = 60  # the column's
ID_MAX = 2**31 - 1  # an INTEGER primary key


def case_key(text: str) -> int | str | None:
    """What a case is looked up by: its id (ASCII digits within the column's range) or its 案号;
    None for a key no case can have (too long, control characters), which is simply not found."""
    key = normalise_case_no(text)
    if key.isascii() and key.isdigit():
        number = int(key)
        return number if 1 <= number <= ID_MAX else None
    if not key or len(key) > CASE_NO_LENGTH or any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in key):
        return None
    return key
