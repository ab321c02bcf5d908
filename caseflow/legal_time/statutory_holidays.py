"""The days off that 《全国年节及纪念日放假办法》第二条 fixes, computed for any year.

Owns: `statutory_holidays(year)`, `second_article_days(year)`, `statutory_days_apply(year)`,
`HOLIDAY_ARTICLE` / `HOLIDAY_CITATION` (how the article is cited) and `HOLIDAY_NAMES`.

第二条 (as revised by 国务院令第795号 of 2024-11-10, in force since 2025-01-01) gives every citizen
these days off, whatever the annual 国务院办公厅 notice adds:

* 元旦 1月1日; 劳动节 5月1日、2日; 国庆节 10月1日至3日 — fixed solar dates;
* 春节 农历除夕、正月初一至初三 — 除夕 is the last day of the twelfth lunar month (the 29th or the
  30th), i.e. always the day before 正月初一;
* 清明节 农历清明当日 — the day of the 清明 solar term (Beijing time);
* 端午节 农历五月初五; 中秋节 农历八月十五.

The lunar dates and the solar term are computed by `lunar_python` (no year tables here). Only these
days are certain. 第六条补假 (a holiday on a weekend is made up on a working day — which one, only
the notice says) and 第七条调休 (weekend make-up working days) are set by each year's notice, so
nothing here guesses them.

Earlier texts fixed other days (2014–2024: 春节 正月初一至初三 without 除夕, 劳动节 one day; the 2024
除夕 2月9日 was a working day), so the current 第二条 is applied only from 2025
(`statutory_days_apply`); `second_article_days` computes it for any year, for cross-checks.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date, timedelta
from types import MappingProxyType

from lunar_python import Lunar, Solar

__all__ = [
    "HOLIDAY_ARTICLE",
    "HOLIDAY_CITATION",
    "HOLIDAY_NAMES",
    "IN_FORCE_FROM_YEAR",
    "second_article_days",
    "statutory_days_apply",
    "statutory_holidays",
]

_LAW = "全国年节及纪念日放假办法"
HOLIDAY_ARTICLE = f"{_LAW} 第二条"  # as in DueResult.articles
HOLIDAY_CITATION = f"《{_LAW}》第二条"  # in Chinese prose
HOLIDAY_NAMES = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
IN_FORCE_FROM_YEAR = 2025  # 国务院令第795号: 自2025年1月1日起施行


def statutory_days_apply(year: int) -> bool:
    """True if the current text of 第二条 governs `year` (from 2025 on)."""
    return year >= IN_FORCE_FROM_YEAR


def statutory_holidays(year: int) -> Mapping[date, str]:
    """The 第二条 days off of `year` (date → festival name); empty before 2025."""
    if not statutory_days_apply(year):
        return MappingProxyType({})
    return second_article_days(year)


@functools.cache
def second_article_days(year: int) -> Mapping[date, str]:
    """The days the current 第二条 fixes in `year`, whether or not it was in force then."""
    days: dict[date, str] = {}
    new_year = _lunar_to_solar(year, 1, 1)
    _add(days, "元旦", [date(year, 1, 1)])
    _add(days, "春节", [new_year + timedelta(days=i) for i in range(-1, 3)])  # 除夕 … 初三
    _add(days, "清明节", [_qingming(year)])
    _add(days, "劳动节", [date(year, 5, 1), date(year, 5, 2)])
    _add(days, "端午节", [_lunar_to_solar(year, 5, 5)])
    _add(days, "中秋节", [_lunar_to_solar(year, 8, 15)])
    _add(days, "国庆节", [date(year, 10, i) for i in (1, 2, 3)])
    return MappingProxyType(dict(sorted(days.items())))


def _add(days: dict[date, str], name: str, when: list[date]) -> None:
    """A day that is two festivals at once (中秋 on 10月1日) keeps both names, in the article's
    order: "中秋节、国庆节"."""
    for d in when:
        days[d] = f"{days[d]}、{name}" if d in days else name


def _as_date(s: Solar) -> date:
    return date(s.getYear(), s.getMonth(), s.getDay())


def _lunar_to_solar(lunar_year: int, month: int, day: int) -> date:
    """The Gregorian date of a day of the (non-leap) lunar month `month` of `lunar_year`."""
    return _as_date(Lunar.fromYmd(lunar_year, month, day).getSolar())


def _qingming(year: int) -> date:
    """The day of the 清明 solar term in `year` (it falls on 4月4日–6日)."""
    return _as_date(Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()["清明"])
