"""Which days are working days (工作日) and which are 法定休假日, for counting legal periods.

Owns: `WorkCalendar`, `DayInfo`, `DayOverride`, `default_calendar()`.

Source choice (compared once, every day of 2026, against the 国务院办公厅 2026 notice in the
legal README): `chinesecalendar` 1.11 and `holidays` 0.109 (China) both match the notice on all
365 days. For 2027 (no notice yet) chinesecalendar raises NotImplementedError, while `holidays`
silently generates a 2027 with guessed "observed" 补假 days (2027: 02-09, 02-10, 05-03, 05-04,
10-04, 10-05) and no 调休 make-up working days. We use chinesecalendar for the years it knows,
because an unknown year must be flagged, never invented.

For a year chinesecalendar does not know, only what the law itself fixes is applied: the days off
of 《全国年节及纪念日放假办法》第二条, computed in `caseflow.legal_time.statutory_holidays` with
`lunar_python` (1.4.8 of 2025-11; MIT, pure Python, a public API for lunar dates and for solar
terms computed astronomically, no year limit; it agrees with `holidays`' lunar tables 1901–2099
except 1916, and with chinesecalendar's solar-term formula on 清明 1901–2099). Not chosen:
`holidays` (its lunar helpers are private per-year tables to 2099, 清明 a mod-4 approximation,
and its China calendar adds the guessed 补假 above), `lunardate` (GPL-3.0, tables to 2099, no
solar terms), `zhdate` (one release, 2019, no solar terms), `sxtwl` (a compiled extension, last
release 2024, offering nothing more here).

Rules implemented (legal README, "Counting time"): a working day is Mon–Fri not given off by the
annual notice, plus the notice's 调休 make-up weekend days (common practice, switchable with
`count_makeup_days`). Every other day is a 法定休假日 (weekends and holiday days off). Precedence:
administrator overrides, then chinesecalendar, then a year the administrator declared covered
(Mon–Fri plus overrides, and the 第二条 days, which no notice takes away). In any other year the 第二条 days (from 2025, when the current text came
into force) are days off with `source="statutory"`, every other day falls back to Mon–Fri
(`source="fallback"`), and all of them are marked provisional with the flag
"<year>年节假日安排未录入": 补假 (第六条) and 调休 are known only from the notice, so none is
counted. Nothing here raises for such a year.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

import chinese_calendar

from caseflow.legal_time.statutory_holidays import HOLIDAY_CITATION, statutory_holidays

__all__ = [
    "DayInfo",
    "DayOverride",
    "WorkCalendar",
    "default_calendar",
    "uncovered_year_flag",
    "weekday_name",
]

_WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

DaySource = Literal["chinesecalendar", "override", "administrator_year", "statutory", "fallback"]


def weekday_name(d: date) -> str:
    """Chinese weekday name, e.g. "周六"."""
    return _WEEKDAYS[d.weekday()]


def uncovered_year_flag(year: int) -> str:
    """The flag text for a year with no holiday data, e.g. "2027年节假日安排未录入"."""
    return f"{year}年节假日安排未录入"


def _holiday_description(name: str) -> str:
    if not name:
        return "节假日"
    return name if name.endswith("假期") else f"{name}假期"


def _statutory_description(name: str) -> str:
    """E.g. "春节假期（依《全国年节及纪念日放假办法》第二条推定）"."""
    return f"{_holiday_description(name)}（依{HOLIDAY_CITATION}推定）"


@dataclass(frozen=True)
class DayOverride:
    """An administrator's entry for one date: a working day (调休) or a holiday day off."""

    kind: Literal["workday", "holiday"]
    name: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ("workday", "holiday"):
            raise ValueError(f"DayOverride.kind must be 'workday' or 'holiday', got {self.kind!r}")


@dataclass(frozen=True)
class DayInfo:
    """What one date is, with a Chinese description ("国庆节假期", "周六", "工作日", …)."""

    day: date
    working: bool
    description: str
    holiday_name: str | None = None
    makeup: bool = False  # a 调休 make-up weekend day
    source: DaySource = "chinesecalendar"
    provisional: bool = False
    flag: str | None = None

    @property
    def rest(self) -> bool:
        """True for a 法定休假日 (weekend that is not a counted make-up day, or a holiday)."""
        return not self.working

    @property
    def label(self) -> str:
        """Date, weekday and description, e.g. "2026-10-10（周六）调休上班日（周六）"."""
        return f"{self.day.isoformat()}（{weekday_name(self.day)}）{self.description}"


