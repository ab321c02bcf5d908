"""The guard functions named in workflows/rules/<set>/guards.yaml.

A guard returns None when the step may proceed, or the facts that fill its message when it must be
refused; `check_guard` turns that into a `RuleViolation` carrying the rule's code. Guards only read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, exists, select

from caseflow.cases import prior_cases, remedies
from caseflow.cases.act_times import PARTY_FILING_FIELDS, TIME_FIELDS, check_in_order, filed_on, parse_time
from caseflow.cases.amounts import amounts_in, changed_amounts, describe_change, recorded_amounts
from caseflow.cases.context import NOT_LOADED, StepContext
from caseflow.cases.limitation import NOT_PUNITIVE, limitation_for, limitation_of, violation_period
from caseflow.cases.models import (
    CaseOfficer,
    CaseParty,
    InterestDeclaration,
    PartyRole,
    PenaltyStage,
)
from caseflow.cases.penalties import Penalty, parse_penalties, same_penalties
from caseflow.cases.posts import post_label, required_post
from caseflow.cases.rules import refuse
from caseflow.catalog.importer.serialise import from_dict
from caseflow.catalog.lawful_penalties import problems
from caseflow.catalog.model import PARTY, PRINCIPAL_OFFICER, RESPONSIBLE_PERSON
from caseflow.deadlines import service as deadline_service
from caseflow.deadlines.models import Deadline
from caseflow.legal_time import SHANGHAI, Period, compute_due
from caseflow.org.models import EnforcementCredential, User
from caseflow.org.service import describe_posts, holds_post
from caseflow.workflow.definition import DeadlineRule, find_ground

Refusal = dict[str, Any] | None
GuardFn = Callable[[StepContext], Refusal]
GUARDS: dict[str, GuardFn] = {}


def guard(fn: GuardFn) -> GuardFn:
    GUARDS[fn.__name__] = fn
    return fn


def _fmt(dt: datetime | None) -> str:
    return dt.astimezone(SHANGHAI).strftime("%Y年%m月%d日 %H:%M") if dt else "—"


def stored_penalties(ctx: StepContext, stage: PenaltyStage) -> list[Penalty]:
    return [
        Penalty(p.party_id, p.kind, p.amount, p.months, p.basis)
        for p in ctx.case.penalties_at(stage)
    ]


def waited_for(ctx: StepContext, guard_name: str) -> tuple[str, ...]:
    """The limits a guard waits for, as guards.yaml names them (`waits_for`)."""
    return ctx.library.guards[guard_name].waits_for


def waited_rule(ctx: StepContext, guard_name: str) -> DeadlineRule:
    return ctx.library.deadlines[waited_for(ctx, guard_name)[0]]


def party_names(ctx: StepContext) -> dict[int, str]:
    return {cp.party_id: cp.party.name for cp in ctx.case.parties}


# ── checked on every step ────────────────────────────────────────────────
@guard
def actor_holds_post(ctx: StepContext) -> Refusal:
    t = ctx.transition
    assert t is not None
    post, section = required_post(ctx.case, t)
    if ctx.actor.agency_id != ctx.case.agency_id or not holds_post(ctx.actor, post, section):
        return {"step": t.name, "required": post_label(post, section),
                "held": "、".join(describe_posts(ctx.actor)) or "无"}
    return None


_decl = InterestDeclaration.__table__
_case_party_ids = (
    select(CaseParty.__table__.c.party_id)
    .where(CaseParty.__table__.c.case_id == bindparam("case_id"))
    .scalar_subquery()
)
_ACTOR_DECLARATION = (
    select(_decl.c.id)
    .where(_decl.c.user_id == bindparam("user_id"), _decl.c.party_id.in_(_case_party_ids))
    .limit(1)
)


def declared_interest_of_actor(case_id_column):  # type: ignore[no-untyped-def]
    """Scalar subquery: the actor's (`:user_id`) interest declaration on a party of the case, if any.
    `fire` selects it together with the case row to spare a round trip on every step."""
    # Correlate explicitly: the case row is two levels up, where auto-correlation does not reach.
    parties = (
        select(CaseParty.__table__.c.party_id)
        .where(CaseParty.__table__.c.case_id == case_id_column)
        .correlate(case_id_column.table)
    )
    return (
        select(_decl.c.id)
        .where(_decl.c.user_id == bindparam("user_id"), _decl.c.party_id.in_(parties))
        .limit(1)
        .scalar_subquery()
    )


@guard
def actor_not_recused(ctx: StepContext) -> Refusal:
    if ctx.declared_interest_id is not NOT_LOADED:
        decl_id = ctx.declared_interest_id
    else:
        decl_id = ctx.db_session.connection().execute(
            _ACTOR_DECLARATION, {"user_id": ctx.actor.id, "case_id": ctx.case.id}
        ).scalar()
    if decl_id is not None:
        decl = ctx.db_session.get_one(InterestDeclaration, decl_id)
        return {"who": "您", "party": decl.party.name, "reason": decl.reason}
    return None


@guard
def opinion_required(ctx: StepContext) -> Refusal:
    t = ctx.transition
    assert t is not None
    if t.requires_opinion and not (ctx.opinion and ctx.opinion.strip()):
        return {"step": t.name}
    return None


ANSWERS_NOTICE = "notice"  # the state of 事先告知 (陈述、申辩) in the penalty procedure


@guard
def act_times_in_order(ctx: StepContext) -> Refusal:
    """Every time typed with the step is a real date, after the event the act depends on (the case
    entering its current state) and not in the future; raises its own refusal with the field."""
    typed = {k: v for k, v in ctx.payload.items() if k in TIME_FIELDS and v not in (None, "")}
    if not typed:
        return None
    for key, raw in typed.items():
        # A party's filing answers the 告知书: it follows the case entering 告知, not the current state.
        state = ANSWERS_NOTICE if key in PARTY_FILING_FIELDS and ANSWERS_NOTICE in ctx.procedure.states \
            else ctx.case.state
        check_in_order(parse_time(raw, key), key, after=ctx.entered_state_at(state),
                       after_what=f"案件进入「{ctx.procedure.state_name(state)}」", now=ctx.at)
    return None


# ── named in the procedures ──────────────────────────────────────────────
_officer, _user, _cred = CaseOfficer.__table__, User.__table__, EnforcementCredential.__table__
_VALID_OFFICERS = (
    select(_user.c.full_name)
    .select_from(_officer.join(_user, _user.c.id == _officer.c.user_id))
    .where(
        _officer.c.case_id == bindparam("case_id"),
        _officer.c.removed_at.is_(None),
        _user.c.id.not_in(select(_decl.c.user_id).where(_decl.c.party_id.in_(_case_party_ids))),
        exists().where(
            _cred.c.user_id == _user.c.id,
            _cred.c.revoked.is_(False),
            _cred.c.valid_from <= bindparam("day"),
            _cred.c.valid_until >= bindparam("day"),
        ),
    )
    .order_by(_officer.c.id)
)


@guard
def two_officers_with_valid_credentials(ctx: StepContext) -> Refusal:
    """Assigned officers, not recused, holding a 执法证 valid on the day of the act."""
    day = ctx.payload_time("acted_at").astimezone(SHANGHAI).date()  # the day of the act itself
    valid = list(ctx.db_session.connection().execute(
        _VALID_OFFICERS, {"case_id": ctx.case.id, "day": day}
    ).scalars())
    if len(valid) < 2:
        return {"valid_count": len(valid), "valid_names": "、".join(valid) or "无"}
    return None


@guard
def investigation_started(ctx: StepContext) -> Refusal:
    return None if ctx.case.investigation_started_at else {}


@guard
def filing_facts_given(ctx: StepContext) -> Refusal:
    return None if (ctx.payload.get("facts") or ctx.case.facts) else {}


@guard
def proposal_complete(ctx: StepContext) -> Refusal:
    missing = []
    if not (ctx.payload.get("facts") or ctx.case.facts):
        missing.append("违法事实")
    if not (ctx.payload.get("evidence") or ctx.case.evidence):
        missing.append("证据")
    if not ctx.payload.get("penalties"):
        missing.append("拟处罚内容（种类、数额、依据）")
    else:  # malformed penalties are refused here, before the state changes, field by field
        party_ids = [cp.party_id for cp in ctx.case.parties]
        parse_penalties(ctx.payload["penalties"], party_ids=party_ids, default_party_id=party_ids[0])
    return {"missing": "、".join(missing)} if missing else None


# Whom a catalog option is aimed at, by the role of the case's party.
TARGET_OF_ROLE = {PartyRole.principal: PARTY, PartyRole.responsible_person: RESPONSIBLE_PERSON,
                  PartyRole.principal_officer: PRINCIPAL_OFFICER}


def _lawfulness(ctx: StepContext, penalties: list[Penalty]) -> Refusal:
    """The penalties judged against the case's catalog snapshot and the amounts the case records
    — or those this very step records (调查终结, 变更认定金额); never a base sent with a penalty."""
    entry = ctx.case.catalog_entry
    if not penalties or entry is None:
        return None
    targets = {cp.party_id: TARGET_OF_ROLE[cp.role] for cp in ctx.case.parties}
    amounts = {**recorded_amounts(ctx.case), **amounts_in(ctx.payload)}
    found = problems(
        from_dict(entry),
        [{"kind": p.kind, "amount": p.amount, "months": p.months, "basis": p.basis,
          "party_id": p.party_id} for p in penalties],
        targets=targets, case_amounts=amounts,
    )
    return {"reasons": "；".join(r.rstrip("。") for r in found)} if found else None


def _payload_penalties(ctx: StepContext) -> list[Penalty]:
    party_ids = [cp.party_id for cp in ctx.case.parties]
    return parse_penalties(ctx.payload["penalties"], party_ids=party_ids, default_party_id=party_ids[0])


@guard
def penalty_within_lawful_range(ctx: StepContext) -> Refusal:
    """The penalties the step proposes are measures of a cited basis of the case's catalog entry
    (the entry the case was opened under), within its range for this case."""
    if not ctx.payload.get("penalties"):
        return None
    return _lawfulness(ctx, _payload_penalties(ctx))


@guard
def proposed_penalty_lawful(ctx: StepContext) -> Refusal:
    """法制审核通过 re-checks the recorded proposal: a defect upstream never passes review."""
    return _lawfulness(ctx, stored_penalties(ctx, PenaltyStage.proposed))


@guard
def reviewed_penalty_lawful(ctx: StepContext) -> Refusal:
    """负责人批准, 集体讨论, 作出决定 re-check the reviewed penalties: nothing unlawful reaches a 决定书."""
    return _lawfulness(ctx, stored_penalties(ctx, PenaltyStage.reviewed))


@guard
def recorded_amounts_unchanged(ctx: StepContext) -> Refusal:
    """变更拟处罚意见 keeps the recorded amounts: changing one is 变更认定金额's (with its reason)."""
    changes = changed_amounts(ctx.case, ctx.payload)
    return {"changes": "；".join(describe_change(changes))} if changes else None


