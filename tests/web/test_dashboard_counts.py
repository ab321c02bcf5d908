"""监督看板's counts per rule, item and 承办人 (issue 20): read from the running limits' own copy of their
case's item and 承办人 (migration 0019), kept by the database whatever writes the rows — a step, the
officer service, SQL of its own — and equal to what joining each limit to its case and officers gives
(the computation before, kept here as the oracle)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, and_, exists, func, insert, select, update
from sqlalchemy.orm import Session, aliased

from caseflow.alerts.watch import breach_rules, part_where
from caseflow.cases.models import Case, CaseOfficer, OfficerRole
from caseflow.db.migrate import alembic_config, upgrade
from caseflow.db.session import make_engine, unit_of_work
from caseflow.deadlines.models import Deadline, DeadlineStatus
from caseflow.org.models import User
from caseflow.web.queries.dashboard import limit_counts
from tests.helpers import Org, Runner, make_org, open_case, query_plan, sent, sh, through, walk

LATER = sh("2027-03-01 09:00")  # every limit of the cases below has run out by then


def oracle(s: Session, agency_id: int, now: datetime, which: Any) -> list[tuple[Any, ...]]:
    """Each limit joined to its case and its first active 承办人 (by id), then grouped."""
    lead, earlier = aliased(CaseOfficer), aliased(CaseOfficer)
    first_lead = and_(
        lead.case_id == Deadline.case_id, lead.role == OfficerRole.lead, lead.removed_at.is_(None),
        ~exists().where(earlier.case_id == lead.case_id, earlier.role == OfficerRole.lead,
                        earlier.removed_at.is_(None), earlier.id < lead.id))
    rows = s.execute(
        select(Deadline.rule_code, Case.item_key, User.full_name, func.count())
        .join(Case, Case.id == Deadline.case_id).outerjoin(lead, first_lead)
        .outerjoin(User, User.id == lead.user_id)
        .where(Deadline.status == DeadlineStatus.open, Deadline.agency_id == agency_id,
               Deadline.rule_code.in_(breach_rules()), *part_where(which, now))
        .group_by(Deadline.rule_code, Case.item_key, User.full_name)).all()
    return sorted((tuple(r) for r in rows), key=repr)


def counted(s: Session, agency_id: int, now: datetime, which: Any) -> list[tuple[Any, ...]]:
    rows = limit_counts(db_session=s, agency_id=agency_id, now=now, rules=breach_rules(), which=which)
    return sorted(((c.rule_code, c.item_key, c.lead_officer, c.count) for c in rows), key=repr)


def _cases(engine: Engine, org: Org) -> list[str]:
    numbers = [open_case(engine, org, officers=officers)
               for officers in (("diaocha1", "diaocha2"), ("diaocha2", "diaocha1"), ("diaocha1", "diaocha2"))]
    runner = Runner(engine, org, reload=True)
    try:
        walk(runner, numbers[2], through("approve_filing"))  # 立案: the investigation's limits run
    finally:
        runner.close()
    return numbers


def _same(engine: Engine, org: Org) -> list[tuple[Any, ...]]:
    with unit_of_work(engine, write=False) as s:
        got = counted(s, org.agency_id, LATER, "overdue")
        assert got == oracle(s, org.agency_id, LATER, "overdue")
        soon_at = LATER - timedelta(days=400)  # before any ran out: the due-soon part, where reminded
        assert counted(s, org.agency_id, soon_at, "due_soon") == oracle(s, org.agency_id, soon_at, "due_soon")
        return got


def _leads(got: list[tuple[Any, ...]]) -> dict[str | None, int]:
    out: dict[str | None, int] = {}
    for _rule, _item, lead, n in got:
        out[lead] = out.get(lead, 0) + n
    return out


def test_the_counts_equal_the_join_and_follow_the_officers(engine: Engine, web_org: Org) -> None:
    numbers = _cases(engine, web_org)
    got = _same(engine, web_org)
    assert got and {r[1] for r in got} == {"004-05"} and set(_leads(got)) == {"王调查", "赵取证"}
    with unit_of_work(engine, write=False) as s:
        case_ids = {no: s.scalar(select(Case.id).where(Case.case_no == no)) for no in numbers}
        limits = {no: s.scalar(select(func.count()).select_from(Deadline).where(Deadline.case_id == i,
                                                                                Deadline.status == "open"))
                  for no, i in case_ids.items()}
    # SQL of its own takes the first case's 承办人 off and makes 赵取证 the 承办人 …
    first = case_ids[numbers[0]]
    with unit_of_work(engine) as s:
        s.execute(update(CaseOfficer).where(CaseOfficer.case_id == first, CaseOfficer.role == OfficerRole.lead)
                  .values(removed_at=LATER - timedelta(days=300)))
        s.execute(update(CaseOfficer).where(CaseOfficer.case_id == first, CaseOfficer.role == OfficerRole.assistant)
                  .values(role=OfficerRole.lead))
    before, after = _leads(got), _leads(_same(engine, web_org))
    assert after["赵取证"] == before["赵取证"] + limits[numbers[0]]
    # … and on the second case the 承办人 leaves with nobody after: its limits count as 未指派 (None)
    second = case_ids[numbers[1]]
    with unit_of_work(engine) as s:
        s.execute(update(CaseOfficer).where(CaseOfficer.case_id == second, CaseOfficer.role == OfficerRole.lead)
                  .values(removed_at=LATER - timedelta(days=300)))
    assert _leads(_same(engine, web_org))[None] == limits[numbers[1]]
    # A new 承办人 is added (an INSERT): the limits follow again
    with unit_of_work(engine) as s:
        s.execute(insert(CaseOfficer).values(case_id=second, user_id=web_org.users["diaocha1"],
                                             role=OfficerRole.lead, assigned_at=LATER - timedelta(days=200)))
    assert None not in _leads(_same(engine, web_org))


def test_a_new_limit_takes_its_case_item_and_lead(engine: Engine, web_org: Org) -> None:
    case_no = open_case(engine, web_org, officers=("diaocha2", "diaocha1"))
    with unit_of_work(engine, write=False) as s:
        rows = s.execute(select(Deadline.item_key, Deadline.lead_user_id).join(Case, Case.id == Deadline.case_id)
                         .where(Case.case_no == case_no)).all()
    assert rows and set(rows) == {("004-05", web_org.users["diaocha2"])}


def test_the_board_counts_read_the_limits_alone(engine: Engine, web_org: Org) -> None:
    _cases(engine, web_org)
    with sent(engine) as seen, unit_of_work(engine, write=False) as s:
        limit_counts(db_session=s, agency_id=web_org.agency_id, now=LATER, rules=breach_rules(), which="overdue")
    (statement, parameters), = [(q, p) for q, p in seen if "count(" in q and "lead_user_id" in q]
    assert "JOIN" not in statement.upper()  # no case, no officer: the limit's own columns
    pg = engine.dialect.name == "postgresql"
    if not pg:  # SQLite plans by its statistics: most limits closed long ago, as in a bureau's history
        columns = ("case_id, agency_id, rule_code, name, basis, started_at, due_at, due_date, remind_at, "
                   "provisional, reasoning, created_at")
        with engine.begin() as conn:
            for _ in range(6):
                conn.exec_driver_sql(f"INSERT INTO deadlines ({columns}, status) SELECT {columns}, 'met' "
                                     "FROM deadlines")
            conn.exec_driver_sql("ANALYZE")
    plan = query_plan(engine, statement, parameters)
    if pg:
        assert "Index Only Scan using ix_deadlines_open_board" in plan, plan
    else:
        assert "COVERING INDEX ix_deadlines_open_board" in plan, plan


@pytest.mark.database  # migrates a database of its own (on PostgreSQL too)
def test_the_migration_fills_the_limits_already_running(empty_url: str) -> None:
    upgrade(empty_url)
    engine = make_engine(empty_url)
    try:
        org = make_org(engine)
        _cases(engine, org)
        before = _same(engine, org)
        command.downgrade(alembic_config(empty_url), "0018")  # as if the limits were opened before 0019
        upgrade(empty_url)
        with unit_of_work(engine, write=False) as s:
            assert s.scalar(select(func.count()).select_from(Deadline).where(Deadline.item_key.is_(None))) == 0
        assert _same(engine, org) == before
    finally:
        engine.dispose()


# ── the lists: the first limits in due order, each rule's own range of the index ──────────────
def test_the_lists_are_the_first_breach_limits_in_due_order_past_the_partys_windows(
        engine: Engine, web_org: Org) -> None:
    from caseflow.alerts.watch import watched_limits

    case_no = open_case(engine, web_org)
    now = sh("2026-09-01 09:00")
    with unit_of_work(engine) as s:
        case = s.scalars(select(Case).where(Case.case_no == case_no)).one()

        def limit(rule: str, due: timedelta, remind: timedelta | None = None) -> None:
            s.add(Deadline(case_id=case.id, agency_id=case.agency_id, rule_code=rule, name=rule, basis="测试",
                           started_at=now - timedelta(days=400), due_at=now + due, due_date=None,
                           remind_at=None if remind is None else now + remind, status=DeadlineStatus.open))

        for i in range(30):  # the party's windows that ended long ago and stay open: older than all
            limit("review_window", -timedelta(days=300 - i))
        for i, rule in enumerate(["case_handling", "decision_service", "clue_check"] * 4):
            limit(rule, -timedelta(days=40 - 3 * i, hours=i))  # overdue, interleaved across rules
            limit(rule, timedelta(days=2 + i, hours=i), -timedelta(hours=1))  # due soon, reminded
        limit("case_handling", timedelta(days=3), timedelta(days=1))  # due soon, not yet reminded
    with unit_of_work(engine, write=False) as s:
        rows = s.scalars(select(Deadline).where(Deadline.case_id == case.id, Deadline.status == "open")).all()
        overdue = sorted((d for d in rows if d.rule_code in breach_rules() and d.due_at <= now),
                         key=lambda d: d.due_at)
        soon = sorted((d for d in rows if d.rule_code in breach_rules() and now < d.due_at
                       and d.remind_at is not None and d.remind_at <= now), key=lambda d: d.due_at)
        for which, expected in (("overdue", overdue), ("due_soon", soon)):
            for n in (5, 100):
                got = watched_limits(db_session=s, agency_id=web_org.agency_id, now=now, which=which, limit=n)
                assert [w.deadline_id for w in got] == [d.id for d in expected[:n]], (which, n)
