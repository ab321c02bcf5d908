"""The 期限计算器: one function behind `caseflow due`, the web calculator and `/api/legal-time/due`.

A period is given as text ("7工作日", "15日", "24小时", "6月", "2年") or as the code of a rule in
workflows/rules/<set>/deadlines.yaml ("decision_service"); with a law named, a count in 日 takes the unit that
law gives it (e.g. 行政强制法: 十日以内 are 工作日).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from caseflow.errors import InvalidInput
from caseflow.legal_time.calendar import WorkCalendar
from caseflow.legal_time.period_text import parse_period
from caseflow.legal_time.periods import SHANGHAI, DueResult, Period, PeriodUnit, compute_due
from caseflow.legal_time.rules import statutory_rule
from caseflow.workflow.input_values import Bad, to_datetime
from caseflow.workflow.registry import WorkflowLibrary, get_library


@dataclass(frozen=True)
class Calculation:
    start: datetime
    period: Period
    rule_name: str | None
    result: DueResult
    notes: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        r = self.result
        return {
            "start": self.start.isoformat(), "period": str(self.period), "rule": self.rule_name,
            "due_date": r.due_date.isoformat() if r.due_date else None,
            "due_at": r.due_at.isoformat(), "due_at_local": r.due_at.astimezone(SHANGHAI).isoformat(),
            "provisional": r.provisional, "flags": list(r.flags), "articles": list(r.articles),
            "reasoning": [*self.notes, *r.reasoning],
        }


MAX_LENGTH = 10000  # a period longer than this (in its unit) is a typing error, not a statute's


def parse_start(text: str) -> datetime:
    """"2026-09-30", "2026-09-30 23:30", 2026年9月30日 or ISO with offset; without one, 北京时间."""
    try:
        return to_datetime(text)
    except Bad:
        raise InvalidInput(f"无法识别起算时间「{text[:40]}」：请写成 2026-09-30 或 2026-09-30 23:30。",
                           code="START_INVALID", details={"start": "日期格式应为 YYYY-MM-DD [HH:MM]"}) from None


def calculate(start: datetime, period_text: str, *, calendar: WorkCalendar, law: str | None = None,
              library: WorkflowLibrary | None = None) -> Calculation:
    library = library or get_library()
    notes: list[str] = []
    rule = library.deadlines.get(period_text.strip())
    articles: tuple[str, ...] = ()
    if rule is not None:
        period, articles = Period(rule.length, rule.unit), (rule.basis,)
        notes.append(f"期限规则「{rule.name}」：{period}，自{rule.start}起算（{rule.basis}）")
    else:
        period = parse_period(period_text)
        if law and period.unit is PeriodUnit.DAY:
            decided = statutory_rule(law, period.length)
            notes.append(decided.reason)
            period = Period(period.length, decided.unit)
            articles = (decided.article,) if decided.article else ()
    if period.length > MAX_LENGTH:
        raise InvalidInput(f"期限「{period}」过长，请检查。", details={"period": f"不超过{MAX_LENGTH}"})
    try:
        due = compute_due(start, period, calendar=calendar, articles=articles)
    except (OverflowError, ValueError):  # past the year 9999
        raise InvalidInput("起算时间加上期限超出可计算的范围。", details={"start": "超出范围"}) from None
    return Calculation(start, period, rule.name if rule else None, due, tuple(notes))
