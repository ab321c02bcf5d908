"""What a guard or an effect sees while a step is judged or carried out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from caseflow.cases.models import Case
from caseflow.legal_time import SHANGHAI, WorkCalendar
from caseflow.org.actors import Actor
from caseflow.org.models import User
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
