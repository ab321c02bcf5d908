"""Guards about who acts: the post (岗位), 回避, the written opinion, typed times, two officers
with valid 执法证, the 法制审核 reviewer not an investigator.
"""

from __future__ import annotations

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import Session

from caseflow.cases.act_times import PARTY_FILING_FIELDS, TIME_FIELDS, check_in_order
from caseflow.cases.context import NOT_LOADED, StepContext
from caseflow.cases.guards.base import Refusal, _case_party_ids, _decl, guard
from caseflow.cases.models import CaseOfficer, CaseParty, InterestDeclaration
from caseflow.cases.posts import post_label, required_post
from caseflow.legal_time import SHANGHAI
from caseflow.org.models import EnforcementCredential, User
from caseflow.org.service import describe_posts, holds_post


@guard
def actor_holds_post(ctx: StepContext) -> Refusal:
    t = ctx.transition
    assert t is not None
    post, section = required_post(ctx.case, t)
    if ctx.actor.agency_id != ctx.case.agency_id or not holds_post(ctx.actor, post, section):
        return {"step": t.name, "required": post_label(post, section),
                "held": "、".join(describe_posts(ctx.actor)) or "无"}
    return None


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


def declaration_on_case(db_session: Session, *, user_id: int, case_id: int) -> int | None:
    """The id of the user's interest declaration on a party of the case, if any (read once by
    `available_actions` for all the steps it judges, by `fire` with the case row)."""
    return db_session.connection().execute(  # type: ignore[no-any-return]
        _ACTOR_DECLARATION, {"user_id": user_id, "case_id": case_id}).scalar()


@guard
def actor_not_recused(ctx: StepContext) -> Refusal:
    if ctx.declared_interest_id is not NOT_LOADED:
        decl_id = ctx.declared_interest_id
    else:
        decl_id = declaration_on_case(ctx.db_session, user_id=ctx.actor.id, case_id=ctx.case.id)
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
    """Every time typed with the step (a real date: the declared inputs typed it) is after the event
    the act depends on (the case entering its current state) and not in the future; raises its own
    refusal with the field."""
    typed = {k: v for k, v in ctx.payload.items() if k in TIME_FIELDS and v is not None}
    if not typed:
        return None
    for key, raw in typed.items():
        # A party's filing answers the 告知书: it follows the case entering 告知, not the current state.
        state = ANSWERS_NOTICE if key in PARTY_FILING_FIELDS and ANSWERS_NOTICE in ctx.procedure.states \
            else ctx.case.state
        labels = {i.name: i.label for i in ctx.transition.inputs} if ctx.transition else {}
        check_in_order(raw, key, after=ctx.entered_state_at(state), label=labels.get(key),
                       after_what=f"案件进入「{ctx.procedure.state_name(state)}」", now=ctx.at)
    return None


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
def reviewer_not_investigator(ctx: StepContext) -> Refusal:
    for o in ctx.case.active_officers():
        if o.user_id == ctx.actor.id:
            return {"role": o.role.label}
    return None
