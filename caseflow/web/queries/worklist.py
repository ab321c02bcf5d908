"""我的待办: open cases of my agency in a state where a step of the procedure needs a post I hold,
nearest limit first. Optional powers (延长, 中止, 终结, 移送 …: `optional: true` in workflows/) never
make a case 待办: the 局负责人 may suspend almost any case, yet none waits for it.

The database narrows to the states where one of my posts acts (by post name: an item's own 岗责体系
may seat it in another section); `available_actions` then judges, for the page's rows only, which
steps I may take now and why the others wait.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import Session

from caseflow.cases import service as case_service
from caseflow.cases.models import Case, CaseEvent
from caseflow.org.actors import Actor
from caseflow.web.queries.case_list import CaseFilter, apply_filter, row_columns, to_row
from caseflow.workflow.registry import get_library


def returned(db_session: Session, case: Case) -> dict[str, Any] | None:
    """The 退回 that brought the case to where it is (step, who, opinion), if that is how it came."""
    last = db_session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                      CaseEvent.from_state != CaseEvent.to_state)
                              .order_by(CaseEvent.seq.desc()).limit(1)).first()
    proc = get_library().procedure(case.procedure_code, case.procedure_version)
    if last is None or last.to_state != case.state or last.trigger not in proc.returns:
        return None
    return {"step": last.trigger_name, "actor": last.actor_name, "opinion": last.opinion}


def _my_states(actor: Actor) -> list[tuple[str, int, list[str]]]:
    posts = {p.post for p in actor.posts}
    out = []
    for (code, version), proc in get_library().procedures.items():
        states = sorted({s for t in proc.transitions if t.post in posts and not t.optional for s in t.sources})
        if states:
            out.append((code, version, states))
    return out


def worklist(*, db_session: Session, actor: Actor, now: datetime, offset: int = 0,
             limit: int = 30, f: CaseFilter = CaseFilter()) -> dict[str, Any]:
    """The page of 待办 (`f` narrows it by item, state or overdue limits, as the case list does)."""
    combos = _my_states(actor)
    where = or_(*(and_(Case.procedure_code == c, Case.procedure_version == v, Case.state.in_(ss))
                  for c, v, ss in combos)) if combos else false()
    cols = row_columns()
    next_due = cols[-1]
    stmt = apply_filter(select(*cols).where(Case.agency_id == actor.agency_id, where), f, now)
    stmt = stmt.order_by(next_due.asc().nulls_last(), Case.id).offset(offset).limit(limit + 1)
    rows = list(db_session.execute(stmt))
    more = len(rows) > limit
    ready, waiting = [], []
    for r in rows[:limit]:
        row = to_row(r, now)
        case = db_session.get(Case, r.id)
        assert case is not None
        mine = [a for a in case_service.available_actions(db_session=db_session, case=case, actor=actor, at=now)
                if a.code != "POST_REQUIRED" and not a.optional]
        row["actions"] = [{"trigger": a.trigger, "name": a.name, "allowed": a.allowed,
                           "reason": a.reason} for a in mine]
        row["returned"] = returned(db_session, case)
        (ready if any(a.allowed for a in mine) else waiting).append(row)
    return {"ready": ready, "waiting": waiting, "more": more, "offset": offset, "limit": limit}