@guard
def amount_change_given(ctx: StepContext) -> Refusal:
    return None if changed_amounts(ctx.case, ctx.payload) else {}


@guard
def proposal_lawful_with_new_amounts(ctx: StepContext) -> Refusal:
    """变更认定金额: the proposal (the one given with the change, else the recorded one) must stay
    lawful under the new amounts."""
    if ctx.payload.get("penalties"):
        return _lawfulness(ctx, _payload_penalties(ctx))
    return _lawfulness(ctx, stored_penalties(ctx, PenaltyStage.proposed))


# ── 追责时效 (《行政处罚法》第三十六条) ─────────────────────────────────────
@guard
def filed_within_limitation(ctx: StepContext) -> Refusal:
    """立案 within the period — or, after it, only for 责令退回/追回 and 不予处罚 (`recovery_only`)."""
    lim = limitation_of(ctx.case, ctx.calendar)
    if lim is None or not lim.expired_at(ctx.at) or ctx.payload.get("recovery_only"):
        return None
    return {"limitation": lim.text()}


@guard
def violation_period_recorded(ctx: StepContext) -> Refusal:
    start, _ = violation_period(ctx.payload, ctx.case, ctx.at)
    return None if start is not None else {}


def _punitive_beyond_limitation(ctx: StepContext, penalties: list[Penalty]) -> Refusal:
    case = ctx.case
    from_payload = {k: ctx.payload[k] for k in ("violation_from", "violation_until") if k in ctx.payload}
    if from_payload:  # the step records the period: judge with it
        start, end = violation_period(ctx.payload, case, ctx.at)
        lim = limitation_for(start, end, case.catalog_entry, ctx.calendar)
    else:
        lim = limitation_of(case, ctx.calendar)
    if lim is None or not lim.expired_at(case.filed_at or ctx.at):
        return None
    punitive = [p for p in penalties if p.kind not in NOT_PUNITIVE]
    if not punitive:
        return None
    names = party_names(ctx)
    return {"limitation": lim.text(), "penalties": "；".join(p.label(names) for p in punitive)}


