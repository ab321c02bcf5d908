"""Computing when a legal period (期间) ends: `Period`, `compute_due`, `DueResult`.

Owns the counting rules of the legal README ("Counting time"):

* 民事诉讼法 第八十五条: the start day / hour is not counted — a period in days starts the next
  day, a period in hours at the next full hour (a start at exactly 10:00 is still inside the
  10 o'clock hour, so counting begins at 11:00). If the last day of a period in days, months or
  years is a 法定休假日, the period ends on the first day after it. We read 法定休假日 as every
  day the `WorkCalendar` marks as rest (weekends that are not 调休 make-up days, and holiday days
  off), so "the first day after it" is the first working day after the run of rest days. Time in
  transit (a document posted before the deadline is on time) is not handled here.
* 民法典 第二百零二条: a month period ends on the same-numbered day of the target month, or on its
  last day if it has none; a year period ends on the same month and day of the target year, or on
  the last day of that month if there is none (2月29日 → 2月28日); then the same roll-forward
  applies.
* Working-day periods count only working days (`PeriodUnit.WORKING_DAY`). Which statutory periods
  are working days is decided by `caseflow.legal_time.rules.statutory_unit`:
  行政处罚法 第八十五条 (only 二日、三日、五日、七日), 行政强制法 第六十九条 (十日以内),
  行政复议法 第八十八条 (三日、五日、七日、十日); every other day count is calendar days.
* Hours are hours (行政强制法 第十九条 "二十四小时内"): they run through nights and holidays.
* A year without a holiday notice (flagged by the `WorkCalendar`): the reasoning says what was
  counted — from 2025 the days off of 《全国年节及纪念日放假办法》第二条, otherwise Mon–Fri only —
  and that 补假/调休 wait for the notice; the result is provisional and cites 第二条 when applied.

Days are taken in Asia/Shanghai. `DueResult.due_at` is an exclusive bound in UTC: for periods in
days, months or years, 00:00 (Asia/Shanghai) of the day after the due day; for hours, the exact
moment.
"""

from __future__ import annotations

import calendar as _stdcal
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from enum import StrEnum

from caseflow.legal_time.calendar import DayInfo, WorkCalendar, default_calendar, weekday_name
from caseflow.legal_time.statutory_holidays import (
    HOLIDAY_ARTICLE,
    HOLIDAY_CITATION,
    HOLIDAY_NAMES,
    statutory_days_apply,
)

__all__ = [
    "CIVIL_PROCEDURE_85",
    "CIVIL_CODE_202",
    "DueResult",
    "Period",
    "PeriodUnit",
    "SHANGHAI",
    "compute_due",
    "is_overdue",
    "remaining",
]

CIVIL_PROCEDURE_85 = "民事诉讼法 第八十五条"
CIVIL_CODE_202 = "民法典 第二百零二条"
_MAX_SCAN_DAYS = 3660  # guard against a calendar configured with no working days at all


def _shanghai() -> tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Asia/Shanghai")
    except Exception:  # no tz database: China has had no DST since 1991, +08:00 is exact
        return timezone(timedelta(hours=8), "Asia/Shanghai")


SHANGHAI: tzinfo = _shanghai()


class PeriodUnit(StrEnum):
    WORKING_DAY = "working_day"
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    HOUR = "hour"

    @property
    def chinese(self) -> str:
        return {"working_day": "个工作日", "day": "日", "month": "个月", "year": "年",
                "hour": "小时"}[self.value]


@dataclass(frozen=True)
class Period:
    length: int
    unit: PeriodUnit

    def __post_init__(self) -> None:
        if isinstance(self.length, bool) or not isinstance(self.length, int) or self.length < 1:
            raise ValueError(f"期间长度必须为正整数，收到 {self.length!r}")
        object.__setattr__(self, "unit", PeriodUnit(self.unit))

    def __str__(self) -> str:
        return f"{self.length}{self.unit.chinese}"


@dataclass(frozen=True)
class DueResult:
    due_date: date | None
    due_at: datetime
    provisional: bool
    flags: tuple[str, ...]
    reasoning: tuple[str, ...]
    articles: tuple[str, ...]
    period: Period | None = field(default=None, compare=False)


