"""更换承办人员 and 回避申请: the 局负责人 replaces an officer of an open case, or decides a party's
application that an officer withdraw (《行政处罚法》第四十二条、第四十三条).

- `replace_officer` removes an active officer (the row keeps `removed_at`) and assigns a successor
  of the same role through `assign_officer` (same agency, not on the case yet, no declared interest,
  a valid 执法证). Without a successor at least two officers must remain, the 承办人 among them
  (第四十二条：执法人员不得少于两人).
- `decide_recusal_application` records the decision on a party's 回避申请 (第四十三条第三款: the head
  of the agency decides; 决定作出之前，不停止调查 — the case is never suspended by it). Granted, the
  officer leaves the case, an interest declaration for the applying party makes guard
  `actor_not_recused` refuse them every step of the party's cases, and a successor joins under the
  same rule as above. Refused, the audit event is all that is written.

Both run in the caller's unit of work: the checks come first, so bad input or a refusal changes
nothing; the changes and their audit events are committed together. `expected_version` is the case
version the 局负责人 saw; the audit event's version-checked UPDATE catches a race after that.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from caseflow.cases.models import (
    Case,
    CaseEvent,
    CaseOfficer,
    CaseParty,
    InterestDeclaration,
    OfficerRole,
)
from caseflow.cases.rules import refuse
from caseflow.cases.audit import append_event
from caseflow.cases.lookup import get_case
from caseflow.cases.opening import assign_officer, declared_interest
from caseflow.db.base import utcnow
from caseflow.errors import Conflict, InvalidInput
from caseflow.legal_time import SHANGHAI
from caseflow.org.actors import Actor
from caseflow.org.models import EnforcementCredential, User
from caseflow.org.service import describe_posts, holds_post, load_actor

HEAD_POST = "局负责人"
MIN_OFFICERS = 2  # 《行政处罚法》第四十二条：执法人员不得少于两人
REASON_MAX = 200

REPLACE = "replace_officer"
RECUSAL = "decide_recusal"


@dataclass
class OfficerChange:
    """What a decision changed: the officer who left (None when a 回避申请 was refused), the
    successor (if any) and the number of the decision's audit event."""

    case: Case
    removed: CaseOfficer | None
    added: CaseOfficer | None
    event_seq: int


def replace_officer(
    *, db_session: Session, case_no: str, actor_id: int, remove: str, add: str | None, reason: str,
    expected_version: int | None = None, at: datetime | None = None,
) -> OfficerChange:
    """The 局负责人 takes officer `remove` (username) off the case and assigns `add` (username) in
    the same role; `add` may be left out only if two officers, the 承办人 among them, remain."""
    at, actor, case = _begin(db_session, case_no, actor_id, expected_version, at, what="更换承办人员")
    text = _reason(reason, field="reason", label="更换理由")
    leaving = _active_officer(case, remove, field="remove")
    successor = _successor(db_session, case, leaving, add, field="add", day=_day(at))
    with _all_or_nothing(db_session):
        leaving.removed_at = at
        event = append_event(
            db_session=db_session, case=case, actor=actor, trigger=REPLACE,
            trigger_name="更换承办人员" if successor else "调离承办人员", from_state=case.state,
            to_state=case.state, at=at, post=HEAD_POST, opinion=text, payload=_removal(leaving, successor),
        )
        added = _assign(db_session, case, successor, leaving.role, actor, at)
    return OfficerChange(case=case, removed=leaving, added=added, event_seq=event.seq)


