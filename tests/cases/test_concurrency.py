"""Two people acting on the same case at once: exactly one wins, the other gets a conflict."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from caseflow.cases import service as case_service
from caseflow.cases.models import CaseEvent
from caseflow.db.session import unit_of_work
from caseflow.errors import Conflict
from tests.helpers import open_case, sh

FACTS = {"facts": "线索反映的违法事实。"}


def race(n: int, act: Callable[[int], str]) -> list[str]:
    """Run `act(i)` in n threads released at the same moment; their outcomes, any order.
    An unexpected exception is an outcome too ("error: …"), so the assertion shows it."""
    barrier = threading.Barrier(n)
    results: list[str] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        barrier.wait()
        try:
            outcome = act(i)
        except Exception as exc:  # anything else is a failure of the engine, not a lost race
            outcome = f"error: {exc!r}"
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _version(engine, case_no):
    with unit_of_work(engine, write=False) as s:
        return case_service.get_case(db_session=s, case_no=case_no).version


def test_concurrent_threads_one_wins_the_rest_conflict(engine, org):
    case_no = open_case(engine, org)
    with unit_of_work(engine) as s:
        case_service.fire(db_session=s, case_no=case_no, trigger="submit_filing",
                          actor_id=org.users["lian"], at=sh("2026-06-01 10:00"), payload=FACTS)
    seen = _version(engine, case_no)
    n = 6

    def act(i: int) -> str:
        try:
            with unit_of_work(engine) as s:
                case_service.fire(db_session=s, case_no=case_no, trigger="approve_filing",
                                  actor_id=org.users["juzhang"], expected_version=seen,
                                  opinion=f"第{i}个窗口", at=sh("2026-06-02 09:00"))
            return "won"
        except Conflict:
            return "conflict"

    results = race(n, act)
    assert sorted(results) == ["conflict"] * (n - 1) + ["won"]
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=case_no)
        assert case.state == "investigation" and case.version == seen + 1
        approvals = s.scalars(select(CaseEvent).where(
            CaseEvent.case_id == case.id, CaseEvent.trigger == "approve_filing")).all()
        assert len(approvals) == 1


def test_stale_read_loses_to_a_committed_change(engine, org):
    """The optimistic lock (version_id_col) itself: a session that read the case before another
    committed cannot write over it, even without an expected version."""
    case_no = open_case(engine, org)
    with unit_of_work(engine) as s:
        case_service.fire(db_session=s, case_no=case_no, trigger="submit_filing",
                          actor_id=org.users["lian"], at=sh("2026-06-01 10:00"), payload=FACTS)
    with pytest.raises(Conflict), unit_of_work(engine, write=False) as slow:
        case = case_service.get_case(db_session=slow, case_no=case_no)
        assert case.state == "filing_approval"
        with unit_of_work(engine) as fast:
            case_service.fire(db_session=fast, case_no=case_no, trigger="return_filing",
                              actor_id=org.users["juzhang"], opinion="补充线索材料",
                              at=sh("2026-06-02 08:00"))
        # `slow` still holds the old row in its identity map and state filing_approval.
        case_service.fire(db_session=slow, case_no=case_no, trigger="approve_filing",
                          actor_id=org.users["juzhang"], at=sh("2026-06-02 09:00"))
    assert _state(engine, case_no) == "clue_registered"


def _state(engine, case_no):
    with unit_of_work(engine, write=False) as s:
        return case_service.get_case(db_session=s, case_no=case_no).state


def test_concurrent_threads_without_expected_version_never_double_apply(engine, org):
    """Without the version the actor saw, a late writer either loses the race (Conflict, on
    PostgreSQL) or, serialised behind the winner (SQLite's write lock), finds the step no longer
    available. Either way exactly one approval is recorded."""
    from caseflow.errors import RuleViolation

    case_no = open_case(engine, org)
    with unit_of_work(engine) as s:
        case_service.fire(db_session=s, case_no=case_no, trigger="submit_filing",
                          actor_id=org.users["lian"], at=sh("2026-06-01 10:00"), payload=FACTS)
    n = 5

    def act(_i: int) -> str:
        try:
            with unit_of_work(engine) as s:
                case_service.fire(db_session=s, case_no=case_no, trigger="approve_filing",
                                  actor_id=org.users["juzhang"], at=sh("2026-06-02 09:00"))
            return "won"
        except Conflict:
            return "lost"
        except RuleViolation as exc:
            return "lost" if exc.code == "TRANSITION_NOT_AVAILABLE" else exc.code

    results = race(n, act)
    assert sorted(results) == ["lost"] * (n - 1) + ["won"]
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=case_no)
        assert s.scalar(select(func.count()).select_from(CaseEvent).where(
            CaseEvent.case_id == case.id, CaseEvent.trigger == "approve_filing")) == 1
