"""What a guard or an effect sees while a step is judged or carried out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.cases.models import Case
from caseflow.legal_time import SHANGHAI, WorkCalendar
from caseflow.org.actors import Actor
from caseflow.org.models import Agency, User
from caseflow.org.settings import AgencySettings, read_settings
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
    _agency_settings: AgencySettings | None = None

    def agency_settings(self) -> AgencySettings:
        """The case's agency settings (limits it may set, reminders), read once per step."""
        if self._agency_settings is None:
            raw = self.db_session.scalar(select(Agency.settings).where(Agency.id == self.case.agency_id))
            self._agency_settings = read_settings(raw)
        return self._agency_settings

    @property
    def local_day(self) -> date:
        return self.at.astimezone(SHANGHAI).date()

    def payload_time(self, key: str) -> datetime:
        """An aware datetime given in the payload (ISO string or datetime), defaulting to the step time."""
        value = self.payload.get(key)
        if value is None:
            return self.at
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            value = value.replace(tzinfo=SHANGHAI)
        return value
