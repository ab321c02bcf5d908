"""Finding a case: by 案号 (full-width or ASCII brackets) or id, within an agency, fully loaded for a
view or lazily for a step; the procedure version it runs under and the catalog entry it recorded."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload, selectinload, undefer

from caseflow.cases.models import Case, CaseOfficer, CaseParty, PenaltyItem
from caseflow.catalog.importer.serialise import from_dict
from caseflow.catalog.model import CatalogItem
from caseflow.cases.numbering import case_key
from caseflow.db.memo import parsed_once
from caseflow.errors import NotFound
from caseflow.org.models import User
from caseflow.workflow.definition import ProcedureDef
from caseflow.workflow.registry import WorkflowLibrary, get_library

# Everything a full view of the case shows, loaded up front (a step loads only what its guards use).
# A many-to-one rides on its row's query (joined); a collection is one query of its own.
_FULL = (
    joinedload(Case.agency),
    undefer(Case.catalog_entry),
    selectinload(Case.parties).joinedload(CaseParty.party),
    selectinload(Case.officers).joinedload(CaseOfficer.user).selectinload(User.credentials),
    selectinload(Case.penalties).joinedload(PenaltyItem.party),
    selectinload(Case.sealed_items),
    selectinload(Case.remedies),
)


_CASE_BY_NO = select(Case).where(Case.case_no == bindparam("no"))
_CASE_BY_ID = select(Case).where(Case.id == bindparam("id"))


def get_case(
    *, db_session: Session, case_no: str, agency_id: int | None = None, full: bool = False
) -> Case:
    """Load a case by 案号 (full-width or ASCII brackets) or numeric id.

    `full` eager-loads parties, officers, penalties and sealed items for a complete view; otherwise
    they load on first use, so a step pays only for what its guards read.
    """
    key = case_key(case_no)
    if key is None:
        raise NotFound(f"未找到案件「{case_no[:60]}」。")
    if agency_id is None and not full:  # the hot path of every step: a prebuilt statement
        stmt, params = (_CASE_BY_ID, {"id": key}) if isinstance(key, int) else (_CASE_BY_NO, {"no": key})
        case = db_session.scalar(stmt, params)
    else:
        stmt = select(Case)
        stmt = stmt.where(Case.id == key) if isinstance(key, int) else stmt.where(Case.case_no == key)
        if agency_id is not None:
            stmt = stmt.where(Case.agency_id == agency_id)
        if full:
            stmt = stmt.options(*_FULL)
        case = db_session.scalar(stmt)
    if case is None:
        raise NotFound(f"未找到案件「{case_no[:60]}」。")
    return case


def procedure_of(case: Case, library: WorkflowLibrary | None = None) -> ProcedureDef:
    return (library or get_library()).procedure(case.procedure_code, case.procedure_version)


def catalog_item(case: Case) -> CatalogItem | None:
    """The catalog entry the case recorded when it was opened, parsed once per loaded case (a page's
    panels and a step's guards each read it)."""
    entry = case.catalog_entry
    return parsed_once(case, "_catalog_item", entry, from_dict) if entry else None