@guard
def proposal_within_limitation(ctx: StepContext) -> Refusal:
    if not ctx.payload.get("penalties"):
        return None
    return _punitive_beyond_limitation(ctx, _payload_penalties(ctx))


@guard
def punishment_within_limitation(ctx: StepContext) -> Refusal:
    return _punitive_beyond_limitation(ctx, stored_penalties(ctx, PenaltyStage.reviewed))


@guard
def proposal_recorded(ctx: StepContext) -> Refusal:
    return None if ctx.case.penalties_at(PenaltyStage.proposed) else {}


@guard
def reviewer_not_investigator(ctx: StepContext) -> Refusal:
    for o in ctx.case.active_officers():
        if o.user_id == ctx.actor.id:
            return {"role": o.role.label}
    return None


@guard
def collective_discussion_if_major(ctx: StepContext) -> Refusal:
    return {} if ctx.case.major_case else None


@guard
def notice_not_yet_served(ctx: StepContext) -> Refusal:
    served = ctx.case.notice_served_at
    return {"served_at": _fmt(served)} if served else None


@guard
def notice_served(ctx: StepContext) -> Refusal:
    return None if ctx.case.notice_served_at else {}


@guard
def statement_period_over(ctx: StepContext) -> Refusal:
    case = ctx.case
    if case.statement_waived_at is not None or case.notice_served_at is None:
        return None  # waived in writing; an unserved notice is refused by notice_served
    period = deadline_service.latest(
        db_session=ctx.db_session, case_id=case.id, rule_code=waited_for(ctx, "statement_period_over")[0]
    )
    if period is None:
        return None
    if period.closed_at is not None and period.status.value in ("met", "overdue"):
        return None  # the party made its statement and it was re-examined (复核)
    if ctx.at < period.due_at:
        return {"due": period.due_date.strftime("%Y年%m月%d日") if period.due_date else _fmt(period.due_at)}
    return None


