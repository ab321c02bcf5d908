"""监督看板 figures stay whole when the overdue limits outnumber the rows listed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from caseflow.cases.models import Case
from caseflow.db.base import utcnow
from caseflow.db.session import unit_of_work
from caseflow.deadlines.models import Deadline, DeadlineStatus
from caseflow.web.queries import dashboard
from tests.helpers import Org, open_case


def _add_limits(engine: Engine, case_no: str, dues: list[timedelta]) -> None:
    now = utcnow()
    with unit_of_work(engine) as s:
        case = s.scalars(select(Case).where(Case.case_no == case_no)).one()
        for d in dues:
            due = now + d
            s.add(Deadline(case_id=case.id, agency_id=case.agency_id, rule_code="case_handling",
                           name="办案期限", basis="测试", started_at=due - timedelta(days=90),
                           due_at=due, due_date=due.date(), remind_at=due - timedelta(days=3),
                           status=DeadlineStatus.open))


def test_due_soon_limits_are_not_crowded_out_by_overdue_ones(engine: Engine, web_org: Org,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dashboard, "SHOWN", 3)
    a, b = open_case(engine, web_org), open_case(engine, web_org)
    with unit_of_work(engine, write=False) as s:
        base = dashboard.board(db_session=s, agency_id=web_org.agency_id, now=utcnow())
    _add_limits(engine, a, [-timedelta(days=n) for n in range(1, 6)])  # 5 overdue
    _add_limits(engine, b, [timedelta(days=1), timedelta(days=2)])  # 2 due soon (reminded)
    with unit_of_work(engine, write=False) as s:
        board = dashboard.board(db_session=s, agency_id=web_org.agency_id, now=utcnow())
    assert len(board["overdue"]) == 3  # only the first rows are listed, longest overdue first …
    dues = [r.due_at for r in board["overdue"]]
    assert dues == sorted(dues)
    soon_here = [r for r in board["soon"] if r.rule_code == "case_handling"]
    assert [r.case_no for r in soon_here] == [b, b]  # … and the due-soon ones are not crowded out
    # the counts cover every row, not just those listed
    assert board["overdue_total"] == base["overdue_total"] + 5
    assert board["soon_total"] == base["soon_total"] + 2
    for key, total in (("overdue_by_section", "overdue_total"), ("overdue_by_officer", "overdue_total"),
                       ("overdue_by_item", "overdue_total"), ("soon_by_section", "soon_total"),
                       ("soon_by_officer", "soon_total")):
        assert sum(n for _k, n in board[key]) == board[total], key
    officers = dict(board["overdue_by_officer"])
    assert officers["王调查"] == dict(base["overdue_by_officer"]).get("王调查", 0) + 5


def test_dashboard_page_says_how_many_are_listed(client, engine: Engine, web_org: Org,  # type: ignore[no-untyped-def]
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.web.conftest import login

    monkeypatch.setattr(dashboard, "SHOWN", 2)
    a = open_case(engine, web_org)
    _add_limits(engine, a, [-timedelta(days=n) for n in range(1, 5)])
    login(client, "juzhang")
    html = client.get("/dashboard").text
    assert "列出逾期最久的 2 项" in html and "共 " in html and "上方统计含全部" in html


def test_only_supervisors_see_the_board_and_the_deadline_summary(client, web_org: Org) -> None:  # type: ignore[no-untyped-def]
    from tests.web.conftest import login

    login(client, "diaocha1")  # 调查岗
    r = client.get("/dashboard")
    assert r.status_code == 403 and "仅供局负责人和股长查看" in r.text
    assert 'href="/dashboard"' not in client.get("/").text  # not offered in the nav either
    r = client.get("/api/deadlines?status=overdue")
    assert r.status_code == 403 and r.json()["code"] == "NOT_PERMITTED"
    for who in ("juzhang", "jjgz"):  # 局负责人, 股长
        login(client, who)
        assert client.get("/dashboard").status_code == 200
        assert 'href="/dashboard"' in client.get("/").text
        assert client.get("/api/deadlines?status=overdue").status_code == 200
