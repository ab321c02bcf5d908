"""Who an alert on a case's limit is addressed to.

The officers assigned to the case; the holders of the post of the step that meets the limit (on
this case: an item's own 岗责体系 may seat it elsewhere); the 股长 of that post's section; and the
supervisors (局负责人). One row per person, under the first role that reaches them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.alerts.models import AlertRole
from caseflow.cases.models import CaseOfficer
from caseflow.cases.posts import required_post
from caseflow.org.models import PostHolding, Section, User
from caseflow.workflow.registry import WorkflowLibrary

SECTION_HEAD_POST = "股长"
SUPERVISOR_POST = "局负责人"


@dataclass
class RecipientFinder:
    """Resolves recipients for many alerts in one sweep, caching post holders per agency."""

    db_session: Session
    library: WorkflowLibrary
    _holders: dict[tuple[int, str, str | None], list[int]] = field(default_factory=dict)

    def officers_of(self, case_ids: Iterable[int]) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        rows = self.db_session.execute(
            select(CaseOfficer.case_id, CaseOfficer.user_id)
            .where(CaseOfficer.case_id.in_(list(case_ids)), CaseOfficer.removed_at.is_(None))
            .order_by(CaseOfficer.id)
        )
        for case_id, user_id in rows:
            out.setdefault(case_id, []).append(user_id)
        return out

    def holders(self, agency_id: int, post: str, section: str | None) -> list[int]:
        key = (agency_id, post, section)
        if key not in self._holders:
            stmt = (
                select(User.id).join(PostHolding, PostHolding.user_id == User.id)
                .outerjoin(Section, Section.id == PostHolding.section_id)
                .where(User.agency_id == agency_id, User.is_active.is_(True), PostHolding.post == post)
                .order_by(User.id)
            )
            if section is not None:
                stmt = stmt.where(Section.name == section)
            self._holders[key] = list(dict.fromkeys(self.db_session.scalars(stmt)))
        return self._holders[key]

    def for_deadline(self, *, case: _CaseLike, rule_code: str,
                     officers: list[int]) -> list[tuple[int, AlertRole]]:
        proc = self.library.procedure(case.procedure_code, case.procedure_version)
        seats = list(dict.fromkeys(
            required_post(case, t) for t in proc.transitions if rule_code in t.meets
        ))
        picked: dict[int, AlertRole] = {}

        def add(users: Iterable[int], role: AlertRole) -> None:
            for u in users:
                picked.setdefault(u, role)

        add(officers, AlertRole.officer)
        for post, section in seats:
            add(self.holders(case.agency_id, post, section), AlertRole.post_holder)
        for section in dict.fromkeys(s for _, s in seats if s):
            add(self.holders(case.agency_id, SECTION_HEAD_POST, section), AlertRole.section_head)
        add(self.holders(case.agency_id, SUPERVISOR_POST, None), AlertRole.supervisor)
        return list(picked.items())


class _CaseLike(Protocol):  # the columns the finder reads (a row of the sweep query)
    agency_id: int
    procedure_code: str
    procedure_version: int
    post_sections: dict[str, str] | None
