"""The party's other cases in this agency, found by its identifier (统一社会信用代码 or 身份证号), not
its name: what a reviewer looks at before 初次违法可以不予行政处罚 (《行政处罚法》第三十三条第一款).

Parties are registered per agency and may be registered more than once; the identifier is what
makes them the same party. Only this agency's cases are read.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from caseflow.cases.models import Case, CaseParty, PartyRole
from caseflow.cases.penalties import DECISION_KINDS, PENALTY
from caseflow.db.base import utcnow
from caseflow.legal_time import SHANGHAI
from caseflow.parties.models import Party
from caseflow.workflow.registry import get_library


def earlier_cases(db_session: Session, case: Case) -> list[Case]:
    """Other cases of this agency against a principal party of `case` with the same identifier."""
    principals = [cp.party for cp in case.parties if cp.role is PartyRole.principal]
    usccs = [p.uscc for p in principals if p.uscc]
    ids = [p.id_number for p in principals if p.id_number]
    if not usccs and not ids:
        return []
    same = or_(Party.uscc.in_(usccs) if usccs else False, Party.id_number.in_(ids) if ids else False)
    with_party = (select(CaseParty.case_id).join(Party, Party.id == CaseParty.party_id)
                  .where(CaseParty.role == PartyRole.principal, Party.agency_id == case.agency_id, same))
    stmt = (select(Case)
            .where(Case.agency_id == case.agency_id, Case.id != case.id, Case.id.in_(with_party))
            .order_by(Case.opened_at.desc(), Case.id.desc()))
    return list(db_session.scalars(stmt))


def penalised(cases: list[Case]) -> list[Case]:
    """Those that ended in a 行政处罚决定."""
    return [c for c in cases if c.decision_kind == PENALTY]


def rows(cases: list[Case]) -> list[dict[str, Any]]:
    library = get_library()
    out = []
    for c in cases:
        proc = library.procedure(c.procedure_code, c.procedure_version)
        out.append({
            "case_no": c.case_no, "title": c.title, "item": c.item_name, "state_name": proc.state_name(c.state),
            "penalised": c.decision_kind == PENALTY,
            "decision_name": DECISION_KINDS.get(c.decision_kind or ""),
            "decided_on": c.decided_at.astimezone(SHANGHAI).date().isoformat() if c.decided_at else None,
            "opened_on": (c.opened_at or utcnow()).astimezone(SHANGHAI).date().isoformat(),
        })
    return out
