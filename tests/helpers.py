"""Small helpers that make valid objects and take steps, shared by the tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session

from caseflow.cases import service as case_service
from caseflow.cases.models import Case, CaseEvent, OfficerRole, PartyRole
from caseflow.db.session import unit_of_work
from caseflow.deadlines import service as deadline_service
from caseflow.deadlines.models import Deadline
from caseflow.demo.organisation import create_demo_agency, demo_users
from caseflow.demo.scenarios import FULL_PATH
from caseflow.demo.walk import Step, sh
from caseflow.legal_time import SHANGHAI
from caseflow.errors import CaseflowError, RuleViolation
from caseflow.org.models import Agency
from caseflow.org.service import create_agency, create_user, grant_post, issue_credential
from caseflow.parties.models import PartyKind
from caseflow.parties.service import register_party

HOSPITAL = dict(kind=PartyKind.organisation, name="测试医院", uscc="91410324MA47T3Q8WY",
                legal_representative="刘某", address="栾川县城关镇1号")
PERSON = dict(kind=PartyKind.individual, name="张某", id_number="410324199003150018",
              address="栾川县潭头镇")


# 栾川's items: 对定点医药机构骗取医疗保障基金支出的处罚, and the 封存 item.
ITEM_OF = {"penalty_general": "004-05", "sealing": "004-12"}


@dataclass
class Org:
    agency_id: int
    users: dict[str, int]  # username -> id
    other_agency_id: int
    other_users: dict[str, int]


def make_org(engine: Engine) -> Org:
    with unit_of_work(engine) as s:
        agency = create_demo_agency(db_session=s)
        users = {k: u.id for k, u in demo_users(s, agency).items()}
        other = create_agency(db_session=s, name="平山县医疗保障局", short_name="平医保",
                              province="河北省", sections=["基金监管股", "法制审核股"])
        ou = create_user(db_session=s, agency=other, username="ps_lian", full_name="平山立案")
        grant_post(db_session=s, user=ou, post="立案岗", section_name="基金监管股")
        oh = create_user(db_session=s, agency=other, username="ps_head", full_name="平山局长")
        grant_post(db_session=s, user=oh, post="局负责人", section_name=None)
        issue_credential(db_session=s, user=ou, number="冀PS001", valid_from=date(2024, 1, 1),
                         valid_until=date(2028, 1, 1))
        return Org(agency.id, users, other.id, {"ps_lian": ou.id, "ps_head": oh.id})


def open_case(engine: Engine, org: Org, *, procedure: str = "penalty_general",
              by: str = "lian", party: dict[str, Any] | None = None,
              officers: tuple[str, ...] = ("diaocha1", "diaocha2"),
              at: datetime | None = None, item: str | None = None, title: str = "测试案件") -> str:
    with unit_of_work(engine) as s:
        agency = s.get(Agency, org.agency_id)
        assert agency is not None
        users = demo_users(s, agency)
        p = register_party(db_session=s, agency_id=agency.id, **(party or HOSPITAL))
        roles = [OfficerRole.lead] + [OfficerRole.assistant] * (len(officers) - 1)
        case = case_service.open_case(
            db_session=s, actor=users[by], item_key=item or ITEM_OF[procedure], title=title,
            parties=[(p, PartyRole.principal)],
            officers=[(users[o], r) for o, r in zip(officers, roles)],
            at=at or sh("2026-06-01 09:00"),
        )
        return case.case_no


class Runner:
    """Takes steps on cases; in `reload` mode every step uses a fresh session (state from the DB)."""

    def __init__(self, engine: Engine, org: Org, *, reload: bool) -> None:
        self.engine, self.org, self.reload = engine, org, reload
        self._session: Session | None = None if reload else Session(bind=engine, expire_on_commit=False)

    def close(self) -> None:
        if self._session is not None:
            self._session.close()

    def fire(self, case_no: str, trigger: str, user: str, at: datetime | str, *,
             payload: dict[str, Any] | None = None, opinion: str | None = None) -> str:
        when = sh(at) if isinstance(at, str) else at
        uid = self.org.users.get(user) or self.org.other_users[user]
        if self._session is None:
            with unit_of_work(self.engine) as s:
                return case_service.fire(db_session=s, case_no=case_no, trigger=trigger, actor_id=uid,
                                         payload=payload, opinion=opinion, at=when).case.state
        s = self._session
        try:
            state = case_service.fire(db_session=s, case_no=case_no, trigger=trigger, actor_id=uid,
                                      payload=payload, opinion=opinion, at=when).case.state
            s.commit()
            return state
        except BaseException:
            s.rollback()
            raise

    def state(self, case_no: str) -> str:
        with unit_of_work(self.engine, write=False) as s:
            return case_service.get_case(db_session=s, case_no=case_no).state


def snapshot(engine: Engine, case_no: str) -> dict[str, Any]:
    """Everything a refused step must leave as it was: the case row, its events, its deadlines."""
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=case_no)
        row = {c.key: getattr(case, c.key) for c in Case.__table__.columns}
        events = s.scalar(select(CaseEvent.id).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id.desc()))
        deadlines = [(d.rule_code, d.status.value) for d in s.scalars(
            select(Deadline).where(Deadline.case_id == case.id).order_by(Deadline.id))]
        penalties = [(p.stage.value, p.kind, p.amount, p.violation_seq) for p in case.penalties]
        violations = [(v.seq, v.conduct, v.amount_involved, v.amount_loss, v.amount_defrauded, v.withdrawn_at,
                       v.details) for v in case.violations]
        return {"case": row, "last_event": events, "deadlines": deadlines, "penalties": penalties,
                "violations": violations}


def later(at: str, **delta: float) -> datetime:
    return sh(at) + timedelta(**delta)


# ── walking a path, reading a case back, refused steps ───────────────────
def through(trigger: str, path: list[Step] = FULL_PATH) -> list[Step]:
    """The steps of `path` up to and including the first `trigger`."""
    i = next(i for i, s in enumerate(path) if s.trigger == trigger)
    return path[: i + 1]


def shifted(steps: list[Step], delta: timedelta) -> list[Step]:
    """The steps `delta` later — their times and the times their payloads give (a 笔录's start and end)."""
    def move(value: object) -> object:
        if isinstance(value, str):
            try:
                return (datetime.fromisoformat(value).replace(tzinfo=SHANGHAI) + delta).isoformat()
            except ValueError:
                return value
        return value
    times = ("acted_at", "ended_at")
    return [replace(s, at=s.at + delta if s.at else None,
                    payload={k: move(v) if k in times else v for k, v in s.payload.items()}) for s in steps]


def walk(runner: Runner, case_no: str, steps: list[Step]) -> str:
    """Fire every step in turn; the state after the last one."""
    state = ""
    for s in steps:
        state = runner.fire(case_no, s.trigger, s.user, s.at, payload=s.payload, opinion=s.opinion)
    return state


def case_walked_to(engine: Engine, org: Org, trigger: str) -> str:
    """A new penalty case walked along the full path up to and including `trigger`."""
    case_no = open_case(engine, org)
    runner = Runner(engine, org, reload=True)
    try:
        walk(runner, case_no, through(trigger))
    finally:
        runner.close()
    return case_no


def case_row(engine: Engine, case_no: str) -> Case:
    """The case, detached, with its penalties, sealed items, parties and officers loaded."""
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=case_no)
        _ = (case.penalties, case.sealed_items, case.parties, case.officers)
        _ = [v.details for v in case.violations]
        return case


