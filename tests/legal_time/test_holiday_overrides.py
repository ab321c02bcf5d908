"""An administrator enters a new year's notice in the database; deadlines counted after that use it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from caseflow.db.session import unit_of_work
from caseflow.holidays import service as holidays
from caseflow.legal_time import Period, PeriodUnit, compute_due
from tests.helpers import sh

START = sh("2026-12-28 09:00")  # 7 工作日 from here cross into 2027


def test_entering_the_2027_notice_removes_the_flag_and_counts_its_holidays(engine: Engine) -> None:
    with unit_of_work(engine, write=False) as s:
        before = compute_due(START, Period(7, PeriodUnit.WORKING_DAY), calendar=holidays.calendar_for(db_session=s))
    assert before.provisional and before.due_date == date(2027, 1, 7)  # 元旦 by 放假办法 第二条
    assert any("须待国务院办公厅发布当年放假通知" in line for line in before.reasoning)

    with unit_of_work(engine) as s:
        holidays.set_day(db_session=s, day=date(2027, 1, 1), kind="holiday", name="元旦", notice="（示例）2027年放假通知")
        holidays.declare_year(db_session=s, year=2027, notice="（示例）2027年放假通知")
    with unit_of_work(engine, write=False) as s:
        after = compute_due(START, Period(7, PeriodUnit.WORKING_DAY), calendar=holidays.calendar_for(db_session=s))
        listed = [(o.day, o.kind) for o in holidays.overrides(db_session=s)]
    assert not after.provisional and after.due_date == date(2027, 1, 7)  # 元旦 is no working day
    assert any("2027-01-01（周五）为元旦假期，" in line for line in after.reasoning)  # as entered
    assert "全国年节及纪念日放假办法 第二条" not in after.articles
    assert listed == [(date(2027, 1, 1), "holiday")]


def test_a_bad_entry_is_refused_and_changes_nothing(engine: Engine) -> None:
    import pytest

    from caseflow.errors import InvalidInput

    with pytest.raises(InvalidInput), unit_of_work(engine) as s:
        holidays.set_day(db_session=s, day=date(2027, 1, 2), kind="weekend")
    with unit_of_work(engine, write=False) as s:
        assert holidays.overrides(db_session=s) == []
