"""Whose limit a deadline is, and how its state reads to people.

`workflows/rules/<set>/deadlines.yaml` gives every rule a `holder`: the agency's own limits are missed when they
run out (逾期: reminders, overdue alerts, the 监督看板); the party's windows (陈述申辩, 听证申请, 履行,
催告, 复议, 诉讼) simply close (届满) and open the next step — nobody is late, nobody is alerted.
Every view (case page, `case show`, the API) reads the state through here, so the two never mix.
"""

from __future__ import annotations

from datetime import datetime

from caseflow.deadlines.models import Deadline, DeadlineStatus
from caseflow.workflow.definition import AGENCY, HOLDER_LABELS, PARTY
from caseflow.workflow.registry import get_library


def holder_of(rule_code: str) -> str:
    rule = get_library().deadlines.get(rule_code)
    return rule.holder if rule is not None else AGENCY


def is_party_window(rule_code: str) -> bool:
    return holder_of(rule_code) == PARTY


def holder_label(rule_code: str) -> str:
    return HOLDER_LABELS[holder_of(rule_code)]


def status_label(d: Deadline, now: datetime) -> str:
    """进行中 / 已逾期 (the agency's, run out) / 已届满 (the party's, run out) / 已履行 / 已结束 …"""
    party = is_party_window(d.rule_code)
    if d.status is DeadlineStatus.open:
        if now < d.due_at:
            return "进行中"
        return "已届满" if party else "已逾期"
    if d.status is DeadlineStatus.met and party:
        return "已结束"
    return d.status.label
