"""监督看板: watched limits grouped for supervisors, cases by state, cases and overdue rate by month.

Every figure is one aggregate query over the agency's rows (GROUP BY, or one index range per
北京时间 calendar month) served by an index (migrations 0006, 0008, 0019); the lists show the first
`SHOWN` rows of each part beside the whole counts. The counts by 承办人 group by the officer's id
and read the few names after; the 裁量 table (discretion_stats) groups the rows of migration 0017.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from itertools import pairwise
from typing import Any, Literal

from sqlalchemy import ColumnElement, func, literal, select, text, union_all
from sqlalchemy import case as when
from sqlalchemy.orm import Session

from caseflow.alerts.watch import (
    LimitCount,
    WatchedLimit,
    breach_rules,
    hourly_rules,
    watched_limits,
)
from caseflow.alerts.watch import part_where  # overdue / due soon, as the lists
from caseflow.cases.models import Case
from caseflow.catalog.service import get_catalog
from caseflow.deadlines.models import Deadline, DeadlineStatus
from caseflow.org.models import User
from caseflow.legal_time import SHANGHAI
from caseflow.workflow.registry import get_library

MONTHS = 12
SHOWN = 100  # rows listed per part; the counts cover them all


HEAD_LEVEL = "局负责人审批"  # the limits met by an agency-level post: no 股室 of their own


def rule_sections() -> dict[str, str]:
    """The section whose step meets each limit (procedure defaults; HEAD_LEVEL for agency posts)."""
    out: dict[str, str] = {}
    for proc in get_library().procedures.values():
        for t in proc.transitions:
            for code in t.meets:
                out.setdefault(code, t.section or HEAD_LEVEL)
    return out


def month_starts(now: datetime, n: int = MONTHS) -> list[datetime]:
    """The first moments (北京时间) of the last `n` months and of the next one, oldest first."""
    here = now.astimezone(SHANGHAI).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    out = [here]
    for _ in range(n - 1):
        prev = out[0].replace(day=1)
        y, m = (prev.year, prev.month - 1) if prev.month > 1 else (prev.year - 1, 12)
        out.insert(0, prev.replace(year=y, month=m))
    y, m = (here.year, here.month + 1) if here.month < 12 else (here.year + 1, 1)
    return [*out, here.replace(year=y, month=m)]


def _group(rows: list[LimitCount], key: Callable[[LimitCount], str]) -> list[tuple[str, int]]:
    out: Counter[str] = Counter()
    for r in rows:
        out[key(r)] += r.count
    return out.most_common()


def _per_month(db_session: Session, spans: list[tuple[datetime, datetime]], at: Any,
               figures: tuple[ColumnElement[Any], ...], *where: ColumnElement[bool]) -> dict[int, tuple[int, ...]]:
    """`figures` over the rows whose `at` falls in each 北京时间 month span, keyed by the span's index.

    One range scan per month, joined by UNION ALL: each is served by an index on (agency, `at`),
    where grouping ~500,000 rows by a computed month sorted them all (3× slower on SQLite)."""
    parts = [select(literal(i).label("i"), *figures).where(at >= a, at < b, *where)
             for i, (a, b) in enumerate(spans)]
    return {int(i): tuple(int(x or 0) for x in rest) for i, *rest in db_session.execute(union_all(*parts))}


def limit_counts(*, db_session: Session, agency_id: int, now: datetime, rules: list[str],
                 which: Literal["overdue", "due_soon"]) -> list[LimitCount]:
    """Every overdue (or due-soon) limit of the agency among `rules`, counted per rule, item and 承办人.

    Grouped from one covering index of the running limits, which carry their case's item and 承办人
    (migration 0019) — joining each overdue limit to its case and its officers was most of the
    board's time — and the few names read after, for the groups alone: the item's from the catalog
    (from a case of the item if the catalog no longer lists it), the officer's from users."""
    groups = db_session.execute(
        select(Deadline.rule_code, Deadline.item_key, Deadline.lead_user_id, func.count())
        .where(Deadline.status == DeadlineStatus.open, Deadline.agency_id == agency_id,
               Deadline.rule_code.in_(rules), *part_where(which, now))
        .group_by(Deadline.rule_code, Deadline.item_key, Deadline.lead_user_id)).all()
    ids = {g[2] for g in groups if g[2] is not None}
    names = dict(db_session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all()) \
        if ids else {}
    items = _item_names(db_session, agency_id, {g[1] for g in groups if g[1] is not None})
    return [LimitCount(rule_code=r, item_key=k or "", item_name=items.get(k, ""), lead_officer=names.get(u),
                       count=c)
            for r, k, u, c in groups]