@guard
def hearing_request_window_over(ctx: StepContext) -> Refusal:
    return _running_until(ctx, "hearing_request_window_over")


@guard
def no_pending_hearing(ctx: StepContext) -> Refusal:
    case = ctx.case
    pending = case.hearing_requested_at is not None and case.hearing_closed_at is None
    return {} if pending else None


@guard
def penalty_matches_review(ctx: StepContext) -> Refusal:
    reviewed = stored_penalties(ctx, PenaltyStage.reviewed)
    raw = ctx.payload.get("penalties")
    if raw is None:
        return None  # the decision takes the reviewed penalties as they are
    party_ids = [cp.party_id for cp in ctx.case.parties]
    decided = parse_penalties(raw, party_ids=party_ids, default_party_id=party_ids[0])
    if not same_penalties(decided, reviewed):
        names = party_names(ctx)
        return {"decided": "；".join(p.label(names) for p in decided),
                "reviewed": "；".join(p.label(names) for p in reviewed) or "无"}
    return None


@guard
def hearing_entitled(ctx: StepContext) -> Refusal:
    if ctx.case.hearing_entitled:
        return None
    names = party_names(ctx)
    return {"penalties": "；".join(p.label(names) for p in stored_penalties(ctx, PenaltyStage.reviewed))}


@guard
def hearing_request_in_time(ctx: StepContext) -> Refusal:
    """Asked within the window — by the postmark when it came by post (期间不包括在途时间)."""
    window = deadline_service.latest(
        db_session=ctx.db_session, case_id=ctx.case.id, rule_code=waited_for(ctx, "hearing_request_in_time")[0]
    )
    if window is None:
        return None
    if filed_on(ctx.payload, default_at=ctx.at) >= window.due_at:
        return {"due": _day(window)}
    return None


