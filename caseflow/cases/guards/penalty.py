"""Guards about the case's findings and the penalty: the proposal, its lawful kind and range from
the catalog snapshot, the recorded amounts, 追责时效, 集体讨论, the decision matching review, the
grounds of 不予处罚.
"""

from __future__ import annotations

from caseflow.cases import prior_cases
from caseflow.cases.amounts import AMOUNT_FIELDS, changed_amounts, describe_change, recorded_amounts
from caseflow.cases.context import StepContext
from caseflow.cases.discretion import mitigation_ground
from caseflow.cases.guards.base import Refusal, guard, party_names, stored_penalties
from caseflow.cases.rules import refuse
from caseflow.cases.limitation import NOT_PUNITIVE, limitation_for, limitation_of, violation_period
from caseflow.cases.models import PartyRole, PenaltyStage
from caseflow.cases.penalties import MONEY_KINDS, RETURN, Penalty, parse_penalties, same_penalties
from caseflow.cases.violations import amounts_for, prospective, registered, violation_label
from caseflow.catalog.importer.serialise import from_dict
from caseflow.catalog.lawful_penalties import problems
from caseflow.catalog.model import PARTY, PRINCIPAL_OFFICER, RESPONSIBLE_PERSON
from caseflow.workflow.definition import find_ground


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
    if not ctx.payload.get("penalties"):
        missing.append("拟处罚内容（种类、数额、依据）")
    else:  # malformed penalties are refused here, before the state changes, field by field
        party_ids = [cp.party_id for cp in ctx.case.parties]
        parse_penalties(ctx.payload["penalties"], party_ids=party_ids, default_party_id=party_ids[0])
    return {"missing": "、".join(missing)} if missing else None


# Whom a catalog option is aimed at, by the role of the case's party.
TARGET_OF_ROLE = {PartyRole.principal: PARTY, PartyRole.responsible_person: RESPONSIBLE_PERSON,
                  PartyRole.principal_officer: PRINCIPAL_OFFICER}


def _lawfulness(ctx: StepContext, penalties: list[Penalty], *, mitigated: bool = False) -> Refusal:
    """The penalties judged against the case's catalog snapshot and the amounts the case records
    — or those this very step records (调查终结, 变更认定金额); never a base sent with a penalty."""
    entry = ctx.case.catalog_entry
    if not penalties or entry is None:
        return None
    targets = {cp.party_id: TARGET_OF_ROLE[cp.role] for cp in ctx.case.parties}
    item, found = from_dict(entry), []
    several = len(registered(ctx.case)) > 1
    for seq in sorted({p.violation for p in penalties}, key=lambda s: s or 0):  # each by its violation's amounts
        reasons = problems(
            item,
            [{"kind": p.kind, "amount": p.amount, "months": p.months, "basis": p.basis,
              "party_id": p.party_id} for p in penalties if p.violation == seq],
            targets=targets, case_amounts=amounts_for(ctx.case, ctx.payload, seq), mitigated=mitigated,
        )
        found += [f"违法行为第{seq}项：{r}" if several and seq else r for r in reasons]
    return {"reasons": "；".join(r.rstrip("。") for r in found)} if found else None


def below_lawful_minimum(ctx: StepContext, penalties: list[Penalty]) -> bool:
    """Whether the penalties are lawful only as 减轻处罚 (the strict check finds a problem)."""
    return _lawfulness(ctx, penalties) is not None


@guard
def penalty_within_lawful_range(ctx: StepContext) -> Refusal:
    """The penalties the step proposes are measures of a cited basis of the case's catalog entry
    (the entry the case was opened under), within its range for this case."""
    if not ctx.payload.get("penalties"):
        return None
    return _lawfulness(ctx, ctx.payload_penalties(), mitigated=mitigation_ground(ctx.db_session, ctx.case, ctx.payload))


def _recorded_mitigation(ctx: StepContext) -> bool:
    return bool((ctx.case.discretion or {}).get("mitigated"))


@guard
def proposed_penalty_lawful(ctx: StepContext) -> Refusal:
    """法制审核通过 re-checks the recorded proposal: a defect upstream never passes review."""
    return _lawfulness(ctx, stored_penalties(ctx, PenaltyStage.proposed), mitigated=_recorded_mitigation(ctx))


@guard
def reviewed_penalty_lawful(ctx: StepContext) -> Refusal:
    """负责人批准, 集体讨论, 作出决定 re-check the reviewed penalties: nothing unlawful reaches a 决定书."""
    return _lawfulness(ctx, stored_penalties(ctx, PenaltyStage.reviewed), mitigated=_recorded_mitigation(ctx))


@guard
def recorded_amounts_unchanged(ctx: StepContext) -> Refusal:
    """变更拟处罚意见 keeps the recorded amounts: changing one is 变更认定金额's (with its reason)."""
    changes = changed_amounts(ctx.case, ctx.payload)
    return {"changes": "；".join(describe_change(changes))} if changes else None


@guard
def amount_change_given(ctx: StepContext) -> Refusal:
    """变更认定金额 changes an amount: typed (a case whose findings gave the amounts alone) or by the
    new 明细 of one violation."""
    if ctx.payload.get("details"):
        seq = ctx.payload.get("violation")
        own = next((v for v in registered(ctx.case) if v.seq == seq), None)
        if own is None or not own.itemised:
            raise refuse("violation_in_force", seq=seq or "？", what="的违法明细，不能变更明细（请选择本案逐项登记、附有明细的违法行为）")
        if changed_amounts(ctx.case, ctx.payload):
            raise refuse("amounts_from_violations", totals="按明细", changes="变更明细时不能另行填写金额")
    changed = prospective(ctx.case, ctx.payload)
    if any(changed[seq][k] != getattr(v, k) for v in registered(ctx.case) if v.seq in changed
           for k in AMOUNT_FIELDS):
        return None
    return None if changed_amounts(ctx.case, ctx.payload) else {}


