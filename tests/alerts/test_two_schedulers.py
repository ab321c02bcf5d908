"""Two scheduler processes sweeping one database at once never raise the same alert twice."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta

from sqlalchemy import Engine, func, insert, select

from caseflow.alerts.models import Alert, AlertRecipient
from caseflow.cases import service as case_service
from caseflow.db.session import unit_of_work
from caseflow.deadlines.models import Deadline, DeadlineStatus
from tests.helpers import Org, open_case, sh

N = 400


def _overdue_limits(engine: Engine, org: Org, n: int) -> None:
    no = open_case(engine, org)
    with unit_of_work(engine) as s:
        case_id = case_service.get_case(db_session=s, case_no=no).id
        due = sh("2026-07-10 00:00")
        s.execute(insert(Deadline), [
            {"case_id": case_id, "agency_id": org.agency_id, "rule_code": "decision_service", "name": "处罚决定书送达期限（七日送达）",
             "basis": "《行政处罚法》第六十一条", "started_at": due - timedelta(days=9),
             "due_at": due + timedelta(minutes=i), "due_date": None, "remind_at": due - timedelta(days=1),
             "next_alert_at": due - timedelta(days=1),
             "provisional": False, "reasoning": [], "status": DeadlineStatus.open}
            for i in range(n)
        ])


def test_two_processes_one_alert_each(engine: Engine, org: Org, database_url: str) -> None:
    _overdue_limits(engine, org, N)
    with unit_of_work(engine, write=False) as s:  # N, plus the case's own 线索核查 limit, long past
        due = s.scalar(select(func.count()).select_from(Deadline).where(Deadline.next_alert_at.is_not(None)))
    assert due == N + 1
    env = {**os.environ, "CASEFLOW_DATABASE_URL": database_url}
    cmd = [sys.executable, "-m", "caseflow.cli.main", "scheduler", "--once", "--batch", "25"]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=240) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    raised = [int(re.search(r"overdue=(\d+)", out).group(1)) for out, _ in outs]  # type: ignore[union-attr]
    assert sum(raised) == due  # every limit alerted exactly once between the two
    with unit_of_work(engine, write=False) as s:
        assert s.scalar(select(func.count()).select_from(Alert)) == due
        assert s.scalar(select(func.count(func.distinct(Alert.deadline_id)))) == due
        # Recipients were written once per alert, not twice.
        per_alert = s.execute(
            select(AlertRecipient.alert_id, func.count()).group_by(AlertRecipient.alert_id)
        ).all()
        assert len(per_alert) == due
