"""The 期限计算器 against the 2026 notice (legal README), case by case, as a 法制审核 officer counts.

Expected dates were counted by hand on the notice's table, not by running the code.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from caseflow.cli.main import app
from caseflow.legal_time import WorkCalendar
from caseflow.workflow.calculator import calculate, parse_start

CAL = WorkCalendar()

TABLE = [
    # start, period, law, due (last day, or moment for hours), what it shows
    ("2026-09-30", "7工作日", None, "2026-10-15", "7 working days from the last working day before 国庆: "
     "10-01..07 off, 10-10 (Sat) 调休 counts"),
    ("2026-02-12", "5工作日", None, "2026-02-26", "over 春节: 02-14 (Sat) 调休 counts, 02-15..23 off"),
    ("2026-02-05", "15日", None, "2026-02-24", "15 calendar days ending inside 春节 roll to the first day after it"),
    ("2026-05-31", "1月", None, "2026-06-30", "a month from the 31st ends on the 30th of a 30-day month"),
    ("2026-03-31", "6月", None, "2026-09-30", "six months: the same-numbered day does not exist, month end"),
    ("2026-09-24", "十日", "行政强制法", "2026-10-15", "行政强制法: 十日 are working days (中秋, 国庆, 10-10 调休)"),
    ("2026-09-24", "十日", None, "2026-10-08", "plain 10 calendar days end on 10-04 inside 国庆: roll to 10-08"),
    ("2026-09-30 23:30", "24小时", None, "2026-10-02 00:00", "24 hours from 23:30 on the eve of 国庆: the "
     "start hour is not counted, nights and holidays are"),
    ("2026-07-07 09:00", "decision_service", None, "2026-07-16", "rule decision_service: 七日送达 in 工作日"),
]


@pytest.mark.parametrize(("start", "period", "law", "due", "why"), TABLE, ids=[t[4][:40] for t in TABLE])
def test_due(start: str, period: str, law: str | None, due: str, why: str) -> None:
    calc = calculate(parse_start(start), period, calendar=CAL, law=law)
    r = calc.result
    shown = r.due_date.isoformat() if r.due_date else r.due_at.astimezone(parse_start(start).tzinfo).strftime("%Y-%m-%d %H:%M")
    assert shown == due, "\n".join(calc.as_dict()["reasoning"])  # type: ignore[arg-type]
    assert not r.provisional


def test_the_cli_answers_with_the_reasoning_and_flags_2027(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEFLOW_DATABASE_URL", database_url)
    from caseflow.config import get_settings

    get_settings.cache_clear()
    try:
        out = CliRunner().invoke(app, ["due", "2026-12-28", "7工作日", "--json"])
        assert out.exit_code == 0, out.output
        data = json.loads(out.output)
        assert data["provisional"] is True and data["flags"] == ["2027年节假日安排未录入"]
        assert any("2027年节假日安排未录入" in line for line in data["reasoning"])
        bad = CliRunner().invoke(app, ["due", "2026-12-28", "七周"])
        assert bad.exit_code == 2 and "无法识别期间" in bad.output
    finally:
        get_settings.cache_clear()