def _item_names(db_session: Session, agency_id: int, keys: set[str]) -> dict[str, str]:
    catalog = get_catalog().items
    out = {k: catalog[k].name for k in keys if k in catalog}
    for k in keys - out.keys():  # an item since taken out of the catalog: the name its cases recorded
        out[k] = db_session.scalar(select(Case.item_name).where(Case.agency_id == agency_id,
                                                                Case.item_key == k).limit(1)) or ""
    return out


def running_hourly(*, db_session: Session, agency_id: int, now: datetime) -> list[WatchedLimit]:
    """Every running limit counted in hours (当场封存后24小时内补办批准), shown from its start."""
    return watched_limits(db_session=db_session, agency_id=agency_id, now=now, which="hourly")


def board(*, db_session: Session, agency_id: int, now: datetime, section: str | None = None) -> dict[str, Any]:
    """The board of the whole bureau, or of one 股室's limits (`section`: those its steps meet)."""
    if db_session.get_bind().dialect.name == "postgresql":
        # Each count planned for this moment's ranges: psycopg prepares a statement run five times on
        # a connection, after which PostgreSQL may use a generic plan that ignores the bound values
        # (the monthly rate at 100,000 cases: 17 → 45 ms). Planning one costs under a millisecond.
        # Here only: set for every connection, replanning the steps' statements cost them ~10 %.
        db_session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    sections = rule_sections()
    hourly = [h for h in running_hourly(db_session=db_session, agency_id=agency_id, now=now)
              if section is None or sections.get(h.rule_code) == section]
    daily = [c for c in breach_rules() if c not in set(hourly_rules())  # hourly ones are above
             and (section is None or sections.get(c) == section)]
    part = {"db_session": db_session, "agency_id": agency_id, "now": now, "rules": daily}
    overdue = watched_limits(**part, which="overdue", limit=SHOWN)
    soon = watched_limits(**part, which="due_soon", limit=SHOWN)
    overdue_counts = limit_counts(**part, which="overdue")
    soon_counts = limit_counts(**part, which="due_soon")
    library = get_library()

    state_rows = db_session.execute(
        select(Case.procedure_code, Case.procedure_version, Case.state, func.count())
        .where(Case.agency_id == agency_id)
        .group_by(Case.procedure_code, Case.procedure_version, Case.state)
    )
    by_state: Counter[tuple[str, str]] = Counter()
    for code, version, state, n in state_rows:
        proc = library.procedure(code, version)
        by_state[(proc.name, proc.state_name(state))] += n

    spans = list(pairwise(month_starts(now)))
    opened = _per_month(db_session, spans, Case.opened_at, (func.count(),),  # ix_cases_agency_opened_at
                        Case.agency_id == agency_id)
    due = _per_month(  # every row is already due, so still open means late; an index-only scan
        db_session, spans, Deadline.due_at,
        (func.count(), func.sum(when((Deadline.status.in_([DeadlineStatus.overdue, DeadlineStatus.open]), 1),
                                     else_=0))),
        Deadline.agency_id == agency_id, Deadline.due_at <= now, Deadline.rule_code.in_(breach_rules()),
        Deadline.status.in_([DeadlineStatus.open, DeadlineStatus.met, DeadlineStatus.overdue]))
    months = []
    for i, (a, _b) in enumerate(spans):
        n, k = due.get(i, (0, 0))
        months.append({"label": f"{a.year % 100:02d}/{a.month:02d}", "opened": opened.get(i, (0,))[0],
                       "due": n, "late": k, "rate": k / n if n else None})
    return {
        "hourly": hourly, "overdue": overdue, "soon": soon,
        "overdue_total": sum(c.count for c in overdue_counts),
        "soon_total": sum(c.count for c in soon_counts),
        "overdue_by_section": _group(overdue_counts, lambda r: sections.get(r.rule_code, "—")),
        "overdue_by_officer": _group(overdue_counts, lambda r: r.lead_officer or "（未指派）"),
        "overdue_by_item": _group(overdue_counts, lambda r: f"{r.item_key} {r.item_name}"),
        "soon_by_section": _group(soon_counts, lambda r: sections.get(r.rule_code, "—")),
        "soon_by_officer": _group(soon_counts, lambda r: r.lead_officer or "（未指派）"),
        "by_state": sorted(by_state.items()),
        "months": months,
    }