class WorkCalendar:
    """Working days from chinesecalendar, administrator overrides and covered years, and for
    other years the 第二条 statutory days (provisional); see the module docstring."""

    def __init__(
        self,
        overrides: Mapping[date, DayOverride] | None = None,
        covered_years: Iterable[int] = (),
        *,
        count_makeup_days: bool = True,
    ) -> None:
        self._overrides: dict[date, DayOverride] = dict(overrides or {})
        self._extra_years: frozenset[int] = frozenset(covered_years)
        self.count_makeup_days = count_makeup_days

    @property
    def overrides(self) -> Mapping[date, DayOverride]:
        return dict(self._overrides)

    @property
    def extra_covered_years(self) -> frozenset[int]:
        return self._extra_years

    def covers(self, year: int) -> bool:
        """True if the holiday arrangement of `year` is known (library data or administrator)."""
        return year in self._extra_years or _library_covers(year)

    def is_working_day(self, d: date) -> bool:
        return self.day_info(d).working

    def is_rest_day(self, d: date) -> bool:
        """法定休假日: weekends that are not counted 调休 days, plus holiday days off."""
        return not self.day_info(d).working

    def day_info(self, d: date) -> DayInfo:
        override = self._overrides.get(d)
        if override is not None:
            return self._from_override(d, override)
        if _library_covers(d.year):
            return self._from_library(d)
        if d.year in self._extra_years:
            # A notice adds days off, it never takes one 第二条 fixes: a day the administrator did
            # not enter (a forgotten 除夕) is still off.
            name = statutory_holidays(d.year).get(d)
            if name is not None:
                return DayInfo(d, False, _holiday_description(name), name, source="statutory")
            return _mon_fri(d, "administrator_year")
        return _uncovered(d)

    def _makeup(self, d: date, name: str | None, source: DaySource) -> DayInfo:
        if self.count_makeup_days:
            desc = f"调休上班日（{weekday_name(d)}）"
        else:
            desc = f"{weekday_name(d)}（调休上班日，按设置不计为工作日）"
        return DayInfo(d, self.count_makeup_days, desc, name, makeup=True, source=source)

    def _from_override(self, d: date, o: DayOverride) -> DayInfo:
        name = o.name or None
        if o.kind == "holiday":
            return DayInfo(d, False, _holiday_description(o.name), name, source="override")
        if d.weekday() >= 5:
            return self._makeup(d, name, "override")
        return DayInfo(d, True, "工作日", name, source="override")

    def _from_library(self, d: date) -> DayInfo:
        is_holiday, english = chinese_calendar.get_holiday_detail(d)
        name = _chinese_name(english) if english else None
        weekend = d.weekday() >= 5
        if is_holiday:
            if name is not None:
                return DayInfo(d, False, _holiday_description(name), name)
            return DayInfo(d, False, weekday_name(d))
        if weekend:  # a weekend that is not a holiday is a 调休 make-up working day
            return self._makeup(d, name, "chinesecalendar")
        return DayInfo(d, True, "工作日")


def _mon_fri(d: date, source: DaySource, flag: str | None = None) -> DayInfo:
    weekend = d.weekday() >= 5
    description = weekday_name(d) if weekend else "工作日"
    return DayInfo(d, not weekend, description, source=source,
                   provisional=flag is not None, flag=flag)


def _uncovered(d: date) -> DayInfo:
    """A year with no notice: the 第二条 days are off, the rest Mon–Fri; all provisional."""
    flag = uncovered_year_flag(d.year)
    name = statutory_holidays(d.year).get(d)
    if name is None:
        return _mon_fri(d, "fallback", flag)
    return DayInfo(d, False, _statutory_description(name), name, source="statutory",
                   provisional=True, flag=flag)


@functools.cache
def _library_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
        chinese_calendar.is_workday(date(year, 12, 31))
    except (NotImplementedError, ValueError, OverflowError):
        return False
    return True


def _chinese_name(english: str) -> str:
    try:
        return str(chinese_calendar.Holiday(english).chinese)
    except ValueError:
        return english


@functools.cache
def default_calendar() -> WorkCalendar:
    """A shared calendar with no administrator overrides."""
    return WorkCalendar()
