"""Years without a holiday notice: the days off of 《全国年节及纪念日放假办法》第二条.

Expected 2027 dates were taken from the statute and an almanac, not from the code: 丙午年腊月 has
29 days, so 除夕 is 腊月廿九 2027-02-05 and 正月初一 (丁未年) is Saturday 2027-02-06; 清明 2027-04-05;
端午 (五月初五) 2027-06-09; 中秋 (八月十五) 2027-09-15. They agree with the lunar tables of `holidays`
0.109 (its non-"observed" China entries for 2027) and, for 清明, with chinesecalendar's solar terms.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import chinese_calendar
import pytest
from lunar_python import Solar

from caseflow.legal_time import DayOverride, Period, PeriodUnit, WorkCalendar, compute_due
from caseflow.legal_time.statutory_holidays import (
    second_article_days,
    statutory_days_apply,
    statutory_holidays,
)
D = date
CST = timezone(timedelta(hours=8))
WD, DAY = PeriodUnit.WORKING_DAY, PeriodUnit.DAY
FLAG = "2027年节假日安排未录入"
SECOND_ARTICLE_2027 = {
    D(2027, 1, 1): "元旦",  # Friday
    D(2027, 2, 5): "春节",  # 除夕 (腊月廿九), Friday
    D(2027, 2, 6): "春节",  # 正月初一, Saturday
    D(2027, 2, 7): "春节",  # 初二, Sunday
    D(2027, 2, 8): "春节",  # 初三, Monday
    D(2027, 4, 5): "清明节",  # Monday
    D(2027, 5, 1): "劳动节",  # Saturday
    D(2027, 5, 2): "劳动节",  # Sunday
    D(2027, 6, 9): "端午节",  # Wednesday
    D(2027, 9, 15): "中秋节",  # Wednesday
    D(2027, 10, 1): "国庆节",  # Friday
    D(2027, 10, 2): "国庆节",  # Saturday
    D(2027, 10, 3): "国庆节",  # Sunday
}
# What `holidays` 0.109 adds to 2027 as "observed": 第六条 says a 补假 is due, but which day only
# the notice can say, so none of these may be counted as a rest day.
GUESSED_OBSERVED_2027 = [D(2027, 2, 9), D(2027, 2, 10), D(2027, 5, 3), D(2027, 5, 4),
                         D(2027, 10, 4), D(2027, 10, 5)]
CHINESECALENDAR_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
}


def sh(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CST)


def text(r) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(r.reasoning)


# --- the source, checked against the published notices (chinesecalendar) and a second source --


def test_the_2027_days_are_exactly_those_of_the_second_article() -> None:
    assert dict(statutory_holidays(2027)) == SECOND_ARTICLE_2027


@pytest.mark.parametrize("year", range(2020, 2027))
def test_second_article_days_are_days_off_in_the_published_notices(year: int) -> None:
    """Every 第二条 day of 2020–2026, computed from the lunar library, is a holiday day off in
    chinesecalendar (the State Council notices) under the same festival name — except 除夕 of 2024:
    until the 2024 revision (in force 2025-01-01) 春节 was 正月初一至初三, and the 2024 notice kept
    2024-02-09 a working day. That is why the computed days are applied only from 2025."""
    exceptions = {D(2024, 2, 9)}
    for d, names in second_article_days(year).items():
        if d in exceptions:
            assert chinese_calendar.is_workday(d) and names == "春节"
            continue
        is_holiday, english = chinese_calendar.get_holiday_detail(d)
        assert is_holiday and english is not None, (d, names)
        assert CHINESECALENDAR_NAMES[english] in names.split("、"), (d, names, english)


def test_mid_autumn_on_national_day_keeps_both_names() -> None:
    assert second_article_days(2020)[D(2020, 10, 1)] == "中秋节、国庆节"  # 中秋 2020 fell on 10-01


def test_qingming_agrees_with_chinesecalendars_solar_terms() -> None:
    """Two computations of the 清明 solar term (lunar_python, chinesecalendar) for every year the
    engine may meet without a notice."""
    for year in range(2025, 2100):
        ours = [d for d, name in second_article_days(year).items() if name == "清明节"]
        terms = chinese_calendar.get_solar_terms(D(year, 4, 1), D(year, 4, 10))
        assert ours == [d for d, term in terms if term == "清明"], year


@pytest.mark.parametrize(("year", "eve", "last_month_days"), [
    (2027, D(2027, 2, 5), 29),  # 丙午年腊月 is a short month: 除夕 is 腊月廿九
    (2030, D(2030, 2, 2), 30),  # 己酉年腊月 is a long month: 除夕 is 腊月三十; 正月初一 2030-02-03
])
def test_new_years_eve_is_the_last_day_of_the_twelfth_month(year: int, eve: date,
                                                              last_month_days: int) -> None:
    lunar = Solar.fromYmd(eve.year, eve.month, eve.day).getLunar()
    assert (lunar.getMonth(), lunar.getDay()) == (12, last_month_days)
    spring = [d for d, name in statutory_holidays(year).items() if name == "春节"]
    assert spring == [eve + timedelta(days=i) for i in range(4)]


def test_the_current_text_is_applied_only_from_2025() -> None:
    assert statutory_days_apply(2025) and statutory_days_apply(2027)
    assert not statutory_days_apply(2024)
    assert dict(statutory_holidays(2003)) == {}
    assert len(second_article_days(2003)) == 13  # computable, but not the law of 2003


# --- the calendar in a year without a notice ----------------------------------------------------


@pytest.mark.parametrize(("d", "name"), sorted(SECOND_ARTICLE_2027.items()))
def test_second_article_days_of_2027_are_provisional_rest_days(d: date, name: str) -> None:
    info = WorkCalendar().day_info(d)
    assert info.rest and not info.working
    assert info.provisional and info.flag == FLAG
    assert info.source == "statutory" and info.holiday_name == name
    assert info.description == f"{name}假期（依《全国年节及纪念日放假办法》第二条推定）"


def test_every_other_day_of_2027_is_plain_mon_to_fri() -> None:
    """No 补假 and no 调休 are invented: apart from the 13 days of 第二条, 2027 is Mon–Fri."""
    cal = WorkCalendar()
    for i in range(365):
        d = D(2027, 1, 1) + timedelta(days=i)
        info = cal.day_info(d)
        assert info.provisional and info.flag == FLAG, d
        assert not info.makeup, d
        if d not in SECOND_ARTICLE_2027:
            assert info.working is (d.weekday() < 5), d
            assert info.source == "fallback", d


@pytest.mark.parametrize("d", GUESSED_OBSERVED_2027)
def test_weekend_holidays_get_no_guessed_observed_day(d: date) -> None:
    info = WorkCalendar().day_info(d)
    assert info.working and info.description == "工作日" and info.provisional


def test_overrides_and_a_declared_year_still_win() -> None:
    cal = WorkCalendar({D(2027, 1, 1): DayOverride("workday", "测试"),
                        D(2027, 5, 3): DayOverride("holiday", "劳动节")})
    assert cal.is_working_day(D(2027, 1, 1)) and cal.day_info(D(2027, 1, 1)).source == "override"
    assert cal.is_rest_day(D(2027, 5, 3)) and not cal.day_info(D(2027, 5, 3)).provisional
    declared = WorkCalendar({D(2027, 2, 8): DayOverride("holiday", "春节")}, covered_years={2027})
    assert declared.is_rest_day(D(2027, 2, 8))
    # 除夕 2027-02-05 was not entered, but 第二条 fixes it: a notice adds days off, never removes one.
    spring_eve = declared.day_info(D(2027, 2, 5))
    assert spring_eve.rest and spring_eve.source == "statutory" and not spring_eve.provisional
    plain = declared.day_info(D(2027, 2, 10))  # a Wednesday the notice did not give off
    assert plain.working and plain.source == "administrator_year" and not plain.provisional


def test_years_known_to_chinesecalendar_are_unchanged() -> None:
    cal = WorkCalendar()
    assert cal.is_working_day(D(2024, 2, 9))  # 除夕 2024: a working day in the 2024 notice
    assert cal.is_rest_day(D(2026, 2, 23))  # 2026 春节 ran to 02-23, beyond 第二条's four days
    assert cal.is_working_day(D(2026, 2, 28))  # 2026 调休 Saturday
    for d in (D(2026, 1, 1), D(2026, 10, 3), D(2026, 4, 5)):
        info = cal.day_info(d)
        assert info.source == "chinesecalendar" and not info.provisional


def test_an_uncovered_year_before_2025_stays_mon_to_fri() -> None:
    info = WorkCalendar().day_info(D(2003, 1, 1))  # a Wednesday; the 1999 text governed then
    assert info.working and info.source == "fallback" and info.flag == "2003年节假日安排未录入"


# --- periods counted across such days ----------------------------------------------------------


def test_five_working_days_from_2026_12_31_skip_new_years_day() -> None:
    r = compute_due(sh("2026-12-31 09:00"), Period(5, WD))
    # 2027-01-01 (Fri) 元旦, 01-02/03 weekend; 01-04 (1) .. 01-08 (5)
    assert r.due_date == D(2027, 1, 8)
    assert r.provisional and r.flags == (FLAG,)
    t = text(r)
    assert "2027-01-01（周五）为元旦假期（依《全国年节及纪念日放假办法》第二条推定），非工作日" in t
    assert "补假（第六条）及调休上班日" in t and "国务院办公厅" in t and "caseflow holidays" in t
    assert "全国年节及纪念日放假办法 第二条" in r.articles


def test_five_working_days_over_the_2027_spring_festival() -> None:
    r = compute_due(sh("2027-02-03 09:00"), Period(5, WD))
    # 02-04 Thu (1); 02-05 .. 02-08 春节 (Fri–Mon); 02-09 (2), 02-10 (3), 02-11 (4), 02-12 (5)
    assert r.due_date == D(2027, 2, 12)
    assert "2027-02-05（周五）至2027-02-08（周一）为春节假期" in text(r)


def test_calendar_days_ending_on_national_day_roll_to_the_first_working_day_known() -> None:
    r = compute_due(sh("2027-09-16 09:00"), Period(15, DAY))  # last day 10-01 (Fri)
    # 10-01..03 are 第二条 days; 10-04 is counted as working (no 补假 invented), so provisional
    assert r.due_date == D(2027, 10, 4) and r.provisional
    assert "2027-10-01（周五）至2027-10-03（周日）为国庆节假期" in text(r)


def test_a_period_inside_a_known_year_does_not_cite_the_second_article() -> None:
    r = compute_due(sh("2026-09-30 09:00"), Period(7, WD))
    assert r.due_date == D(2026, 10, 15) and not r.provisional
    assert "全国年节及纪念日放假办法 第二条" not in r.articles


def test_the_cli_counts_2027_with_the_second_article(database_url: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from typer.testing import CliRunner

    from caseflow.cli.main import app
    from caseflow.config import get_settings

    monkeypatch.setenv("CASEFLOW_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        out = CliRunner().invoke(app, ["due", "2026-12-31", "5工作日", "--json"])
        assert out.exit_code == 0, out.output
        data = json.loads(out.output)
        assert data["due_date"] == "2027-01-08" and data["provisional"] is True
        assert data["flags"] == [FLAG] and "全国年节及纪念日放假办法 第二条" in data["articles"]
        plain = CliRunner().invoke(app, ["due", "2024-02-29", "1年"])
        assert plain.exit_code == 0 and "届满：2025年02月28日" in plain.output
        assert "暂定" not in plain.output
    finally:
        get_settings.cache_clear()