def decide_recusal_application(
    *, db_session: Session, case_no: str, actor_id: int, officer: str, applicant: str, granted: bool,
    reason: str, replacement: str | None = None, expected_version: int | None = None,
    at: datetime | None = None,
) -> OfficerChange:
    """The 局负责人 decides a party's (`applicant`, by name) 回避申请 against officer `officer`
    (username): granted, the officer leaves the case for `replacement`; refused, only the event."""
    at, actor, case = _begin(db_session, case_no, actor_id, expected_version, at, what="回避申请")
    text = _reason(reason, field="reason", label="决定理由")
    party = _applicant(case, applicant)
    named = _active_officer(case, officer, field="officer")
    payload = {"applicant": party.party.name, "officer": named.user.full_name,
               "officer_username": named.user.username, "role": named.role.label,
               "decision": "准予回避" if granted else "驳回申请"}
    if not granted:
        if (replacement or "").strip():
            raise InvalidInput("驳回回避申请时无须指定接替人员。", details={"replacement": "驳回申请时不填"})
        event = append_event(
            db_session=db_session, case=case, actor=actor, trigger=RECUSAL,
            trigger_name="驳回回避申请", from_state=case.state, to_state=case.state, at=at,
            post=HEAD_POST, opinion=text, payload=payload,
        )
        return OfficerChange(case=case, removed=None, added=None, event_seq=event.seq)
    successor = _successor(db_session, case, named, replacement, field="replacement", day=_day(at))
    declared = declared_interest(db_session, named.user_id, [party.party_id]) is not None
    with _all_or_nothing(db_session):
        named.removed_at = at
        if not declared:
            db_session.add(InterestDeclaration(
                user_id=named.user_id, party_id=party.party_id, declared_at=at,
                reason=f"当事人申请回避，{HEAD_POST}决定回避（{case.case_no}）：{text}"[:300],
            ))
        event = append_event(  # flushes the removal and the declaration first
            db_session=db_session, case=case, actor=actor, trigger=RECUSAL,
            trigger_name="决定回避", from_state=case.state, to_state=case.state, at=at,
            post=HEAD_POST, opinion=text, payload={**payload, **_removal(named, successor)},
        )
        added = _assign(db_session, case, successor, named.role, actor, at)
    return OfficerChange(case=case, removed=named, added=added, event_seq=event.seq)


def successor_candidates(*, db_session: Session, case: Case, at: datetime | None = None) -> list[User]:
    """Who may be named successor on the case now: active users of its agency not on it, holding a
    执法证 valid today, without a declared interest in any of its parties (what `_successor` checks)."""
    day = _day(at or utcnow())
    on_case = [o.user_id for o in case.active_officers()]
    party_ids = [cp.party_id for cp in case.parties]
    stmt = (
        select(User).where(
            User.agency_id == case.agency_id, User.is_active.is_(True), User.id.not_in(on_case),
            _holds_valid_credential(User.id, day),
            ~exists().where(InterestDeclaration.user_id == User.id,
                            InterestDeclaration.party_id.in_(party_ids)),
        ).order_by(User.id)
    )
    return list(db_session.scalars(stmt))


def removal_reasons(events: list[CaseEvent]) -> dict[int, str]:
    """{case officer id: why they left the case}, read from the decisions' audit events."""
    out: dict[int, str] = {}
    for e in events:
        officer_id = (e.payload or {}).get("removed_officer_id")
        if e.trigger in (REPLACE, RECUSAL) and officer_id is not None:
            out[int(officer_id)] = f"{e.trigger_name}：{e.opinion}" if e.opinion else e.trigger_name
    return out


# ── checks, all made before anything changes ─────────────────────────────
def _begin(db_session: Session, case_no: str, actor_id: int, expected_version: int | None,
           at: datetime | None, *, what: str) -> tuple[datetime, Actor, Case]:
    at = at or utcnow()
    if at.tzinfo is None:
        raise InvalidInput("时间须带时区。", details={"at": "须带时区"})
    actor = load_actor(db_session=db_session, user_id=actor_id)
    case = get_case(db_session=db_session, case_no=case_no, agency_id=actor.agency_id)
    if not holds_post(actor, HEAD_POST, None):
        raise refuse("head_decides_on_officers", step=what, required=HEAD_POST,
                     held="、".join(describe_posts(actor)) or "无")
    if expected_version is not None and case.version != expected_version:
        raise Conflict(f"案件{case.case_no}已被他人修改（版本{case.version}），请刷新后重试。")
    if case.closed_at is not None or case.archived_at is not None:
        done = "已归档" if case.archived_at is not None else "已结案"
        raise refuse("case_open_for_officers", case_no=case.case_no, done=done, what=what)
    return at, actor, case


def _reason(value: str | None, *, field: str, label: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"请填写{label}。", details={field: "不能为空"})
    if len(text) > REASON_MAX:
        raise InvalidInput(f"{label}不超过{REASON_MAX}字。", details={field: f"不超过{REASON_MAX}字"})
    return text


