"""Column expressions over cases that several read queries share (lists, watch, dashboard)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from caseflow.cases.models import Case, CaseOfficer, OfficerRole
from caseflow.org.models import User


def lead_officer_name() -> Any:
    """The 承办人's name of the case in the enclosing query (a correlated scalar subquery)."""
    return (
        select(User.full_name).join(CaseOfficer, CaseOfficer.user_id == User.id)
        .where(CaseOfficer.case_id == Case.id, CaseOfficer.role == OfficerRole.lead,
               CaseOfficer.removed_at.is_(None))
        .order_by(CaseOfficer.id).limit(1).correlate(Case).scalar_subquery()
    )