class _Trace:
    """Collects reasoning lines and uncovered-year flags while counting."""

    def __init__(self, cal: WorkCalendar) -> None:
        self.cal = cal
        self.lines: list[str] = []
        self.flags: list[str] = []
        self.articles: list[str] = []

    def info(self, d: date) -> DayInfo:
        info = self.cal.day_info(d)
        if info.flag and info.flag not in self.flags:
            self.flags.append(info.flag)
            self.lines.append(_uncovered_year_note(info.flag, d.year))
            if statutory_days_apply(d.year) and HOLIDAY_ARTICLE not in self.articles:
                self.articles.append(HOLIDAY_ARTICLE)
        return info

    def skipped(self, run: list[DayInfo], why: str) -> None:
        if not run:
            return
        first, last = run[0], run[-1]
        span = _d(first.day) if first.day == last.day else f"{_d(first.day)}至{_d(last.day)}"
        self.lines.append(f"{span}为{_group(first)}，{why}")
        run.clear()


def _uncovered_year_note(flag: str, year: int) -> str:
    """What was counted for a year without a notice, and why the result is provisional."""
    if not statutory_days_apply(year):
        return (f"{flag}：{year}年暂按周一至周五为工作日、周六周日为休息日计算，"
                "结果为临时结果，录入当年放假通知后应重新计算")
    return (
        f"{flag}：已依{HOLIDAY_CITATION}将{year}年全体公民放假的节日"
        f"（{'、'.join(HOLIDAY_NAMES)}）计为法定休假日，其余日期暂按周一至周五为工作日、周六周日为休息日；"
        "节日适逢周六、周日在工作日的补假（第六条）及调休上班日，须待国务院办公厅发布当年放假通知"
        "（以 caseflow holidays 录入）后才能确定，均未计入，本结果为临时结果，录入后应重新计算"
    )


def _group(info: DayInfo) -> str:
    """Consecutive skipped days are reported together: a holiday by name, weekends as 周末."""
    return "周末" if info.description in ("周六", "周日") else info.description


def _d(d: date) -> str:
    return f"{d.isoformat()}（{weekday_name(d)}）"


def _end_of_day(d: date) -> datetime:
    end = datetime.combine(d + timedelta(days=1), time(0), tzinfo=SHANGHAI)
    return end.astimezone(UTC)


def _add_months(d: date, months: int) -> date:
    total = d.year * 12 + (d.month - 1) + months
    year, month = divmod(total, 12)
    last = _stdcal.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(d.day, last))


def _count_working_days(start: date, n: int, t: _Trace) -> date:
    d, counted = start, 0
    run: list[DayInfo] = []
    for _ in range(_MAX_SCAN_DAYS + n):
        d += timedelta(days=1)
        info = t.info(d)
        if run and (info.working or _group(info) != _group(run[0])):
            t.skipped(run, "非工作日，不计入期间")
        if not info.working:
            run.append(info)
            continue
        counted += 1
        if info.makeup:
            what = f"{info.holiday_name}调休上班日" if info.holiday_name else "调休上班日"
            t.lines.append(f"{_d(d)}为{what}，计为第{counted}个工作日")
        if counted == n:
            t.lines.append(f"第{n}个工作日为{_d(d)}，期间于该日24时届满")
            return d
    raise ValueError("工作日历中找不到足够的工作日，请检查管理员录入的节假日")


def _roll_forward(last: date, t: _Trace) -> date:
    info = t.info(last)
    if info.working:
        t.lines.append(f"期间最后一日{_d(last)}为{info.description}，不是法定休假日，无需顺延")
        return last
    run, d = [info], last
    for _ in range(_MAX_SCAN_DAYS):
        d += timedelta(days=1)
        nxt = t.info(d)
        if nxt.working:
            t.skipped(run, "属法定休假日")
            t.lines.append(
                f"期间最后一日{_d(last)}为法定休假日，依{CIVIL_PROCEDURE_85}"
                f"（期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期），"
                f"顺延至法定休假日后的第一个工作日{_d(d)}"
            )
            return d
        if _group(nxt) != _group(run[0]):
            t.skipped(run, "属法定休假日")
        run.append(nxt)
    raise ValueError("工作日历中找不到工作日，请检查管理员录入的节假日")


