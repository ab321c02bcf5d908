"""Walking a case through a list of steps, each in its own unit of work (as people would)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from caseflow.cases import service as case_service
from caseflow.db.session import unit_of_work
from caseflow.deadlines import service as deadline_service
from caseflow.legal_time import SHANGHAI
from caseflow.org.service import get_user_by_username


def sh(text: str) -> datetime:
    """'2026-06-01 09:00' in Asia/Shanghai, as an aware datetime."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)


@dataclass(frozen=True)
class Step:
    trigger: str
    user: str
    at: datetime | None = None
    after_deadline: str | None = None  # act one hour after this deadline's due moment
    payload: dict[str, Any] = field(default_factory=dict)
    opinion: str | None = None


def step_time(engine: Engine, case_no: str, step: Step) -> datetime:
    if step.after_deadline is None:
        assert step.at is not None, step
        return step.at
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=case_no)
        d = deadline_service.latest(db_session=s, case_id=case.id, rule_code=step.after_deadline)
        assert d is not None, f"no deadline {step.after_deadline} on {case_no}"
        return d.due_at + timedelta(hours=1)


def walk(engine: Engine, case_no: str, steps: list[Step],
         on_step: Callable[[Step, str], None] | None = None) -> None:
    for step in steps:
        at = step_time(engine, case_no, step)
        with unit_of_work(engine) as s:
            actor = get_user_by_username(db_session=s, username=step.user)
            result = case_service.fire(
                db_session=s, case_no=case_no, trigger=step.trigger, actor_id=actor.id,
                payload=step.payload, opinion=step.opinion, at=at,
            )
            if on_step:
                on_step(step, result.case.state)
