"""compute_due with exact dates from the 2026 notice."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from caseflow.legal_time import (
    DayOverride,
    Period,
    PeriodUnit,
    WorkCalendar,
    compute_due,
    is_overdue,
    remaining,
)

CST = timezone(timedelta(hours=8))
WD, DAY, MONTH, HOUR = PeriodUnit.WORKING_DAY, PeriodUnit.DAY, PeriodUnit.MONTH, PeriodUnit.HOUR


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=CST)


def text(r) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(r.reasoning)


def test_seven_working_days_over_national_day() -> None:
    arts = ["行政处罚法 第五十六条", "行政处罚法 第八十五条"]
    r = compute_due(at(2026, 9, 30), Period(7, WD), articles=arts)
    # 10-01..10-07 off; 10-08 (1), 10-09 (2), 10-10 Sat make-up (3), 10-12..10-15 (4..7)
    assert r.due_date == date(2026, 10, 15)
    assert r.due_at == datetime(2026, 10, 15, 16, 0, tzinfo=UTC)
    assert r.due_at.tzinfo == UTC
    assert not r.provisional and r.flags == ()
    t = text(r)
    assert "2026-09-30（周三）不计入" in t
    assert "2026-10-01（周四）至2026-10-07（周三）为国庆节假期" in t
    assert "2026-10-10（周六）为国庆节调休上班日，计为第3个工作日" in t
    assert "2026-10-11（周日）为周末" in t
    assert r.articles == ("行政处罚法 第五十六条", "行政处罚法 第八十五条", "民事诉讼法 第八十五条")
    assert "行政处罚法 第八十五条" in r.reasoning[-1]


def test_without_makeup_days_the_period_is_one_day_longer() -> None:
    r = compute_due(at(2026, 9, 30), Period(7, WD), calendar=WorkCalendar(count_makeup_days=False))
    assert r.due_date == date(2026, 10, 16)


def test_five_working_days_over_spring_festival() -> None:
    r = compute_due(at(2026, 2, 10), Period(5, WD))
    # 02-11 (1), 02-12 (2), 02-13 (3), 02-14 Sat make-up (4), 02-15..02-23 off, 02-24 (5)
    assert r.due_date == date(2026, 2, 24)
    assert "春节假期" in text(r) and "2026-02-14（周六）为春节调休上班日" in text(r)

    r2 = compute_due(at(2026, 2, 24), Period(5, WD))
    # 02-25 (1), 02-26 (2), 02-27 (3), 02-28 Sat make-up (4), 03-01 Sun, 03-02 (5)
    assert r2.due_date == date(2026, 3, 2)
    assert "2026-02-28（周六）为春节调休上班日，计为第4个工作日" in text(r2)


def test_calendar_days_ending_on_sunday_roll_to_monday() -> None:
    r = compute_due(at(2026, 3, 7), Period(15, DAY))  # last day 03-22 is a Sunday
    assert r.due_date == date(2026, 3, 23)
    assert "民事诉讼法 第八十五条" in text(r) and "顺延" in text(r)


def test_calendar_days_ending_in_national_day_roll_to_october_8() -> None:
    r = compute_due(at(2026, 9, 18), Period(15, DAY))  # last day 10-03
    assert r.due_date == date(2026, 10, 8)
    assert "国庆节假期" in text(r) and "2026-10-08（周四）" in text(r)


def test_calendar_days_count_holidays_inside_the_period() -> None:
    r = compute_due(at(2026, 9, 30), Period(15, DAY))  # 10-15 is a Thursday
    assert r.due_date == date(2026, 10, 15)
    assert "无需顺延" in text(r)


def test_calendar_days_ending_on_a_makeup_saturday_do_not_roll() -> None:
    r = compute_due(at(2026, 9, 25), Period(15, DAY))  # last day 10-10, a 调休 working Saturday
    assert r.due_date == date(2026, 10, 10)


def test_month_period_from_january_31_ends_february_28() -> None:
    r = compute_due(at(2026, 1, 31), Period(1, MONTH))
    assert r.due_date == date(2026, 2, 28)  # a make-up Saturday: working, no roll-forward
    assert "民法典 第二百零二条" in r.articles


def test_month_period_rolls_forward_over_a_holiday() -> None:
    r = compute_due(at(2026, 4, 5), Period(6, MONTH))  # 10-05 inside 国庆
    assert r.due_date == date(2026, 10, 8)
    r = compute_due(at(2026, 3, 31), Period(6, MONTH))  # 2026-09-30 exists: same-numbered day
    assert r.due_date == date(2026, 9, 30)
    r = compute_due(at(2025, 8, 31), Period(6, MONTH))  # 2026-02-28, year rollover
    assert r.due_date == date(2026, 2, 28)


def test_24_hours_run_through_the_holiday() -> None:
    r = compute_due(at(2026, 10, 1, 10, 25), Period(24, HOUR))
    assert r.due_date is None
    assert r.due_at == datetime(2026, 10, 2, 11, 0, tzinfo=CST)
    assert r.due_at.utcoffset() == timedelta(0)
    assert "2026-10-01 11:00起算" in text(r)


def test_hour_start_in_utc_is_taken_in_shanghai() -> None:
    start = datetime(2026, 10, 1, 2, 25, tzinfo=UTC)  # 10:25 Beijing time
    due = compute_due(start, Period(24, HOUR)).due_at
    assert due == datetime(2026, 10, 2, 3, 0, tzinfo=UTC)


def test_day_is_taken_in_shanghai_not_utc() -> None:
    start = datetime(2026, 9, 30, 17, 0, tzinfo=UTC)  # already 10-01 01:00 in Beijing
    r = compute_due(start, Period(15, DAY))
    assert r.due_date == date(2026, 10, 16)


def test_crossing_into_2027_is_provisional_and_flagged() -> None:
    r = compute_due(at(2026, 12, 28), Period(7, WD))
    assert r.provisional
    assert r.flags == ("2027年节假日安排未录入",)
    # 12-29 (1), 12-30 (2), 12-31 (3); 2027-01-01 元旦 (放假办法 第二条), 01-02/03 weekend;
    # 01-04 (4) .. 01-07 (7)
    assert r.due_date == date(2027, 1, 7)
    assert "2027年节假日安排未录入" in text(r)


def test_calendar_period_with_last_day_in_2027_is_flagged_once() -> None:
    r = compute_due(at(2026, 12, 20), Period(20, DAY))  # last day 2027-01-09, Sat
    assert r.due_date == date(2027, 1, 11)
    assert r.flags == ("2027年节假日安排未录入",)


def test_period_inside_2026_is_not_flagged() -> None:
    r = compute_due(at(2026, 12, 1), Period(15, DAY))
    assert not r.provisional and r.flags == ()


def test_administrator_entered_2027_removes_the_flag_and_changes_the_answer() -> None:
    overrides = {date(2027, 1, 1): DayOverride("holiday", "元旦")}
    cal = WorkCalendar(overrides, covered_years={2027})
    r = compute_due(at(2026, 12, 28), Period(7, WD), calendar=cal)
    assert not r.provisional and r.flags == ()
    assert r.due_date == date(2027, 1, 7)
    assert "2027-01-01（周五）为元旦假期" in text(r)


def test_override_changes_the_answer_in_2026() -> None:
    cal = WorkCalendar({date(2026, 10, 15): DayOverride("holiday", "台风停工")})
    r = compute_due(at(2026, 9, 30), Period(7, WD), calendar=cal)
    assert r.due_date == date(2026, 10, 16)
    assert "台风停工假期" in text(r)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        compute_due(datetime(2026, 10, 1, 10, 0), Period(1, DAY))
    r = compute_due(at(2026, 10, 1), Period(1, DAY))
    with pytest.raises(ValueError):
        is_overdue(r, datetime(2026, 10, 9))


def test_bad_periods_are_refused() -> None:
    for bad in (0, -1, True):
        with pytest.raises(ValueError):
            Period(bad, DAY)
    with pytest.raises(ValueError):
        Period(1, "week")  # type: ignore[arg-type]
    assert Period(3, "working_day").unit is WD  # type: ignore[arg-type]


def test_overdue_and_remaining_use_the_end_of_the_due_day() -> None:
    r = compute_due(at(2026, 9, 30), Period(7, WD))  # due 10-15, bound 10-16 00:00 +08:00
    assert not is_overdue(r, datetime(2026, 10, 15, 23, 59, 59, tzinfo=CST))
    assert is_overdue(r, datetime(2026, 10, 16, 0, 0, tzinfo=CST))
    assert remaining(r, datetime(2026, 10, 15, 12, 0, tzinfo=CST)) == timedelta(hours=12)
    assert remaining(r, datetime(2026, 10, 16, 1, 0, tzinfo=CST)) == timedelta(hours=-1)
