"""Times a person types with a step, and when a served document counts as served.

Two rules, from the statutes (../shared/legal):

* A typed time records an act that happened: it cannot lie before the event the act depends on —
  the moment the case entered the state that made the act possible (the 告知书 approved, the
  decision made) — nor after now (plus `CLOCK_TOLERANCE` for clocks that differ a little). A
  service entered later (补录) keeps the act's time in its payload and the entry's time as the
  event's; both are in the audit trail.
* The method of service decides when the document counts as served, and so when every period that
  runs from service starts (陈述申辩, 听证申请, 履行, 复议, 诉讼, 催告):
  - 《民事诉讼法》第九十一条: 邮寄送达 — the date the party signed for it on the 回执 (`signed_at`);
  - 第九十五条: 公告送达 — 自发出公告之日起，经过三十日，即视为送达 (`published_at`);
  - otherwise the time the document was handed over (`served_at`).
* 第八十五条: 期间不包括在途时间 — a party's filing posted before its period ends is on time: the
  postmark date (`postmarked_at`) counts, not the day it reached the agency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from caseflow.cases.rules import refuse
from caseflow.errors import InvalidInput
from caseflow.legal_time import SHANGHAI, Period, PeriodUnit, WorkCalendar, compute_due

CLOCK_TOLERANCE = timedelta(minutes=5)
POSTED = "邮寄送达"
PUBLIC_NOTICE = "公告送达"
PUBLIC_NOTICE_DAYS = 30  # 《民事诉讼法》第九十五条

# The times a step's input may carry, with their Chinese names.
TIME_FIELDS = {
    "served_at": "送达时间",
    "signed_at": "签收日期",
    "published_at": "公告发布日期",
    "postmarked_at": "邮戳日期",
    "acted_at": "实施时间",  # 当场 acts (当场实施封存) entered after the fact; when a 笔录 began
    "ended_at": "结束时间",  # when a 笔录 ended
}
# A party's filing by post (陈述申辩, 听证申请): it follows the 告知书, not the state it is recorded in.
PARTY_FILING_FIELDS = frozenset({"postmarked_at"})
# Dates people write without a time of day: counted from the start of that day in Beijing.
DATE_FIELDS = frozenset({"signed_at", "published_at", "postmarked_at"})


def local(dt: datetime) -> str:
    return dt.astimezone(SHANGHAI).strftime("%Y年%m月%d日 %H:%M")


def check_in_order(value: datetime, key: str, *, after: datetime, after_what: str,
                   now: datetime, label: str | None = None) -> None:
    """Refuse (ACT_TIME_OUT_OF_ORDER) a typed time before the event it depends on or in the future.
    A date-only field is compared by its day. `label`: the field's name on the form, if known."""
    label = label or TIME_FIELDS.get(key, "时间")
    day_only = key in DATE_FIELDS and value.astimezone(SHANGHAI).time() == time()
    earliest = after.astimezone(SHANGHAI).replace(hour=0, minute=0, second=0, microsecond=0) if day_only else after
    if value < earliest - (timedelta(0) if day_only else CLOCK_TOLERANCE):
        raise refuse("act_time_after_what_it_follows", label=label, value=local(value), after_what=after_what,
                     after=local(after), details={key: "早于所依赖的事项"})
    if value > now + CLOCK_TOLERANCE:
        raise refuse("act_time_not_in_future", label=label, value=local(value), now=local(now),
                     details={key: "晚于当前时间"})


@dataclass(frozen=True)
class ServiceMoment:
    """A service: what the person records (`act_at`: handed over, signed for, published) and when the
    document counts as served (`effective_at`), with the article that says so."""

    method: str
    act_at: datetime
    effective_at: datetime
    reasoning: str = ""

    def audit(self) -> dict[str, str]:
        out = {"method": self.method, "act_at": self.act_at.isoformat(),
               "effective_at": self.effective_at.isoformat()}
        if self.reasoning:
            out["reasoning"] = self.reasoning
        return out


def service_moment(payload: dict[str, Any], *, default_at: datetime, calendar: WorkCalendar) -> ServiceMoment:
    """When the service the payload records took place and when it takes effect. The payload's times
    are aware datetimes: the step's declared inputs typed them (caseflow.workflow.input_values)."""
    method = payload.get("method") or "直接送达"
    if method == POSTED:
        if payload.get("signed_at") is None:
            raise InvalidInput("邮寄送达以回执上注明的收件日期为送达日期，请填写签收日期。"
                               "（依据：《民事诉讼法》第九十一条）", details={"signed_at": "邮寄送达须填写签收日期"})
        signed = payload["signed_at"]
        return ServiceMoment(method, signed, signed, "邮寄送达以回执上注明的收件日期为送达日期（《民事诉讼法》第九十一条）")
    if method == PUBLIC_NOTICE:
        published = payload.get("published_at") or payload.get("served_at") or default_at
        due = compute_due(published, Period(PUBLIC_NOTICE_DAYS, PeriodUnit.DAY), calendar=calendar)
        deemed = due.due_at - timedelta(seconds=1)  # the whole 30th day: periods run from the next
        day = deemed.astimezone(SHANGHAI).date()
        return ServiceMoment(
            method, published, deemed,
            f"公告于{published.astimezone(SHANGHAI):%Y年%m月%d日}发出，自发出公告之日起经过三十日，"
            f"于{day:%Y年%m月%d日}视为送达（《民事诉讼法》第九十五条）")
    at = payload.get("served_at") or default_at
    return ServiceMoment(method, at, at)


def filed_on(payload: dict[str, Any], *, default_at: datetime) -> datetime:
    """When a party's filing (陈述申辩, 听证申请, 复议) counts as made: the postmark if it came by post
    (《民事诉讼法》第八十五条：期间不包括在途时间), else when it reached the agency."""
    return payload.get("postmarked_at") or default_at