def compute_due(
    start: datetime,
    period: Period,
    *,
    calendar: WorkCalendar | None = None,
    articles: Sequence[str] = (),
) -> DueResult:
    """When `period` started at `start` (timezone-aware) ends; see the module docstring."""
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("start 必须带时区（例如 +08:00），不接受无时区的时间")
    t = _Trace(calendar or default_calendar())
    local = start.astimezone(SHANGHAI)
    applied = list(dict.fromkeys([*articles, CIVIL_PROCEDURE_85]))

    if period.unit is PeriodUnit.HOUR:
        begin = local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        due_at = begin + timedelta(hours=period.length)
        t.lines.append(
            f"期间开始的时不计算在期间内（{CIVIL_PROCEDURE_85}）：{local:%Y-%m-%d %H:%M}开始，"
            f"自{begin:%Y-%m-%d %H:%M}起算"
        )
        t.lines.append(
            "按小时计算的期间连续计算，夜间和节假日不中断"
            "（参见行政强制法 第十九条“二十四小时内”），"
            f"{period}届满于{due_at:%Y-%m-%d %H:%M}（北京时间）"
        )
        return _result(None, due_at.astimezone(UTC), t, applied, period)

    day0 = local.date()
    t.lines.append(
        f"起算日{_d(day0)}不计入期间（{CIVIL_PROCEDURE_85}：期间开始的日不计算在期间内），"
        f"自次日{_d(day0 + timedelta(days=1))}起算{period}"
    )
    if period.unit is PeriodUnit.WORKING_DAY:
        makeup = "调休上班日计入" if t.cal.count_makeup_days else "调休上班日按设置不计入"
        t.lines.append(f"按工作日计算：周六、周日及法定节假日不计入，{makeup}")
        due = _count_working_days(day0, period.length, t)
    else:
        if period.unit in (PeriodUnit.MONTH, PeriodUnit.YEAR):
            applied.append(CIVIL_CODE_202)
        due = _roll_forward(_last_day(day0, period, t), t)
    return _result(due, _end_of_day(due), t, applied, period)


def _last_day(day0: date, period: Period, t: _Trace) -> date:
    """The last day of a period in days, months or years, before any roll-forward."""
    if period.unit is PeriodUnit.MONTH:
        last = _add_months(day0, period.length)
        t.lines.append(
            f"按月计算，到期月的对应日为最后一日，没有对应日的以月末日为最后一日"
            f"（{CIVIL_CODE_202}）：最后一日为{_d(last)}"
        )
    elif period.unit is PeriodUnit.YEAR:
        last = _add_months(day0, 12 * period.length)  # same month and day, or that month's end
        t.lines.append(
            f"按年计算，到期年的同月对应日为最后一日，没有对应日的以该月末日为最后一日"
            f"（{CIVIL_CODE_202}）：最后一日为{_d(last)}"
        )
    else:
        last = day0 + timedelta(days=period.length)
        t.lines.append(f"按自然日连续计算，期间内的节假日计入：最后一日为{_d(last)}")
    return last


def _result(
    due: date | None, due_at: datetime, t: _Trace, applied: list[str], period: Period
) -> DueResult:
    arts = tuple(dict.fromkeys([*applied, *t.articles]))
    t.lines.append("适用条文：" + "、".join(arts))
    return DueResult(
        due_date=due,
        due_at=due_at,
        provisional=bool(t.flags),
        flags=tuple(t.flags),
        reasoning=tuple(t.lines),
        articles=arts,
        period=period,
    )


def _aware(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now 必须带时区，不接受无时区的时间")
    return now


def is_overdue(result: DueResult, now: datetime) -> bool:
    """True once `now` has reached the exclusive bound `result.due_at`."""
    return _aware(now) >= result.due_at


def remaining(result: DueResult, now: datetime) -> timedelta:
    """Time left until `result.due_at`; negative once overdue."""
    return result.due_at - _aware(now)
