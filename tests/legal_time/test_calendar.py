"""WorkCalendar against the 2026 国务院办公厅 notice (legal README) and the uncovered-year rule."""

from datetime import date, timedelta

import pytest

from caseflow.legal_time import DayOverride, WorkCalendar, default_calendar

D = date
DAYS_OFF = [
    ("元旦", D(2026, 1, 1), D(2026, 1, 3)),
    ("春节", D(2026, 2, 15), D(2026, 2, 23)),
    ("清明", D(2026, 4, 4), D(2026, 4, 6)),
    ("劳动节", D(2026, 5, 1), D(2026, 5, 5)),
    ("端午", D(2026, 6, 19), D(2026, 6, 21)),
    ("中秋", D(2026, 9, 25), D(2026, 9, 27)),
    ("国庆节", D(2026, 10, 1), D(2026, 10, 7)),
]
MAKEUP = {
    D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)
}


def _off() -> dict[date, str]:
    out = {}
    for name, a, b in DAYS_OFF:
        for i in range((b - a).days + 1):
            out[a + timedelta(days=i)] = name
    return out


def test_every_day_of_2026_matches_the_notice() -> None:
    cal, off = WorkCalendar(), _off()
    for i in range(365):
        d = D(2026, 1, 1) + timedelta(days=i)
        expected = d in MAKEUP or (d not in off and d.weekday() < 5)
        info = cal.day_info(d)
        assert info.working is expected, d
        assert cal.is_rest_day(d) is not expected, d
        assert not info.provisional and info.flag is None
        if d in off:
            assert info.description == f"{off[d]}假期", d


@pytest.mark.parametrize(
    ("d", "text", "working"),
    [
        (D(2026, 10, 3), "国庆节假期", False),
        (D(2026, 10, 10), "调休上班日（周六）", True),
        (D(2026, 9, 20), "调休上班日（周日）", True),
        (D(2026, 3, 7), "周六", False),
        (D(2026, 3, 8), "周日", False),
        (D(2026, 3, 9), "工作日", True),
        (D(2026, 2, 16), "春节假期", False),
    ],
)
def test_day_descriptions(d: date, text: str, working: bool) -> None:
    info = default_calendar().day_info(d)
    assert (info.description, info.working) == (text, working)


def test_covers() -> None:
    cal = WorkCalendar()
    assert cal.covers(2026) and cal.covers(2004)
    assert not cal.covers(2027) and not cal.covers(2003)
    assert WorkCalendar(covered_years={2027}).covers(2027)


def test_uncovered_year_falls_back_to_mon_fri_and_is_flagged() -> None:
    cal = WorkCalendar()
    fri, sat = cal.day_info(D(2027, 1, 8)), cal.day_info(D(2027, 1, 9))
    assert fri.working and not sat.working
    assert fri.provisional and sat.provisional
    assert fri.flag == "2027年节假日安排未录入"
    assert (fri.source, sat.source) == ("fallback", "fallback")
    # 元旦 is fixed by 放假办法 第二条 whatever the notice says (see test_statutory_holidays.py)
    assert cal.is_rest_day(D(2027, 1, 1)) and cal.day_info(D(2027, 1, 1)).provisional
    assert cal.day_info(D(1999, 5, 3)).flag == "1999年节假日安排未录入"


def test_administrator_year_and_overrides() -> None:
    overrides = {
        D(2027, 1, 1): DayOverride("holiday", "元旦"),
        D(2027, 1, 9): DayOverride("workday", "元旦"),
        D(2026, 10, 8): DayOverride("holiday", "防汛停工"),
        D(2026, 10, 10): DayOverride("holiday", ""),
    }
    cal = WorkCalendar(overrides, covered_years={2027})
    assert cal.day_info(D(2027, 1, 1)).description == "元旦假期"
    assert not cal.is_working_day(D(2027, 1, 1))
    assert cal.day_info(D(2027, 1, 9)).description == "调休上班日（周六）"
    assert cal.is_working_day(D(2027, 1, 9))
    assert not cal.day_info(D(2027, 1, 11)).provisional  # covered by the administrator
    assert cal.day_info(D(2026, 10, 8)).description == "防汛停工假期"
    assert cal.is_rest_day(D(2026, 10, 10))
    assert default_calendar().is_working_day(D(2026, 10, 10))  # the default is untouched


def test_makeup_days_can_be_switched_off() -> None:
    cal = WorkCalendar(count_makeup_days=False)
    assert cal.is_rest_day(D(2026, 10, 10))
    assert cal.day_info(D(2026, 10, 10)).makeup


def test_bad_override_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        DayOverride("vacation", "x")  # type: ignore[arg-type]