@guard
def hearing_notice_in_time(ctx: StepContext) -> Refusal:
    raw = ctx.payload.get("hearing_date")
    if raw is None:
        return {"notified": ctx.local_day.strftime("%Y年%m月%d日"), "earliest": "（未填写听证日期）"}
    hearing_day = ctx.payload_time("hearing_date").astimezone(SHANGHAI).date()
    rule = waited_rule(ctx, "hearing_notice_in_time")  # 听证的七日前通知 (第六十四条第（二）项)
    seven = compute_due(ctx.at, Period(rule.length, rule.unit), calendar=ctx.calendar)
    assert seven.due_date is not None
    if hearing_day <= seven.due_date:
        earliest = seven.due_at.astimezone(SHANGHAI).date()
        return {"notified": ctx.local_day.strftime("%Y年%m月%d日"),
                "earliest": earliest.strftime("%Y年%m月%d日")}
    return None


@guard
def hearing_scheduled(ctx: StepContext) -> Refusal:
    return None if ctx.case.hearing_notified_at else {}


@guard
def hearing_day_reached(ctx: StepContext) -> Refusal:
    day = ctx.case.hearing_date
    if day is not None and ctx.local_day < day.astimezone(SHANGHAI).date():
        return {"hearing_day": day.astimezone(SHANGHAI).strftime("%Y年%m月%d日")}
    return None


# ── 不予行政处罚 (《行政处罚法》第三十三条) ─────────────────────────────────
@guard
def no_penalty_ground_given(ctx: StepContext) -> Refusal:
    """The ground is one the law names; where it is 第三十三条's, the 教育 given is recorded."""
    grounds = ctx.library.no_penalty_grounds
    ground = find_ground(grounds, ctx.payload.get("ground"))
    if ground is None:
        return {"missing": "不予行政处罚的情形（" + "、".join(g.name for g in grounds.values()) + "）"}
    if ground.education and not str(ctx.payload.get("education") or "").strip():
        return {"missing": "对当事人进行教育的情况（第三十三条第三款）"}
    return None


@guard
def first_offence_is_first(ctx: StepContext) -> Refusal:
    ground = find_ground(ctx.library.no_penalty_grounds, ctx.payload.get("ground"))
    if ground is None or not ground.first_offence:
        return None
    earlier = prior_cases.penalised(prior_cases.earlier_cases(ctx.db_session, ctx.case))
    if not earlier:
        return None
    return {"cases": "、".join(f"{c.case_no}（{c.title}）" for c in earlier)}


# ── 复议、诉讼, 暂缓缴纳 ─────────────────────────────────────────────────────
@guard
def no_remedy_pending(ctx: StepContext) -> Refusal:
    """No court enforcement while the party's 复议 or 诉讼 is pending."""
    open_ones = remedies.pending(ctx.case)
    if not open_ones:
        return None
    return {"pending": "；".join(f"{r.kind.label}（{r.body}，{r.filed_on:%Y年%m月%d日}）" for r in open_ones)}


@guard
def remedy_pending(ctx: StepContext) -> Refusal:
    return None if remedies.pending(ctx.case) else {}


@guard
def payment_running(ctx: StepContext) -> Refusal:
    """暂缓或者分期缴纳 moves the running payment limit of a fine."""
    d = deadline_service.running(db_session=ctx.db_session, case_id=ctx.case.id,
                                 rule_code=waited_for(ctx, "payment_running")[0])
    return None if d is not None else {}


def _running_until(ctx: StepContext, guard_name: str) -> Refusal:
    """Refuse while an open limit the guard waits for (`waits_for`) has not reached its end."""
    for rule_code in waited_for(ctx, guard_name):
        d = deadline_service.running(db_session=ctx.db_session, case_id=ctx.case.id, rule_code=rule_code)
        if d is not None and ctx.at < d.due_at:
            return {"due": _day(d)}
    return None


def _day(d: Deadline) -> str:
    return d.due_date.strftime("%Y年%m月%d日") if d.due_date else _fmt(d.due_at)


@guard
def payment_period_over(ctx: StepContext) -> Refusal:
    """催告 when the party has let its time to perform pass: 罚款 and 责令退回 alike."""
    return _running_until(ctx, "payment_period_over")


@guard
def dunning_period_over(ctx: StepContext) -> Refusal:
    return _running_until(ctx, "dunning_period_over")


