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


def _limit_at(engine: Engine, case_no: str, due, status: DeadlineStatus) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(engine) as s:
        case = s.scalars(select(Case).where(Case.case_no == case_no)).one()
        s.add(Deadline(case_id=case.id, agency_id=case.agency_id, rule_code="case_handling",
                       name="办案期限", basis="测试", started_at=due - timedelta(days=90),
                       due_at=due, due_date=due.date(), remind_at=due - timedelta(days=3),
                       status=status, closed_at=None if status is DeadlineStatus.open else due))


def test_monthly_figures_count_by_beijing_month(engine: Engine, web_org: Org) -> None:
    """Cases opened and limits falling due are counted in the 北京时间 month; a limit is late when it
    was overdue or is still open past its due time; limits not yet due and cancelled ones are left out."""
    from datetime import UTC, datetime

    now = datetime(2026, 11, 15, 4, 0, tzinfo=UTC)

    def months() -> dict[str, dict]:  # type: ignore[type-arg]
        with unit_of_work(engine, write=False) as s:
            got = dashboard.board(db_session=s, agency_id=web_org.agency_id, now=now)["months"]
        return {m["label"]: m for m in got}

    carrier = open_case(engine, web_org, at=datetime(2025, 1, 6, 2, 0, tzinfo=UTC))  # before the chart
    base = months()
    assert list(base) == [f"{y % 100}/{m:02d}" for y, m in [(2025, 12)] + [(2026, n) for n in range(1, 12)]]
    for due, status in ((datetime(2026, 10, 31, 15, 59, tzinfo=UTC), DeadlineStatus.overdue),  # Oct, late
                        (datetime(2026, 10, 20, 2, 0, tzinfo=UTC), DeadlineStatus.met),        # Oct
                        (datetime(2026, 10, 21, 2, 0, tzinfo=UTC), DeadlineStatus.cancelled),  # left out
                        (datetime(2026, 10, 31, 16, 0, tzinfo=UTC), DeadlineStatus.met),       # Nov
                        (datetime(2026, 11, 10, 0, 0, tzinfo=UTC), DeadlineStatus.open),       # Nov, late
                        (datetime(2026, 11, 20, 0, 0, tzinfo=UTC), DeadlineStatus.open),       # not yet due
                        (datetime(2025, 11, 30, 15, 0, tzinfo=UTC), DeadlineStatus.overdue)):  # before
        _limit_at(engine, carrier, due, status)
    got = months()

    def diff(label: str, key: str) -> int:
        return int(got[label][key]) - int(base[label][key])

    assert (diff("26/10", "due"), diff("26/10", "late")) == (2, 1)
    assert (diff("26/11", "due"), diff("26/11", "late")) == (2, 1)
    others = [lb for lb in got if lb not in ("26/10", "26/11")]
    assert {lb: got[lb] for lb in others} == {lb: base[lb] for lb in others}
    oct_ = got["26/10"]
    assert oct_["rate"] == pytest.approx(oct_["late"] / oct_["due"])

    base = got
    for at in (datetime(2026, 10, 31, 15, 59, tzinfo=UTC),   # 10-31 23:59 北京
               datetime(2026, 10, 31, 16, 0, tzinfo=UTC),    # 11-01 00:00 北京
               datetime(2025, 11, 30, 15, 0, tzinfo=UTC)):   # 2025-11-30 23:00 北京, before the chart
        open_case(engine, web_org, at=at)
    got = months()
    assert {lb: diff(lb, "opened") for lb in got} == {lb: int(lb in ("26/10", "26/11")) for lb in got}


def test_a_section_head_sees_the_limits_of_their_section_and_the_bureau_one_click_away(
        client, engine: Engine, web_org: Org) -> None:  # type: ignore[no-untyped-def]
    from tests.web.conftest import login

    a = open_case(engine, web_org)  # 线索核查: met by 批准立案 (局负责人), no 股室 of its own
    _add_limits(engine, a, [-timedelta(days=2)])  # 办案期限: met by the 基金监管股's 决定岗
    login(client, "jjgz")  # 基金监管股 股长
    own = client.get("/dashboard").text
    assert "基金监管股的期限" in own and 'href="/dashboard?scope=all"' in own
    assert "办案期限" in own and "线索核查期限" not in own
    everything = client.get("/dashboard?scope=all").text
    assert "线索核查期限" in everything and "局负责人审批" in everything
    assert 'href="/cases?overdue=1&item=004-05"' in everything  # a count leads to its cases
    login(client, "juzhang")
    assert "线索核查期限" in client.get("/dashboard").text  # the head: the whole bureau
