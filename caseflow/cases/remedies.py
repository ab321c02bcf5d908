"""The party's 行政复议 and 行政诉讼 against the decision, as the case records them, and 暂缓或者分期
缴纳 of a fine.

- 《行政复议法》第二十条, 《行政诉讼法》第四十六条: the party may apply / sue; the agency records the
  application (date, 复议机关 or 人民法院, 案号) and, later, the outcome: 维持, 撤销 (with or without
  an order to decide again, 《行政复议法》第六十四条), 变更 (第六十三条), 确认违法 (第六十五条), 驳回.
- 《行政处罚法》第七十三条: the decision is enforced meanwhile, but 加处罚款 does not accrue while a
  复议 or 诉讼 is pending (第三款), and the court is not asked to enforce a decision still under review
  (《行政强制法》第五十三条: only once the party has neither applied nor sued within the windows).
- 第六十六条第二款: 当事人确有经济困难 … 经当事人申请和行政机关批准，可以暂缓或者分期缴纳 — the
  head's approval moves the payment limit to the last day approved.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from caseflow.cases.models import Case, RemedyKind, RemedyOutcome, RemedyProceeding
from caseflow.errors import InvalidInput
from caseflow.legal_time import SHANGHAI

KIND_WORDS = {"行政复议": RemedyKind.review, "复议": RemedyKind.review, "review": RemedyKind.review,
              "行政诉讼": RemedyKind.suit, "诉讼": RemedyKind.suit, "suit": RemedyKind.suit}
OUTCOME_WORDS = {o.label: o for o in RemedyOutcome} | {o.value: o for o in RemedyOutcome}


def pending(case: Case) -> list[RemedyProceeding]:
    return [r for r in case.remedies if r.pending]


def pauses(case: Case, until: date) -> list[tuple[date, date]]:
    """Inclusive day ranges while a 复议 or 诉讼 was pending (第七十三条第三款), up to `until`."""
    out = []
    for r in case.remedies:
        end = r.decided_on or until
        if r.filed_on <= end:
            out.append((r.filed_on, end))
    return out


def _today(at: datetime) -> date:
    return at.astimezone(SHANGHAI).date()


def _day_between(payload: dict[str, Any], key: str, label: str, errors: dict[str, str], *,
                 at: datetime, earliest: date | None, earliest_what: str) -> date | None:
    """A date that was typed, not after today and not before what it follows; errors by field."""
    day: date | None = payload.get(key)  # typed by the step's declared inputs
    if day is None:
        errors[key] = f"请填写{label}"
    elif day > _today(at):
        errors[key] = "不能晚于今天"
    elif earliest is not None and day < earliest:
        errors[key] = f"不能早于{earliest_what}"
    return day


def parse_filing(payload: dict[str, Any], case: Case, at: datetime) -> RemedyProceeding:
    """The application as entered; a clear InvalidInput naming each wrong field."""
    errors: dict[str, str] = {}
    kind = KIND_WORDS.get(str(payload.get("kind", "")).strip())
    if kind is None:
        errors["kind"] = "请选择行政复议或行政诉讼"
    decided = _today(case.decided_at) if case.decided_at else None
    filed_on = _day_between(payload, "filed_on", "申请或起诉日期", errors, at=at,
                            earliest=decided, earliest_what="作出处罚决定之日")
    body = str(payload.get("body") or "").strip()
    if not body:
        errors["body"] = "请填写复议机关或受理的人民法院"
    elif len(body) > 200:
        errors["body"] = "不超过200字"
    ref_no = str(payload.get("ref_no") or "").strip() or None
    if ref_no and len(ref_no) > 100:
        errors["ref_no"] = "不超过100字"
    if errors:
        raise InvalidInput("行政复议、行政诉讼登记有误：" + "；".join(errors.values()) + "。", details=errors)
    assert kind is not None and filed_on is not None
    return RemedyProceeding(kind=kind, filed_on=filed_on, body=body, ref_no=ref_no)


def parse_outcome(payload: dict[str, Any], case: Case, at: datetime) -> tuple[RemedyProceeding, RemedyOutcome, date]:
    """(the pending proceeding it ends, the outcome, the day decided)."""
    errors: dict[str, str] = {}
    open_ones = pending(case)
    raw_id = payload.get("proceeding_id")
    target = None
    if raw_id not in (None, ""):
        target = next((r for r in open_ones if str(r.id) == str(raw_id)), None)
        if target is None:
            errors["proceeding_id"] = "没有这一尚未结束的复议或诉讼"
    elif len(open_ones) == 1:
        target = open_ones[0]
    elif open_ones:
        errors["proceeding_id"] = "本案有多件复议或诉讼尚未结束，请指明是哪一件"
    outcome = OUTCOME_WORDS.get(str(payload.get("outcome", "")).strip())
    if outcome is None:
        errors["outcome"] = "结果须为：维持、撤销、变更、确认违法或驳回"
    decided_on = _day_between(payload, "decided_on", "复议决定或裁判日期", errors, at=at,
                              earliest=target.filed_on if target else None, earliest_what="申请或起诉日期")
    if errors:
        raise InvalidInput("复议、诉讼结果登记有误：" + "；".join(errors.values()) + "。", details=errors)
    assert target is not None and outcome is not None and decided_on is not None
    return target, outcome, decided_on
