"""What supervisors watch: running limits that are overdue or due soon, with who and what they concern.

Read straight from the deadline rows (not from the alerts), so the view is right even before the
next sweep. Served by the partial indexes on open deadlines.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Select, func, select, union_all
from sqlalchemy.orm import Session

from caseflow.cases.models import Case
from caseflow.cases.queries import lead_officer_name
from caseflow.deadlines.models import Deadline, DeadlineStatus
from caseflow.legal_time import PeriodUnit
from caseflow.workflow.registry import WorkflowLibrary, get_library

Which = Literal["overdue", "due_soon", "all", "hourly"]
# Reminders come at most a few working days ahead: due-soon limits end within this horizon.
DUE_SOON_HORIZON = timedelta(days=31)


@dataclass(frozen=True)
class WatchedLimit:
    deadline_id: int
    case_no: str
    case_state: str
    item_key: str
    item_name: str
    rule_code: str
    name: str
    basis: str
    due_at: datetime
    due_date: date | None
    provisional: bool
    overdue: bool
    lead_officer: str | None

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def watched_limits(*, db_session: Session, agency_id: int, now: datetime, which: Which = "all",
                   limit: int = 200, library: WorkflowLibrary | None = None,
                   rules: list[str] | None = None) -> list[WatchedLimit]:
    """Overdue limits (due passed, step not done) and due-soon ones (reminder time passed).

    "all" puts the running limits counted in hours (24小时补办批准) on top, then the overdue ones
    (longest overdue first), then the due-soon ones (soonest first). Each part is its own query
    walking a partial index on open deadlines in due order, so the cost follows `limit`, not the
    number of rows. `rules` narrows the overdue and due-soon parts to those limits.
    """
    library = library or get_library()
    rules = breach_rules(library) if rules is None else rules
    hourly = hourly_rules(library)
    parts: list[Select[Any]] = []
    if which == "hourly":  # every running limit in hours, from its start: a day is too short to wait
        parts.append(_watch_query(agency_id, hourly))
    if which == "all" and hourly:
        parts.append(_watch_query(agency_id, hourly).where(Deadline.remind_at <= now))
    for part in ("overdue", "due_soon"):
        if which in ("all", part) and rules:
            where = part_where(part, now)  # type: ignore[arg-type]
            parts.append(_watch_query(agency_id, rules).where(
                *where, Deadline.id.in_(_first_by_rule(agency_id, rules, where, limit))))
    out: dict[int, WatchedLimit] = {}
    for stmt in parts:
        rows = db_session.execute(stmt.order_by(Deadline.due_at).limit(limit))
        for id_, rule, name, basis, due_at, due_date, provisional, no, state, key, item, officer in rows:
            if id_ not in out:  # unpacked as _watch_query lists them: a Row's names cost more
                out[id_] = WatchedLimit(
                    deadline_id=id_, case_no=no, case_state=state, item_key=key, item_name=item,
                    rule_code=rule, name=name, basis=basis, due_at=due_at, due_date=due_date,
                    provisional=provisional, overdue=due_at <= now, lead_officer=officer)
    return list(out.values())[:limit]


def part_where(which: Literal["overdue", "due_soon"], now: datetime) -> list[Any]:
    if which == "overdue":
        return [Deadline.due_at <= now]
    return [Deadline.due_at > now, Deadline.due_at <= now + DUE_SOON_HORIZON, Deadline.remind_at <= now]


@dataclass(frozen=True)
class LimitCount:
    """How many watched limits share one rule, item and 承办人 (the board sums these by each key)."""

    rule_code: str
    item_key: str
    item_name: str
    lead_officer: str | None
    count: int


def _watch_query(agency_id: int, rules: list[str]) -> Select[Any]:
    # The columns shown, not the Deadline entity: loading whole rows (six datetimes, the JSON
    # reasoning, an identity-map entry each) was most of the overdue scan's time (bench/deadlines.py).
    return (
        select(Deadline.id, Deadline.rule_code, Deadline.name, Deadline.basis, Deadline.due_at,
               Deadline.due_date, Deadline.provisional, Case.case_no, Case.state, Case.item_key,
               Case.item_name, lead_officer_name().label("lead_officer"))
        .join(Case, Case.id == Deadline.case_id)
        .where(Deadline.status == DeadlineStatus.open, Deadline.rule_code.in_(rules),
               Deadline.agency_id == agency_id)
    )


def _first_by_rule(agency_id: int, rules: list[str], where: list[Any], limit: int) -> Select[Any]:
    """The ids of the first `limit` running limits in due order among `rules`: each rule's first
    `limit` from its own range of the running limits' index (agency, rule, due — migration 0019),
    then the first `limit` of those. Walking all rules in due order instead passed, at 100,000 cases,
    ~60,000 of the party's 复议/诉讼 windows (open, of other rules) before the first breach limit."""
    per_rule = [select(Deadline.id, Deadline.due_at)
                .where(Deadline.status == DeadlineStatus.open, Deadline.agency_id == agency_id,
                       Deadline.rule_code == rule, *where)
                .order_by(Deadline.due_at).limit(limit).subquery()
                for rule in rules]
    merged = union_all(*(select(p.c.id, p.c.due_at) for p in per_rule)).subquery()
    return select(merged.c.id).order_by(merged.c.due_at).limit(limit)


def hourly_rules(library: WorkflowLibrary | None = None) -> list[str]:
    """Breach limits counted in hours (当场封存后24小时内补办批准): watched from their start."""
    library = library or get_library()
    return [c for c in breach_rules(library) if library.deadlines[c].unit is PeriodUnit.HOUR]


def breach_rules(library: WorkflowLibrary | None = None) -> list[str]:
    """Limits whose expiry is a breach (not the party's own windows, which simply close)."""
    return [c for c, r in (library or get_library()).deadlines.items() if r.expiry_is_breach]


def overdue_counts(*, db_session: Session, agency_id: int, now: datetime,
                   library: WorkflowLibrary | None = None) -> Counter[str]:
    """Number of overdue running limits per rule code."""
    rows = db_session.execute(  # an index-only scan of ix_deadlines_open_rule_agency_due_at
        select(Deadline.rule_code, func.count())
        .where(Deadline.status == DeadlineStatus.open, Deadline.agency_id == agency_id,
               Deadline.due_at <= now, Deadline.rule_code.in_(breach_rules(library)))
        .group_by(Deadline.rule_code)
    )
    return Counter({code: n for code, n in rows})