def events(engine: Engine, case_no: str) -> list[CaseEvent]:
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=case_no)
        return case_service.events_of(db_session=s, case_id=case.id)


def deadlines(engine: Engine, case_no: str, rule: str | None = None) -> list[Deadline]:
    """The case's deadlines, or only those of `rule`."""
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=case_no)
        rows = deadline_service.for_case(db_session=s, case_id=case.id)
    return [d for d in rows if rule is None or d.rule_code == rule]


def case_count(engine: Engine) -> int:
    with unit_of_work(engine, write=False) as s:
        return s.scalar(select(func.count()).select_from(Case))


def refused(engine: Engine, runner: Runner, case_no: str, trigger: str, user: str,
            at: datetime | str, *, code: str, phrases: tuple[str, ...] = (),
            exc: type[CaseflowError] = RuleViolation, payload: dict[str, Any] | None = None,
            opinion: str | None = None) -> CaseflowError:
    """Fire a step that must be refused; check the error (exact type, code, phrases in its
    message) and that nothing changed: the case (see `snapshot`) and the number of cases."""
    before, cases = snapshot(engine, case_no), case_count(engine)
    with pytest.raises(CaseflowError) as info:
        runner.fire(case_no, trigger, user, at, payload=payload, opinion=opinion)
    err = info.value
    assert type(err) is exc, err
    assert err.code == code, err
    for phrase in phrases:
        assert phrase in err.message, (phrase, err.message)
    after = snapshot(engine, case_no)
    assert after == before, (before, after)
    assert case_count(engine) == cases, (cases, case_count(engine))
    return err


@contextmanager
def sent(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """The statements (with their parameters) the engine sends inside the block, in order."""
    seen: list[tuple[str, Any]] = []

    def keep(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", keep)


def query_plan(engine: Engine, statement: str, parameters: Any) -> str:
    """The database's plan of a statement. On PostgreSQL a test's handful of rows would be read
    whole: the planner is shown the index path, as it takes it at 100,000 cases."""
    pg = engine.dialect.name == "postgresql"
    with engine.connect() as conn:
        if pg:
            conn.exec_driver_sql("SET enable_seqscan = off")
            conn.exec_driver_sql("SET enable_bitmapscan = off")
        return "\n".join(str(r[0] if pg else r[-1]) for r in conn.exec_driver_sql(
            ("EXPLAIN " if pg else "EXPLAIN QUERY PLAN ") + statement, parameters))
