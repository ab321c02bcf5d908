"""Who an alert on a case's limit is addressed to.

The officers assigned to the case (承办人, 协办人); the holders of the post of the step that meets
the limit and of the step the case waits for now (on this case: an item's own 岗责体系 may seat it
elsewhere) — e.g. the 立案岗 for an overdue 线索核查 awaiting 提请立案审批, though 批准立案 meets it; the
股长 of those posts' sections; and the supervisors (局负责人). One row per person, under the first role
that reaches them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.alerts.models import AlertRole
from caseflow.cases.models import CaseOfficer, OfficerRole
from caseflow.cases.posts import required_post
from caseflow.org.models import PostHolding, Section, User
from caseflow.workflow.registry import WorkflowLibrary

SECTION_HEAD_POST = "股长"
SUPERVISOR_POST = "局负责人"


@dataclass
class RecipientFinder:
    """Resolves recipients for many alerts at once (one sweep chunk): the officers of all its cases
    in one query, the holders of each post once, and who holds the seats of a limit once per kind of
    case (agency, procedure, state, seating) and rule."""

    db_session: Session
    library: WorkflowLibrary
    _holders: dict[tuple[int, str, str | None], list[int]] = field(default_factory=dict)
    _seated: dict[tuple[Any, ...], list[tuple[int, AlertRole]]] = field(default_factory=dict)

    def officers_of(self, case_ids: Iterable[int]) -> dict[int, list[tuple[int, AlertRole]]]:
        """{case id: [(user id, 承办人 or 协办人)]} of the officers on each case."""
        out: dict[int, list[tuple[int, AlertRole]]] = {}
        rows = self.db_session.execute(
            select(CaseOfficer.case_id, CaseOfficer.user_id, CaseOfficer.role)
            .where(CaseOfficer.case_id.in_(list(case_ids)), CaseOfficer.removed_at.is_(None))
            .order_by(CaseOfficer.id)
        )
        for case_id, user_id, role in rows:
            out.setdefault(case_id, []).append(
                (user_id, AlertRole.officer if role is OfficerRole.lead else AlertRole.assistant))
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
                     officers: list[tuple[int, AlertRole]]) -> list[tuple[int, AlertRole]]:
        picked: dict[int, AlertRole] = {}
        for user_id, role in (*officers, *self._seated_for_limit(case, rule_code)):
            picked.setdefault(user_id, role)  # under the first role that reaches them
        return list(picked.items())

    def _seated_for_limit(self, case: _CaseLike, rule_code: str) -> list[tuple[int, AlertRole]]:
        """The post holders, section heads and supervisors told of a limit, whoever the officers are:
        the same for every case of one agency, procedure, state and seating — worked out once per
        sweep chunk, not once per alert."""
        sections = tuple(sorted(case.post_sections.items())) if case.post_sections else None
        key = (case.agency_id, case.procedure_code, case.procedure_version, case.state, sections, rule_code)
        if key in self._seated:
            return self._seated[key]
        proc = self.library.procedure(case.procedure_code, case.procedure_version)
        seats = list(dict.fromkeys(
            required_post(case, t)
            for t in (*[t for t in proc.transitions if rule_code in t.meets], *proc.awaited(case.state))
        ))
        picked: dict[int, AlertRole] = {}

        def add(users: Iterable[int], role: AlertRole) -> None:
            for u in users:
                picked.setdefault(u, role)

        for post, section in seats:
            add(self.holders(case.agency_id, post, section), AlertRole.post_holder)
        for section in dict.fromkeys(s for _, s in seats if s):
            add(self.holders(case.agency_id, SECTION_HEAD_POST, section), AlertRole.section_head)
        add(self.holders(case.agency_id, SUPERVISOR_POST, None), AlertRole.supervisor)
        self._seated[key] = list(picked.items())
        return self._seated[key]

    def for_state(self, *, case: _CaseLike, officers: list[tuple[int, AlertRole]]) -> list[tuple[int, AlertRole]]:
        """Who must answer the case where it is now: its officers and the holders of the posts of the
        steps that leave its state (not the optional powers) — for a 退回 notice."""
        proc = self.library.procedure(case.procedure_code, case.procedure_version)
        seats = dict.fromkeys(required_post(case, t) for t in proc.awaited(case.state))
        picked = dict(officers)
        for post, section in seats:
            for u in self.holders(case.agency_id, post, section):
                picked.setdefault(u, AlertRole.post_holder)
        return list(picked.items())


class _CaseLike(Protocol):  # the columns the finder reads (a row of the sweep query)
    agency_id: int
    state: str
    procedure_code: str
    procedure_version: int
    post_sections: dict[str, str] | None