@guard
def remedy_periods_over(ctx: StepContext) -> Refusal:
    running = []
    for code in waited_for(ctx, "remedy_periods_over"):
        d = deadline_service.running(db_session=ctx.db_session, case_id=ctx.case.id, rule_code=code)
        if d is not None and ctx.at < d.due_at:
            running.append(f"{d.name}至{_day(d)}")
    return {"windows": "；".join(running)} if running else None


@guard
def sealing_term_running(ctx: StepContext) -> Refusal:
    d = deadline_service.running(db_session=ctx.db_session, case_id=ctx.case.id,
                                 rule_code=waited_for(ctx, "sealing_term_running")[0])
    if d is not None and ctx.at >= d.due_at:
        return {"due": _day(d)}
    return None


@guard
def sealing_items_listed(ctx: StepContext) -> Refusal:
    missing = []
    if not ctx.payload.get("reason") and not ctx.case.facts:
        missing.append("封存理由")
    if not ctx.payload.get("basis"):
        missing.append("封存依据")
    if not ctx.payload.get("items") and not ctx.case.sealed_items:
        missing.append("封存资料清单（名称、数量）")
    return {"missing": "、".join(missing)} if missing else None


# What 行政强制法 第十八条 requires on the spot, as the payload keys recording each.
ONSITE_STEPS = {
    "credentials_shown": "出示执法身份证件（第十八条第（三）项）",
    "party_notified": "通知当事人到场（第十八条第（四）项）",
    "reasons_and_rights_told": "当场告知理由、依据和当事人依法享有的权利、救济途径（第十八条第（五）项）",
    "statement_heard": "听取当事人的陈述和申辩（第十八条第（六）项）",
    "onsite_record": "制作现场笔录（第十八条第（七）项）",
    "record_signed": "现场笔录由当事人和执法人员签名或盖章，当事人拒绝的在笔录中注明；当事人不到场的由见证人签名（第十八条第（八）、（九）项）",
}


@guard
def sealing_onsite_procedure_complete(ctx: StepContext) -> Refusal:
    p = ctx.payload
    missing = [label for key, label in ONSITE_STEPS.items() if not p.get(key)]
    if not (p.get("items") or ctx.case.sealed_items):
        missing.append("封存清单（名称、数量）（第二十四条）")
    if int(p.get("list_copies") or 0) < 2:
        missing.append("封存清单一式二份，当事人和行政机关分别保存（第二十四条第三款）")
    return {"missing": "；".join(missing)} if missing else None


@guard
def sealing_not_extended_before(ctx: StepContext) -> Refusal:
    ext = ctx.case.sealing_extended_at
    return {"extended_at": _fmt(ext)} if ext else None


@guard
def sealing_extension_within_limit(ctx: StepContext) -> Refusal:
    try:
        days = int(ctx.payload.get("days") or 0)
    except (TypeError, ValueError, OverflowError):
        days = 0
    longest = waited_rule(ctx, "sealing_extension_within_limit").extension_length or 0  # 第二十五条: 30 日
    return {"days": days} if not 1 <= days <= longest else None


@guard
def limit_extendable(ctx: StepContext) -> Refusal:
    """The step's `extends` limit is running, not yet over, and has extensions left."""
    from caseflow.cases.deadline_steps import extensions_so_far

    t = ctx.transition
    assert t is not None and t.extends
    rule = ctx.library.deadlines[t.extends]
    current = deadline_service.running(db_session=ctx.db_session, case_id=ctx.case.id, rule_code=rule.code)
    if current is None:
        return {"limit": rule.name, "reason": "该期限未在计算中"}
    if ctx.at >= current.due_at:
        return {"limit": rule.name, "reason": f"期限已于{_day(current)}届满，届满后不能再批准延长"}
    if extensions_so_far(ctx, rule.code) >= rule.extension_times:
        return {"limit": rule.name, "reason": f"已延长过{rule.extension_times}次，不得再次延长"}
    return None


IMPLICIT_GUARDS = ("actor_holds_post", "actor_not_recused", "opinion_required", "act_times_in_order")


def check_guard(name: str, ctx: StepContext) -> None:
    """Run guard `name`; raise RuleViolation with its code, Chinese message and article if refused."""
    refusal = GUARDS[name](ctx)
    if refusal is None:
        return
    raise refuse(name, library=ctx.library, **refusal)


