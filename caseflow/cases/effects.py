"""The effects named in the procedures: what a step records on the case besides its new state.

Effects run inside the transition's database transaction, after every guard has passed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from caseflow.cases import remedies
from caseflow.cases.arguments import record_answers, record_arguments
from caseflow.cases.amounts import changed_amounts, describe_change
from caseflow.cases.context import StepContext
from caseflow.cases.deadline_steps import extend_sealing_term
from caseflow.cases.document_steps import reissue_changed_decision
from caseflow.cases.discretion_effects import record_discretion
from caseflow.cases.evidence_effects import record_relied_evidence, register_record_evidence
from caseflow.cases.limitation import violation_period
from caseflow.cases.models import PenaltyItem, PenaltyStage, RemedyOutcome, SealedItem
from caseflow.cases.opening import open_linked_case
from caseflow.cases.penalties import (CORRECTIVE, NO_PENALTY, PENALTY, RECOVERY, Penalty, corrective_only,
                                      hearing_entitled, stored)
from caseflow.cases.violations import mirror_case, replace_details
from caseflow.cases.publication_effects import (correct_publication, release_publication, withdraw_publication,
                                              withdraw_revoked_publication)
from caseflow.deadlines import service as deadline_service
from caseflow.numbering.service import next_number
from caseflow.errors import InvalidInput

EffectFn = Callable[[StepContext], None]
EFFECTS: dict[str, EffectFn] = {}


def effect(fn: EffectFn) -> EffectFn:
    EFFECTS[fn.__name__] = fn
    return fn


effect(register_record_evidence)
effect(record_relied_evidence)
effect(record_discretion)
effect(release_publication)
effect(correct_publication)
effect(withdraw_publication)
effect(withdraw_revoked_publication)
effect(record_arguments)
effect(record_answers)


def _set_penalties(ctx: StepContext, stage: PenaltyStage, penalties: list[Penalty]) -> None:
    case = ctx.case
    case.penalties = [p for p in case.penalties if p.stage is not stage]
    for p in penalties:
        case.penalties.append(PenaltyItem(
            stage=stage, party_id=p.party_id, kind=p.kind, amount=p.amount, months=p.months,
            basis=p.basis, violation_seq=p.violation,
        ))


def _copy_penalties(ctx: StepContext, src: PenaltyStage, dst: PenaltyStage) -> None:
    _set_penalties(ctx, dst, [
        stored(p) for p in ctx.case.penalties_at(src)
    ])


def _record_text(ctx: StepContext) -> None:
    for key in ("facts", "evidence", "reasons", "source"):
        if ctx.payload.get(key):
            setattr(ctx.case, key, str(ctx.payload[key]))


def _record_amounts(ctx: StepContext) -> None:
    """Set the amounts the payload gives; a change of a recorded amount is written to the trail."""
    changes = changed_amounts(ctx.case, ctx.payload)
    previously = {k: old for k, (old, _) in changes.items() if old is not None}
    for key, (_, new) in changes.items():
        setattr(ctx.case, key, new)
    if previously:
        ctx.extra_events.append({"amounts_changed": describe_change(
            {k: changes[k] for k in previously})})


@effect
def record_case_facts(ctx: StepContext) -> None:
    """提请立案 / 调查终结: the facts, when the violation happened and the amounts found."""
    _record_text(ctx)
    if "violation_from" in ctx.payload or "violation_until" in ctx.payload:
        ctx.case.violation_from, ctx.case.violation_until = violation_period(ctx.payload, ctx.case, ctx.at)
    _record_amounts(ctx)


@effect
def record_amount_change(ctx: StepContext) -> None:
    """变更认定金额: the amounts (the guard checked the proposal against them) — a violation's new 明细,
    or the typed amounts of a case whose findings gave them alone — and, optionally, a revised
    proposal; the reviewed penalties no longer stand and 法制审核 sees the case again."""
    if ctx.payload.get("details"):
        ctx.extra_events.append({"amounts_changed": replace_details(ctx.case, ctx.payload["violation"],
                                                                    ctx.payload["details"])})
    else:
        _record_amounts(ctx)
        mirror_case(ctx.case, event_seq=ctx.case.last_event_seq + 1, by=ctx.actor.full_name, at=ctx.at)
    if ctx.payload.get("penalties"):
        _record_proposal_penalties(ctx)
    _set_penalties(ctx, PenaltyStage.reviewed, [])


@effect
def record_filing(ctx: StepContext) -> None:
    ctx.case.filed_at = ctx.at


@effect
def record_investigation_start(ctx: StepContext) -> None:
    ctx.case.investigation_started_at = ctx.at


@effect
def record_proposal(ctx: StepContext) -> None:
    """调查终结 (facts, amounts found, proposal) and 变更拟处罚意见 (whose guard refused any change
    of a recorded amount: that is 变更认定金额's)."""
    record_case_facts(ctx)
    mirror_case(ctx.case, event_seq=ctx.case.last_event_seq + 1, by=ctx.actor.full_name, at=ctx.at)
    _record_proposal_penalties(ctx)


def _record_proposal_penalties(ctx: StepContext) -> None:
    _set_penalties(ctx, PenaltyStage.proposed, ctx.payload_penalties())


@effect
def reset_notice(ctx: StepContext) -> None:
    case = ctx.case
    case.notice_served_at = None
    case.statement_waived_at = None
    case.hearing_entitled = None
    case.hearing_requested_at = case.hearing_notified_at = case.hearing_date = None
    case.hearing_closed_at = None


@effect
def record_reviewed_penalty(ctx: StepContext) -> None:
    _copy_penalties(ctx, PenaltyStage.proposed, PenaltyStage.reviewed)
    if "major_case" in ctx.payload:
        ctx.case.major_case = bool(ctx.payload["major_case"])


def _record_service(ctx: StepContext):  # type: ignore[no-untyped-def]
    """The service the step records, written to the trail with both its act time (handed over,
    signed for, published) and when it counts as served; the event's own time is the entry's."""
    moment = ctx.service()
    ctx.extra_events.append({"service": moment.audit()})
    return moment.effective_at


@effect
def record_notice_service(ctx: StepContext) -> None:
    case = ctx.case
    case.notice_served_at = _record_service(ctx)
    parties = {cp.party_id: cp.party for cp in case.parties}
    reviewed = [stored(p) for p in case.penalties_at(PenaltyStage.reviewed)]
    case.hearing_entitled = hearing_entitled(reviewed, parties, case.agency)


@effect
def record_statement_waiver(ctx: StepContext) -> None:
    ctx.case.statement_waived_at = ctx.at


@effect
def record_hearing_request(ctx: StepContext) -> None:
    ctx.case.hearing_requested_at = ctx.at
    ctx.case.hearing_closed_at = None


@effect
def record_hearing_schedule(ctx: StepContext) -> None:
    ctx.case.hearing_notified_at = ctx.at
    ctx.case.hearing_date = ctx.payload_time("hearing_date")


@effect
def record_hearing_held(ctx: StepContext) -> None:
    ctx.case.hearing_closed_at = ctx.at


@effect
def record_hearing_withdrawn(ctx: StepContext) -> None:
    ctx.case.hearing_closed_at = ctx.at


def _decide(ctx: StepContext, kind: str) -> None:
    ctx.case.decision_kind = kind
    ctx.case.decided_at = ctx.at


@effect
def record_penalty_decision(ctx: StepContext) -> None:
    """The reviewed measures decided: a 行政处罚决定, or a 行政处理决定 where none of them is a 行政处罚
    (only 责令退回 … after the 追责时效, 《行政处罚法》第三十六条)."""
    reviewed = ctx.case.penalties_at(PenaltyStage.reviewed)
    _decide(ctx, RECOVERY if corrective_only([p.kind for p in reviewed]) else PENALTY)
    _copy_penalties(ctx, PenaltyStage.reviewed, PenaltyStage.decided)


@effect
def record_no_penalty_decision(ctx: StepContext) -> None:
    """不予行政处罚; with `order_return`, the reviewed 责令退回 (责令改正 …) still decided: a 行政处理决定."""
    if ctx.payload.get("order_return"):
        _decide(ctx, RECOVERY)
        _set_penalties(ctx, PenaltyStage.decided, [
            stored(p) for p in ctx.case.penalties_at(PenaltyStage.reviewed) if p.kind in CORRECTIVE])
        return
    _decide(ctx, NO_PENALTY)
    _set_penalties(ctx, PenaltyStage.decided, [])


@effect
def record_referral_decision(ctx: StepContext) -> None:
    _decide(ctx, "referral")


@effect
def record_decision_service(ctx: StepContext) -> None:
    ctx.case.decision_served_at = _record_service(ctx)


@effect
def record_service(ctx: StepContext) -> None:
    """A step that serves a document whose service starts a period (催告书: 《行政强制法》第五十四条)."""
    _record_service(ctx)


@effect
def close_case(ctx: StepContext) -> None:
    ctx.case.closed_at = ctx.at


@effect
def archive_case(ctx: StepContext) -> None:
    """归档: the time and the 归档号 (the year of 归档 and the agency's running number in it, gap-free);
    the 案卷 is bound after the commit (`caseflow.casefile.service`)."""
    ctx.case.archived_at = ctx.at
    year = ctx.local_day.year
    n = next_number(db_session=ctx.db_session, agency_id=ctx.case.agency_id, kind="archive", year=year)
    ctx.case.archive_no = f"{year}-{n:04d}"


@effect
def remember_state(ctx: StepContext) -> None:
    ctx.case.suspended_from = ctx.from_state


@effect
def forget_state(ctx: StepContext) -> None:
    ctx.case.suspended_from = None


def _sealed_items(ctx: StepContext) -> None:
    """The 封存清单 (《行政强制法》第二十四条): each thing by name and how many; rows typed by the inputs."""
    rows = ctx.payload.get("items")
    if not rows:
        return
    errors: dict[str, str] = {}
    items: list[SealedItem] = []
    for i, it in enumerate(rows):
        name, qty = it.get("name"), it.get("quantity") or 0
        if not name:
            errors[f"items[{i}].name"] = "须填写资料名称"
        if qty <= 0:
            errors[f"items[{i}].quantity"] = "数量须为正整数"
        if name and qty > 0:
            items.append(SealedItem(name=name, quantity=qty, unit=it.get("unit") or "份", note=it.get("note")))
    if errors:
        raise InvalidInput("封存清单有误：" + "；".join(errors.values()) + "。", details=errors)
    ctx.case.sealed_items = items


@effect
def record_sealing_plan(ctx: StepContext) -> None:
    if ctx.payload.get("reason"):
        ctx.case.facts = str(ctx.payload["reason"])
    if ctx.payload.get("basis"):
        ctx.case.evidence = str(ctx.payload["basis"])
    _sealed_items(ctx)


@effect
def record_sealing_onsite(ctx: StepContext) -> None:
    _sealed_items(ctx)
    if ctx.payload.get("reason") and not ctx.case.facts:
        ctx.case.facts = str(ctx.payload["reason"])
    if ctx.payload.get("basis") and not ctx.case.evidence:
        ctx.case.evidence = str(ctx.payload["basis"])  # 封存依据 (the 封存决定书 cites it)
    # 当场: the act's own time, when it is entered afterwards (the 24 小时 of 第十九条 run from it).
    ctx.case.sealed_at = ctx.payload_time("acted_at")


@effect
def record_sealing_extension(ctx: StepContext) -> None:
    ctx.case.sealing_extended_at = ctx.at
    extend_sealing_term(ctx, days=int(ctx.payload["days"]))


@effect
def record_release(ctx: StepContext) -> None:
    ctx.case.released_at = ctx.at


@effect
def open_linked_penalty_case(ctx: StepContext) -> None:
    child = open_linked_case(ctx)
    ctx.extra_events.append({"linked_case_no": child.case_no})


# ── 复议、诉讼, 暂缓缴纳 (see caseflow/cases/remedies.py) ──────────────────────
@effect
def record_remedy_filing(ctx: StepContext) -> None:
    proceeding = remedies.parse_filing(ctx.payload, ctx.case, ctx.at)
    ctx.case.remedies.append(proceeding)
    ctx.extra_events.append({"remedy": {"kind": proceeding.kind.label, "filed_on": proceeding.filed_on.isoformat(),
                                        "body": proceeding.body, "ref_no": proceeding.ref_no}})


@effect
def record_remedy_outcome(ctx: StepContext) -> None:
    """The outcome ends the proceeding; a 变更 replaces the decided penalties and issues the
    corrected 决定书 (a new version of the same 文号) in the same transaction."""
    target, outcome, decided_on = remedies.parse_outcome(ctx.payload, ctx.case, ctx.at)
    target.outcome, target.decided_on, target.outcome_note = outcome, decided_on, ctx.opinion
    ctx.extra_events.append({"remedy_outcome": {"kind": target.kind.label, "outcome": outcome.label,
                                                "decided_on": decided_on.isoformat()}})
    if outcome is RemedyOutcome.changed:
        if not ctx.payload.get("penalties"):
            raise InvalidInput("变更的，请填写复议决定或判决变更后的处罚内容。", details={"penalties": "不能为空"})
        _set_penalties(ctx, PenaltyStage.decided, ctx.payload_penalties())
        ctx.after_event.append(lambda seq: reissue_changed_decision(ctx, seq, target))


@effect
def reopen_to_decide_again(ctx: StepContext) -> None:
    """撤销并责令重新作出 (《行政复议法》第六十四条): the decision no longer stands; the case is
    investigated and decided again by the date the body set."""
    case = ctx.case
    redo_by: date | None = ctx.payload.get("redo_by")
    if redo_by is None or redo_by < ctx.local_day:
        raise InvalidInput("请填写复议决定或判决责令重新作出行政处罚决定的期限（不早于今天）。",
                           details={"redo_by": "须为复议决定或判决确定的日期"})
    reset_notice(ctx)
    case.decision_kind = case.decided_at = case.decision_served_at = None
    case.closed_at = None
    _set_penalties(ctx, PenaltyStage.reviewed, [])
    _set_penalties(ctx, PenaltyStage.decided, [])
    rule = ctx.library.deadlines["redo_decision"]
    deadline_service.open_deadline_until(
        db_session=ctx.db_session, case_id=case.id, agency_id=case.agency_id, rule=rule, start=ctx.at,
        last_day=redo_by, reasoning=[f"复议决定或判决责令于{redo_by:%Y年%m月%d日}前重新作出行政处罚决定（{rule.basis}）"])


@effect
def record_deferred_payment(ctx: StepContext) -> None:
    """暂缓或者分期缴纳 (第六十六条第二款): the payment limit now ends on the last day approved."""
    pay_by: date | None = ctx.payload.get("pay_by")
    current = deadline_service.running(db_session=ctx.db_session, case_id=ctx.case.id, rule_code="payment")
    assert current is not None  # the payment_running guard
    if pay_by is None or current.due_date is None or pay_by <= current.due_date:
        raise InvalidInput("暂缓或者分期缴纳的最后期限须晚于原缴纳期限"
                           f"（{current.due_date:%Y年%m月%d日}）。" if current.due_date else "请填写缴纳期限。",
                           details={"pay_by": "须晚于原缴纳期限"})
    plan = str(ctx.payload.get("installments") or "").strip()
    deadline_service.close_as_extended(
        current, at=ctx.at, by_user_id=ctx.actor.id, reason=ctx.opinion or "",
        approval=f"{ctx.transition.name if ctx.transition else '批准暂缓缴纳'}（{ctx.actor.full_name}）")
    rule = ctx.library.deadlines["payment"]
    deadline_service.open_deadline_until(
        db_session=ctx.db_session, case_id=ctx.case.id, agency_id=ctx.case.agency_id, rule=rule,
        start=ctx.at, last_day=pay_by, name=f"{rule.name}（经批准暂缓或分期缴纳）",
        reasoning=[f"经行政机关负责人批准，暂缓或者分期缴纳罚款，最后缴纳期限为{pay_by:%Y年%m月%d日}"
                   "（《行政处罚法》第六十六条第二款）" + (f"；分期：{plan}" if plan else "")])
