"""The README's main command: the demo seeds its agency and cases on an empty database."""

from __future__ import annotations

from caseflow.demo import runner


def test_demo_seeds_seven_cases_with_their_timelines(engine):
    numbers = runner.seed(engine)
    assert len(numbers) == 7
    rows = runner.timelines(engine)
    states = {no: summary.rsplit(" — ", 1)[1] for no, summary, _ in rows}
    assert states[numbers[0]] == "归档"
    assert states[numbers[1]] == "结案"
    assert states[numbers[2]] == "法制审核"
    assert "当场实施" in states[numbers[5]]
    assert states[numbers[6]] == "执行"  # the time-barred case: its 行政处理决定书 served
    assert len(rows) == 8  # and the penalty case the sealing case was transferred into
    assert runner.demo_exists(engine)
