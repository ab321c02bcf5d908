"""Periods in years (《行政处罚法》第三十六条 两年/五年): 民法典 第二百零二条 and 民事诉讼法 第八十五条.

A year period ends on the same month and day of the target year, or on the last day of that month
if there is none (2月29日 → 2月28日); a last day that is a 法定休假日 rolls to the first working day
after it. Expected dates were counted by hand on the 2025/2026 notices and 放假办法 第二条.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from caseflow.errors import InvalidInput
from caseflow.legal_time import DayOverride, Period, PeriodUnit, WorkCalendar, compute_due, reminder_at
from caseflow.workflow.calculator import calculate, parse_start
from caseflow.legal_time.period_text import parse_period
from caseflow.org.settings import LimitSetting
from caseflow.workflow.definition import load_deadline_rules

CST = timezone(timedelta(hours=8))
YEAR = PeriodUnit.YEAR


def at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 9, 0, tzinfo=CST)


@pytest.mark.parametrize(("written", "length"), [
    ("1年", 1), ("2年", 2), ("5年", 5), ("两年", 2), ("五年", 5), ("一年", 1), (" 2 年 ", 2),
])
def test_year_periods_are_read(written: str, length: int) -> None:
    assert parse_period(written) == Period(length, YEAR)


@pytest.mark.parametrize("bad", ["0年", "零年", "2个年", "年", "2年半"])
def test_bad_year_periods_are_refused(bad: str) -> None:
    with pytest.raises(InvalidInput):
        parse_period(bad)


def test_the_unit_is_named_in_chinese() -> None:
    assert YEAR.value == "year" and YEAR.chinese == "年"
    assert str(Period(2, YEAR)) == "2年"
    assert Period(1, "year").unit is YEAR  # type: ignore[arg-type]


def test_one_year_from_february_29_ends_february_28() -> None:
    r = compute_due(at(2024, 2, 29), Period(1, YEAR))
    assert r.due_date == date(2025, 2, 28)  # a Friday, a working day: no roll-forward
    assert "民法典 第二百零二条" in r.articles and not r.provisional
    assert "没有对应日的以该月末日为最后一日" in "\n".join(r.reasoning)


def test_two_years_from_february_29_end_on_a_makeup_saturday() -> None:
    r = compute_due(at(2024, 2, 29), Period(2, YEAR))
    assert r.due_date == date(2026, 2, 28)  # 2026 春节 调休 Saturday: a working day, no roll


def test_year_period_ending_on_national_day_rolls_forward() -> None:
    r = compute_due(at(2025, 10, 1), Period(1, YEAR))  # last day 2026-10-01, 国庆 10-01..07
    assert r.due_date == date(2026, 10, 8)
    assert "顺延" in "\n".join(r.reasoning)


def test_year_period_ending_on_a_statutory_day_of_2027_rolls_and_is_provisional() -> None:
    r = compute_due(at(2026, 1, 1), Period(1, YEAR))  # last day 2027-01-01 (Fri), 元旦
    assert r.due_date == date(2027, 1, 4)  # 01-02/03 weekend
    assert r.provisional and r.flags == ("2027年节假日安排未录入",)
    r = compute_due(at(2025, 4, 5), Period(2, YEAR))  # last day 2027-04-05 (Mon), 清明
    assert r.due_date == date(2027, 4, 6)


def test_year_period_in_a_declared_year_follows_the_administrator() -> None:
    # 2027 declared with nothing entered for 01-01: 元旦 is still off (第二条 — a notice adds days
    # off, it never takes one away), so the period rolls to Mon 01-04, and is no longer provisional.
    r = compute_due(at(2026, 1, 1), Period(1, YEAR), calendar=WorkCalendar(covered_years={2027}))
    assert r.due_date == date(2027, 1, 4) and not r.provisional
    entered = WorkCalendar({date(2027, 1, 4): DayOverride("holiday", "测试")}, covered_years={2027})
    assert compute_due(at(2026, 1, 1), Period(1, YEAR), calendar=entered).due_date == date(2027, 1, 5)


def test_the_calculator_takes_year_text() -> None:
    calc = calculate(parse_start("2024-02-29"), "1年", calendar=WorkCalendar())
    assert calc.result.due_date == date(2025, 2, 28)
    assert calc.as_dict()["period"] == "1年"


def test_reminder_for_a_year_period_is_a_working_day_before() -> None:
    start = at(2024, 2, 29)
    r = compute_due(start, Period(1, YEAR))  # due Fri 2025-02-28
    assert reminder_at(r, start, WorkCalendar()) == datetime(2025, 2, 27, 0, 0, tzinfo=CST)


def test_deadline_rules_and_agency_limits_accept_year(tmp_path: Path) -> None:
    path = tmp_path / "deadlines.yaml"
    path.write_text(
        "penalty_limitation:\n  name: 追责期限\n  length: 2\n  unit: year\n  from: 违法行为发生\n"
        "  basis: 《行政处罚法》第三十六条\n  holder: agency\n",
        encoding="utf-8",
    )
    assert load_deadline_rules(path)["penalty_limitation"].unit is YEAR
    assert LimitSetting(length=5, unit="year").unit is YEAR  # type: ignore[arg-type]