def _active_officer(case: Case, username: str | None, *, field: str) -> CaseOfficer:
    name = (username or "").strip()
    if not name:
        raise InvalidInput("请选择本案的承办人员。", details={field: "不能为空"})
    found = next((o for o in case.active_officers() if o.user.username == name), None)
    if found is None:
        raise InvalidInput(f"「{name}」不是本案在办的承办人员。", details={field: "不是本案在办的承办人员"})
    return found


def _applicant(case: Case, name: str | None) -> CaseParty:
    text = (name or "").strip()
    found = next((cp for cp in case.parties if cp.party.name == text), None)
    if found is None:
        names = "、".join(cp.party.name for cp in case.parties)
        raise InvalidInput(f"申请人须为本案当事人（{names}）。", details={"applicant": "须为本案当事人"})
    return found


def _successor(db_session: Session, case: Case, leaving: CaseOfficer, username: str | None, *,
               field: str, day: date) -> User | None:
    """The successor named, checked as `assign_officer` will check them and for a valid 执法证;
    or None if the case may do without one."""
    name = (username or "").strip()
    if not name:
        remaining = [o for o in case.active_officers() if o is not leaving]
        if len(remaining) < MIN_OFFICERS:
            raise refuse("officers_at_least_two", officer=leaving.user.full_name,
                         details={field: "须指定接替人员"})
        if leaving.role is OfficerRole.lead and not any(o.role is OfficerRole.lead for o in remaining):
            raise refuse("lead_officer_kept", officer=leaving.user.full_name, details={field: "须指定接替人员"})
        return None
    user = db_session.scalar(select(User).where(User.username == name, User.agency_id == case.agency_id))
    if user is None or not user.is_active:
        raise InvalidInput(f"本机关没有在职的用户「{name}」。", details={field: "须为本机关在职人员"})
    if user.id == leaving.user_id or any(o.user_id == user.id for o in case.active_officers()):
        raise InvalidInput(f"{user.full_name}已是本案承办人员。", details={field: "已是本案承办人员"})
    party_ids = [cp.party_id for cp in case.parties]
    decl = declared_interest(db_session, user.id, party_ids)
    if decl is not None:
        raise refuse("actor_not_recused", who=user.full_name, party=decl.party.name, reason=decl.reason,
                     details={field: "已申报回避"})
    if not _credential_valid(db_session, user.id, day):
        raise refuse("successor_credential_valid", officer=user.full_name, details={field: "无有效执法证"})
    return user


def _holds_valid_credential(user_id: Any, day: date) -> Any:
    """SQL: the user holds a 执法证 valid on `day` (a column for many users, an id for one)."""
    cred = EnforcementCredential
    return exists().where(cred.user_id == user_id, cred.revoked.is_(False),
                          cred.valid_from <= day, cred.valid_until >= day)


def _credential_valid(db_session: Session, user_id: int, day: date) -> bool:
    return bool(db_session.scalar(select(_holds_valid_credential(user_id, day))))


def _day(at: datetime) -> date:
    return at.astimezone(SHANGHAI).date()


# ── the changes ──────────────────────────────────────────────────────────
@contextmanager
def _all_or_nothing(db_session: Session) -> Iterator[None]:
    """Once the changes begin, a failure (a lost race on the case version) rolls back the caller's
    whole transaction, as `fire` does: a decision is never half-written."""
    try:
        yield
    except BaseException:
        db_session.rollback()
        raise


def _removal(leaving: CaseOfficer, successor: User | None) -> dict[str, object]:
    return {"removed_officer_id": leaving.id, "officer": leaving.user.full_name,
            "officer_username": leaving.user.username, "role": leaving.role.label,
            "replacement": successor.full_name if successor else None,
            "replacement_username": successor.username if successor else None}


def _assign(db_session: Session, case: Case, successor: User | None, role: OfficerRole, actor: Actor,
            at: datetime) -> CaseOfficer | None:
    if successor is None:
        return None
    return assign_officer(db_session=db_session, case=case, user=successor, role=role, actor=actor, at=at)


__all__ = [
    "OfficerChange", "decide_recusal_application", "removal_reasons", "replace_officer",
    "successor_candidates",
]
