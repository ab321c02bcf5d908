"""The catch-up sweep writes alerts a chunk at a time (issue 20): every due limit alerted exactly once
across chunks, after a crash between chunks or inside one, and with two sweepers at once — and each
alert goes to the same people, saying the same thing, as with the sweep that wrote them one by one."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, bindparam, delete, func, insert, select, update

from caseflow.alerts import sweep as sweep_module
from caseflow.alerts.models import Alert, AlertKind, AlertRecipient
from caseflow.alerts.sweep import SweepReport, sweep
from caseflow.cases import service as case_service
from caseflow.db.session import unit_of_work
from caseflow.deadlines.models import Deadline, DeadlineStatus
from caseflow.demo.scenarios import ONSITE
from tests.alerts.unbatched_sweep import sweep_unbatched
from tests.helpers import Org, Runner, open_case, sh, through, walk

NOW = sh("2026-07-10 12:00")
RULES = [("decision_service", "处罚决定书送达期限（七日送达）"), ("case_handling", "办案期限"),
         ("clue_check", "线索核查期限"), ("sealing_term", "封存期限"), ("emergency_approval", "补办批准期限")]


def _limits(engine: Engine, case_no: str, agency_id: int, *, overdue: int, reminders: int = 0) -> None:
    """`overdue` limits whose end passed before NOW, `reminders` whose reminder time passed but not
    their end, on the case: all due by NOW, as after a downtime."""
    with unit_of_work(engine) as s:
        case_id = case_service.get_case(db_session=s, case_no=case_no).id
        rows = []
        for i in range(overdue + reminders):
            rule, name = RULES[i % len(RULES)]
            due = NOW - timedelta(days=2, minutes=i) if i < overdue else NOW + timedelta(hours=3, minutes=i)
            rows.append({"case_id": case_id, "agency_id": agency_id, "rule_code": rule, "name": name, "basis": "基准",
                         "started_at": due - timedelta(days=9), "due_at": due, "due_date": None,
                         "remind_at": due - timedelta(days=1), "next_alert_at": due - timedelta(days=1),
                         "provisional": False, "reasoning": [], "status": DeadlineStatus.open})
        s.execute(insert(Deadline), rows)


def _due(engine: Engine, at: datetime = NOW) -> int:
    with unit_of_work(engine, write=False) as s:
        return s.scalar(select(func.count()).select_from(Deadline).where(
            Deadline.status == DeadlineStatus.open, Deadline.next_alert_at.is_not(None),
            Deadline.next_alert_at <= at)) or 0


def _written(engine: Engine) -> dict[tuple[int, str], tuple[str, dict[int, str]]]:
    """{(deadline id, kind): (message, {user id: role})} of every alert raised on a limit."""
    with unit_of_work(engine, write=False) as s:
        out: dict[tuple[int, str], tuple[str, dict[int, str]]] = {}
        for a in s.scalars(select(Alert).where(Alert.deadline_id.is_not(None)).order_by(Alert.id)):
            key = (a.deadline_id, a.kind.value)
            assert key not in out  # (the unique key says so too)
            out[key] = (a.message, {r.user_id: r.role.value for r in a.recipients})
        return out


def _alerts_per_limit(engine: Engine) -> list[int]:
    with unit_of_work(engine, write=False) as s:
        return list(s.scalars(select(func.count()).select_from(Alert).where(Alert.deadline_id.is_not(None))
                              .group_by(Alert.deadline_id, Alert.kind)))


def test_chunks_of_three_alert_ten_limits_once(engine: Engine, org: Org) -> None:
    no = open_case(engine, org, at=sh("2026-07-09 09:00"))  # its 线索核查 is not due yet
    _limits(engine, no, org.agency_id, overdue=7, reminders=3)
    assert _due(engine) == 10
    report = sweep(engine, now=NOW, batch=3)
    assert (report.overdue, report.reminders, report.chunks) == (7, 3, 4)  # 3 + 3 + 3 + 1
    assert _due(engine) == 0 and _alerts_per_limit(engine) == [1] * 10
    written = _written(engine)
    assert all(people for _, people in written.values())
    assert report.recipients == sum(len(people) for _, people in written.values())
    assert sweep(engine, now=NOW + timedelta(minutes=1), batch=3) == SweepReport()  # nothing twice
    # The reminded ones are alerted again when their end passes: overdue now, once each.
    late = sweep(engine, now=NOW + timedelta(days=1), batch=3)
    assert (late.overdue, late.reminders) == (3, 0)
    assert len(_written(engine)) == 13 and _alerts_per_limit(engine) == [1] * 13


def _crash_on_call(monkeypatch: pytest.MonkeyPatch, name: str, call: int) -> None:
    real = getattr(sweep_module, name)
    calls = []

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == call:
            raise RuntimeError("进程中断")
        return real(*args, **kwargs)

    monkeypatch.setattr(sweep_module, name, failing)


@pytest.mark.parametrize("where", ["between chunks", "inside the second chunk"])
def test_a_crash_loses_nothing_and_the_rerun_repeats_nothing(
        engine: Engine, org: Org, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    no = open_case(engine, org, at=sh("2026-07-09 09:00"))
    _limits(engine, no, org.agency_id, overdue=8, reminders=2)
    with monkeypatch.context() as m:
        if where == "between chunks":  # the second chunk never starts
            _crash_on_call(m, "_sweep_chunk", 2)
        else:  # its alerts are written, their recipients fail: the chunk is rolled back whole
            _crash_on_call(m, "insert_recipients", 2)
        with pytest.raises(RuntimeError, match="进程中断"):
            sweep(engine, now=NOW, batch=3)
    first = _written(engine)
    assert len(first) == 3 and all(people for _, people in first.values())  # the first chunk, whole
    assert _due(engine) == 7
    again = sweep(engine, now=NOW, batch=3)
    assert again.overdue + again.reminders == 7
    written = _written(engine)
    assert len(written) == 10 and _alerts_per_limit(engine) == [1] * 10 and _due(engine) == 0
    assert {k: written[k] for k in first} == first


@pytest.mark.parametrize("batch", [2, 7])
def test_two_sweeps_at_once_alert_each_limit_once(engine: Engine, org: Org, batch: int) -> None:
    """Two threads (two `serve` processes each run the scheduler): PostgreSQL hands them disjoint
    chunks (SKIP LOCKED), SQLite takes their chunks in turn; together every limit once."""
    no = open_case(engine, org, at=sh("2026-07-09 09:00"))
    _limits(engine, no, org.agency_id, overdue=50, reminders=10)
    assert _due(engine) == 60
    start = threading.Barrier(2)
    reports: list[SweepReport] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            reports.append(sweep(engine, now=NOW, batch=batch))
        except BaseException as exc:  # noqa: BLE001 — reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors and len(reports) == 2
    assert sum(r.overdue for r in reports) == 50 and sum(r.reminders for r in reports) == 10
    written = _written(engine)
    assert len(written) == 60 and _alerts_per_limit(engine) == [1] * 60 and _due(engine) == 0
    assert sum(r.recipients for r in reports) == sum(len(p) for _, p in written.values())
    with unit_of_work(engine, write=False) as s:  # no alert without its people
        assert s.scalar(select(func.count()).select_from(Alert).where(
            ~Alert.recipients.any())) == 0


def test_an_alert_already_raised_is_left_alone(engine: Engine, org: Org) -> None:
    """The unique key behind it all: a limit whose alert exists (another sweeper's, committed just
    before this one read the row) gets no second alert and no second set of recipients."""
    no = open_case(engine, org, at=sh("2026-07-09 09:00"))
    _limits(engine, no, org.agency_id, overdue=5)
    with unit_of_work(engine) as s:
        first = s.scalars(select(Deadline).where(Deadline.next_alert_at <= NOW).order_by(Deadline.id)).first()
        assert first is not None
        s.add(Alert(deadline_id=first.id, case_id=first.case_id, agency_id=org.agency_id, kind=AlertKind.overdue,
                    due_at=first.due_at, raised_at=NOW, message="他人已发"))
    report = sweep(engine, now=NOW, batch=2)
    assert report.overdue == 4
    written = _written(engine)
    assert len(written) == 5 and written[(first.id, "overdue")] == ("他人已发", {})


def _seeded(engine: Engine, org: Org, runner: Runner) -> None:
    """Cases in different procedures, states and seatings, with limits of several rules each."""
    clue = open_case(engine, org)  # waits for 提请立案审批: 线索核查 overdue by July
    decided = open_case(engine, org, officers=("diaocha2", "diaocha1"))
    walk(runner, decided, through("decide_penalty"))  # 七日送达 runs
    sealed = open_case(engine, org, procedure="sealing", by="fengcun", officers=("fengcun", "diaocha1"))
    runner.fire(sealed, "seal_on_the_spot", "fengcun", "2026-07-08 23:30", payload=ONSITE)
    alone = open_case(engine, org, officers=("diaocha1",))
    for i, no in enumerate((clue, decided, sealed, alone)):
        _limits(engine, no, org.agency_id, overdue=3 + i, reminders=2)


def _next_alerts(engine: Engine) -> dict[int, datetime | None]:
    with unit_of_work(engine, write=False) as s:
        return dict(s.execute(select(Deadline.id, Deadline.next_alert_at)).all())


def _reset(engine: Engine, saved: dict[int, datetime | None]) -> None:
    with unit_of_work(engine) as s:
        s.execute(delete(AlertRecipient))
        s.execute(delete(Alert))
        s.connection().execute(
            update(Deadline.__table__).where(Deadline.__table__.c.id == bindparam("b_id"))
            .values(next_alert_at=bindparam("b_at")),
            [{"b_id": k, "b_at": v} for k, v in saved.items()])


def test_the_same_people_as_the_sweep_that_wrote_one_by_one(engine: Engine, org: Org, runner: Runner) -> None:
    _seeded(engine, org, runner)
    saved = _next_alerts(engine)
    times = (NOW, NOW + timedelta(days=1), NOW + timedelta(days=90))  # reminders, their ends, the rest
    old = []
    for at in times:
        sweep_unbatched(engine, now=at, batch=4)
        old.append(_written(engine))
    _reset(engine, saved)
    new = []
    for at in times:
        sweep(engine, now=at, batch=4)
        new.append(_written(engine))
    assert len(old[0]) > 15 and len(old[-1]) > len(old[0])
    assert {kind for _, kind in old[0]} == {"overdue", "reminder"}
    assert new == old