@guard
def amounts_from_violations(ctx: StepContext) -> Refusal:
    """Where violations are registered, the case's amounts and period are their totals: a typed one
    that differs is refused (never a number typed beside the 明细)."""
    if not registered(ctx.case):
        return None
    changes = describe_change(changed_amounts(ctx.case, ctx.payload))
    for key, label in (("violation_from", "违法行为发生日期"), ("violation_until", "违法行为终了日期")):
        if key in ctx.payload and ctx.payload[key] != getattr(ctx.case, key):
            changes.append(f"{label}：{getattr(ctx.case, key) or '未认定'} → {ctx.payload[key]}")
    if not changes:
        return None
    totals = "，".join(describe_change({k: (None, v) for k, v in recorded_amounts(ctx.case).items()
                                      if v is not None})).replace("未认定 → ", "") or "无金额"
    return {"totals": totals, "changes": "；".join(changes)}


@guard
def penalties_name_violations(ctx: StepContext) -> Refusal:
    """Each penalty is imposed for a violation in force; with several, every fine, confiscation and
    责令退回 names its own (its range and bound are that violation's)."""
    if not ctx.payload.get("penalties"):
        return None
    known = {v.seq: v for v in registered(ctx.case)}
    problems_ = []
    for i, p in enumerate(ctx.payload_penalties(), start=1):
        if p.violation is not None and p.violation not in known:
            problems_.append(f"第{i}行所填违法行为第{p.violation}项不存在或已撤回"
                             + ("（本案未逐项登记违法行为，不填）" if not known else ""))
        elif p.violation is None and len(known) > 1 and p.kind in MONEY_KINDS:
            problems_.append(f"第{i}行「{p.kind}」未写明针对哪一项违法行为（本案：" +
                             "、".join(violation_label(v) for v in known.values()) + "）")
    return {"problem": "；".join(problems_)} if problems_ else None


@guard
def proposal_lawful_with_new_amounts(ctx: StepContext) -> Refusal:
    """变更认定金额: the proposal (the one given with the change, else the recorded one) must stay
    lawful under the new amounts."""
    if ctx.payload.get("penalties"):
        return _lawfulness(ctx, ctx.payload_penalties(),
                           mitigated=mitigation_ground(ctx.db_session, ctx.case, ctx.payload))
    return _lawfulness(ctx, stored_penalties(ctx, PenaltyStage.proposed), mitigated=_recorded_mitigation(ctx))


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
    """No 行政处罚 for a violation whose 追责时效 ended before 立案 — judged violation by violation where
    they are registered (each has its own period), else by the case's period."""
    case = ctx.case
    from_payload = {k: ctx.payload[k] for k in ("violation_from", "violation_until") if k in ctx.payload}
    if from_payload:  # the step records the period: judge with it
        start, end = violation_period(ctx.payload, case, ctx.at)
        case_lim = limitation_for(start, end, case.catalog_entry, ctx.calendar)
    else:
        case_lim = limitation_of(case, ctx.calendar)
    own = {v.seq: limitation_for(v.period_from, v.period_until, case.catalog_entry, ctx.calendar)
           for v in registered(case)}
    barred, texts = [], []
    for p in penalties:
        lim = own.get(p.violation, case_lim) if p.violation is not None else case_lim
        if p.kind in NOT_PUNITIVE or lim is None or not lim.expired_at(case.filed_at or ctx.at):
            continue
        barred.append(p)
        text = (f"违法行为第{p.violation}项" if p.violation in own and len(own) > 1 else "") + lim.text()
        if text not in texts:
            texts.append(text)
    if not barred:
        return None
    names = party_names(ctx)
    return {"limitation": "；".join(texts), "penalties": "；".join(p.label(names) for p in barred)}


@guard
def proposal_within_limitation(ctx: StepContext) -> Refusal:
    if not ctx.payload.get("penalties"):
        return None
    return _punitive_beyond_limitation(ctx, ctx.payload_penalties())


@guard
def punishment_within_limitation(ctx: StepContext) -> Refusal:
    return _punitive_beyond_limitation(ctx, stored_penalties(ctx, PenaltyStage.reviewed))


@guard
def proposal_recorded(ctx: StepContext) -> Refusal:
    return None if ctx.case.penalties_at(PenaltyStage.proposed) else {}


@guard
def collective_discussion_if_major(ctx: StepContext) -> Refusal:
    return {} if ctx.case.major_case else None


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
def return_order_reviewed(ctx: StepContext) -> Refusal:
    """不予行政处罚 but 责令退回 (`order_return`): the return is one 法制审核 reviewed, and there is a
    violation whose fund is to be returned (not where the facts are not established)."""
    if not ctx.payload.get("order_return"):
        return None
    ground = find_ground(ctx.library.no_penalty_grounds, ctx.payload.get("ground"))
    if ground is not None and "第五十七条第一款第（三）项" in ground.basis:
        return {"reason": f"{ground.name}的，不存在应当退回的医疗保障基金"}
    if not any(p.kind == RETURN for p in ctx.case.penalties_at(PenaltyStage.reviewed)):
        return {"reason": "经法制审核的处理内容中没有责令退回，请先变更拟处罚意见"}
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
