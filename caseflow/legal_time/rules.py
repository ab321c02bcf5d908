"""Which statutory day counts are 工作日 and which are calendar days: `statutory_unit`.

Owns the three statutory definitions quoted in the legal README ("Counting time"):

* 行政处罚法 第八十五条: only "二日""三日""五日""七日" are 工作日; every other day count in the
  law (15日, 90日, …) is calendar days.
* 行政强制法 第六十九条: every period of 十日以内 is 工作日 (ten included: the README lists the
  10-day 催告 period of 第五十四条 as 工作日); longer periods (30日) are calendar days.
* 行政复议法 第八十八条: "三日""五日""七日""十日" are 工作日; others are calendar days.

Any other law (民事诉讼法, 行政诉讼法, …) is counted in calendar days; no article is returned.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from caseflow.legal_time.periods import PeriodUnit

__all__ = ["StatutoryUnit", "statutory_rule", "statutory_unit"]

@dataclass(frozen=True)
class StatutoryUnit:
    unit: PeriodUnit
    article: str | None  # the article that decides the unit, e.g. "行政处罚法 第八十五条"
    reason: str  # one Chinese line for the reasoning


@dataclass(frozen=True)
class _WorkingDayLaw:
    article: str
    is_working: Callable[[int], bool]
    working_text: str  # why a count is 工作日 ({n}: the count)
    calendar_text: str  # why it is not


# The laws that make some day counts 工作日 (legal README, "Counting time").
_LAWS = {
    "行政处罚法": _WorkingDayLaw("行政处罚法 第八十五条", lambda n: n in (2, 3, 5, 7),
                            "依{art}，{n}日指工作日", "{art}仅规定二日、三日、五日、七日为工作日，{n}日按自然日计算"),
    "行政强制法": _WorkingDayLaw("行政强制法 第六十九条", lambda n: n <= 10,
                            "依{art}，十日以内期限指工作日", "{n}日超过{art}规定的十日，按自然日计算"),
    "行政复议法": _WorkingDayLaw("行政复议法 第八十八条", lambda n: n in (3, 5, 7, 10),
                            "依{art}，{n}日指工作日", "{art}仅规定三日、五日、七日、十日为工作日，{n}日按自然日计算"),
}


def _normalize(law: str) -> str:
    name = law.strip().strip("《》").strip()
    return name.removeprefix("中华人民共和国")


def statutory_rule(law: str, length: int) -> StatutoryUnit:
    """The unit of a day count of `length` written in `law`, with the article deciding it."""
    if isinstance(length, bool) or not isinstance(length, int) or length < 1:
        raise ValueError(f"期间长度必须为正整数，收到 {length!r}")
    name = _normalize(law)
    rule = _LAWS.get(name)
    if rule is None:
        return StatutoryUnit(PeriodUnit.DAY, None, f"{name or law}中的{length}日不属于工作日的法定情形，按自然日计算")
    if rule.is_working(length):
        return StatutoryUnit(PeriodUnit.WORKING_DAY, rule.article,
                             rule.working_text.format(art=rule.article, n=length))
    return StatutoryUnit(PeriodUnit.DAY, rule.article, rule.calendar_text.format(art=rule.article, n=length))


def statutory_unit(law: str, length: int) -> PeriodUnit:
    """工作日 or calendar day for a day count of `length` in `law` (see `statutory_rule`)."""
    return statutory_rule(law, length).unit
