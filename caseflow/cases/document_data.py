"""The rendering data of a document built from a case: what the case records, its agency's settings,
its deadlines and audit trail, plus what the issuing step was given (hearing place, 送达 details…).

The result follows the data contract of `caseflow.documents.types`. Values the record does not
hold are left out, so the required-field check names them instead of a document going out
half-empty. Nothing here writes to the database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from caseflow.cases.document_builders import (
    _closing_approval,
    _dunning_notice,
    _filing_approval,
    _hearing_summons,
    _legal_review_opinion,
    _no_penalty_decision,
    _notice,
    _penalty_decision,
    _recovery_decision,
    _sealing_decision,
    _sealing_extension,
    _sealing_release,
)
from caseflow.cases.document_source import StepFacts, _agency, _case, _officers, _party, _Source
from caseflow.cases.models import Case, PartyRole
from caseflow.cases.record_builders import _evidence_list, _inquiry_record, _inspection_record
from caseflow.legal_time import WorkCalendar
from caseflow.org.settings import AgencySettings
from caseflow.workflow.registry import WorkflowLibrary

__all__ = ["StepFacts", "build_data"]


BUILDERS: dict[str, Callable[[_Source], dict[str, Any]]] = {
    "penalty_notice": _notice, "hearing_rights_notice": _notice, "recovery_notice": _notice, "hearing_summons": _hearing_summons,
    "penalty_decision": _penalty_decision, "no_penalty_decision": _no_penalty_decision,
    "recovery_decision": _recovery_decision,
    "sealing_decision": _sealing_decision, "sealing_release": _sealing_release,
    "sealing_extension": _sealing_extension,
    "dunning_notice": _dunning_notice, "filing_approval": _filing_approval,
    "legal_review_opinion": _legal_review_opinion, "closing_approval": _closing_approval,
    "inquiry_record": _inquiry_record, "inspection_record": _inspection_record,
    "evidence_list": _evidence_list,
}


def build_data(*, db_session: Session, case: Case, doc_type: str, step: StepFacts,
               library: WorkflowLibrary, calendar: WorkCalendar, settings: AgencySettings) -> dict[str, Any]:
    """The rendering data of `doc_type` for `case` as the step issuing it sees it (no 文号 yet)."""
    src = _Source(db_session, case, step, library, calendar, settings)
    data: dict[str, Any] = {
        "issued_on": step.day, "agency": _agency(src), "case": _case(src),
        "parties": [_party(cp.party) for cp in case.parties if cp.role is PartyRole.principal],
        "officers": _officers(src),
    }
    data.update(BUILDERS[doc_type](src))
    return data
