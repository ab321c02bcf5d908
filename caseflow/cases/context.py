"""What a guard or an effect sees while a step is judged or carried out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from caseflow.cases.act_times import ServiceMoment, service_moment
from caseflow.cases.models import Case, CaseEvent
from caseflow.cases.penalties import Penalty, parse_penalties
from caseflow.legal_time import SHANGHAI, WorkCalendar
from caseflow.org.actors import Actor
from caseflow.org.models import User
from caseflow.org.settings import AgencySettings, agency_row, read_settings
from caseflow.workflow.definition import ProcedureDef, TransitionDef
from caseflow.workflow.registry import WorkflowLibrary

NOT_LOADED: Any = object()  # marks a prefetched value that was not prefetched


@dataclass
class StepContext:
    db_session: Session
    case: Case
    actor: User | Actor
    procedure: ProcedureDef
    library: WorkflowLibrary
    at: datetime
    calendar: WorkCalendar
    payload: dict[str, Any] = field(default_factory=dict)
    opinion: str | None = None
    transition: TransitionDef | None = None
    from_state: str | None = None
    dry_run: bool = False
    mutating: bool = False  # set once the step's effects start changing the case
    declared_interest_id: Any = NOT_LOADED  # prefetched with the case by `fire`
    extra_events: list[dict[str, Any]] = field(default_factory=list)
    # Work an effect leaves for after the step's event is written (it needs the event's number),
    # still inside the step's transaction: e.g. the corrected 决定书 after a 变更 by the 复议机关.
    after_event: list[Callable[[int], None]] = field(default_factory=list)
    _agency_settings: AgencySettings | None = None
    _service: ServiceMoment | None = None
    _entered: dict[str, datetime] = field(default_factory=dict)

    def agency_settings(self) -> AgencySettings:
        """The case's agency settings (limits it may set, reminders), read once per step."""
        if self._agency_settings is None:
            raw, _ = agency_row(self.db_session, self.case.agency_id)
            self._agency_settings = read_settings(raw)
        return self._agency_settings

    @property
    def local_day(self) -> date:
        return self.at.astimezone(SHANGHAI).date()

    def payload_time(self, key: str) -> datetime:
        """An aware datetime given in the payload (typed by the step's declared inputs), defaulting
        to the step time."""
        value: datetime | None = self.payload.get(key)
        return value or self.at

    def service(self) -> ServiceMoment:
        """The service this step records: when it happened and when it counts as served (邮寄:
        signed for; 公告: thirty days after publication), read once per step."""
        if self._service is None:
            self._service = service_moment(self.payload, default_at=self.at, calendar=self.calendar)
        return self._service

    def payload_penalties(self) -> list[Penalty]:
        """The penalties the step gives (typed by its declared inputs), each for a party of the case
        (the principal party when none is named)."""
        party_ids = [cp.party_id for cp in self.case.parties]
        return parse_penalties(self.payload.get("penalties") or [], party_ids=party_ids,
                               default_party_id=party_ids[0])

    def entered_state_at(self, state: str | None = None) -> datetime:
        """When the case (last) entered `state` — by default its current state: the step an act of
        that state depends on (a party's letter answers the 告知书 whatever state the case is in
        when the letter is recorded)."""
        state = state or self.case.state
        if state not in self._entered:
            ev = CaseEvent.__table__.c
            self._entered[state] = self.db_session.execute(
                select(ev.occurred_at).where(
                    ev.case_id == self.case.id, ev.to_state == state,
                    or_(ev.from_state.is_(None), ev.from_state != ev.to_state),
                ).order_by(ev.seq.desc()).limit(1)
            ).scalar() or self.case.opened_at
        return self._entered[state]
