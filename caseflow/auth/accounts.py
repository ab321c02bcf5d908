"""Account management: adding a user with posts and a 执法证, changing posts, issuing and revoking
执法证, disabling and enabling — each change audited (caseflow/auth/audit.py). Passwords are in
caseflow/auth/password_changes.py.

A post is offered as its label, 「股室·岗位」 or 「局负责人」: the posts the procedures in
`workflows/` name (in the sections the agency has), 股长 of each section, and 局负责人. Posts the
procedures never name would let nobody do anything, so they are refused. A manager cannot disable
their own account nor take away their own 局负责人 post (the agency would be left without one who
manages accounts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from caseflow.auth import audit
from caseflow.auth.audit import By
from caseflow.auth.passwords import hash_password, one_time_password
from caseflow.auth.policy import check_username
from caseflow.auth.service import end_sessions
from caseflow.errors import InvalidInput, NotFound
from caseflow.org.models import Agency, EnforcementCredential, PostHolding, Section, User
from caseflow.org.service import create_user, grant_post, issue_credential
from caseflow.workflow.registry import get_library

HEAD_POST = "局负责人"
SECTION_HEAD_POST = "股长"


@dataclass(frozen=True)
class PostChoice:
    post: str
    section: str | None

    @property
    def label(self) -> str:
        return f"{self.section}·{self.post}" if self.section else self.post


@dataclass(frozen=True)
class NewCredential:
    number: str
    valid_from: date
    valid_until: date


def post_choices(*, db_session: Session, agency_id: int) -> list[PostChoice]:
    """The posts a user of this agency may be given, 局负责人 first, then section by section."""
    sections = list(db_session.scalars(select(Section.name).where(Section.agency_id == agency_id)
                                       .order_by(Section.id)))
    named: list[PostChoice] = []
    for proc in get_library().procedures.values():
        for t in proc.transitions:
            choice = PostChoice(t.post, t.section)
            if choice not in named and (t.section is None or t.section in sections):
                named.append(choice)
    out = [PostChoice(HEAD_POST, None)]
    for section in sections:
        out += [c for c in named if c.section == section] + [PostChoice(SECTION_HEAD_POST, section)]
    return out + [c for c in named if c.section is None and c not in out]


def parse_posts(*, db_session: Session, agency_id: int, labels: Sequence[str]) -> list[PostChoice]:
    choices = {c.label: c for c in post_choices(db_session=db_session, agency_id=agency_id)}
    chosen: list[PostChoice] = []
    for raw in labels:
        label = raw.strip().replace("/", "·").replace("／", "·")
        if label not in choices:
            raise InvalidInput(f"没有「{raw}」这个岗位；可选：{'、'.join(choices)}。",
                               code="POST_UNKNOWN", details={"posts": f"没有「{raw}」这个岗位"})
        if choices[label] not in chosen:
            chosen.append(choices[label])
    return chosen


def get_account(*, db_session: Session, user_id: int, agency_id: int | None) -> User:
    """A user of the agency (None: of any agency), disabled ones included."""
    user = db_session.scalar(select(User).where(User.id == user_id).options(
        selectinload(User.posts).selectinload(PostHolding.section), selectinload(User.credentials)))
    if user is None or (agency_id is not None and user.agency_id != agency_id):
        raise NotFound("未找到该用户。")
    return user


def get_account_by_username(*, db_session: Session, username: str) -> User:
    user_id = db_session.scalar(select(User.id).where(User.username == username.strip()))
    if user_id is None:
        raise NotFound(f"未找到用户「{username}」。")
    return get_account(db_session=db_session, user_id=user_id, agency_id=None)


def list_accounts(*, db_session: Session, agency_id: int | None) -> list[User]:
    stmt = select(User).order_by(User.agency_id, User.id).options(
        selectinload(User.posts).selectinload(PostHolding.section), selectinload(User.credentials),
        selectinload(User.agency))
    return list(db_session.scalars(stmt if agency_id is None else stmt.where(User.agency_id == agency_id)))


def add_user(*, db_session: Session, agency_id: int, username: str, full_name: str,
             posts: Sequence[str], credential: NewCredential | None, by: By) -> tuple[User, str]:
    """A new user with posts and (optionally) a 执法证, and the one-time password they log in with
    first (shown once, never stored: they must change it at once)."""
    password = one_time_password()
    password_hash = hash_password(password)  # before the first query: no lock held meanwhile
    username = check_username(username.strip())
    full_name = full_name.strip()
    if not full_name:
        raise InvalidInput("请填写姓名。", details={"full_name": "必填"})
    chosen = parse_posts(db_session=db_session, agency_id=agency_id, labels=posts)
    agency = db_session.get(Agency, agency_id)
    if agency is None:
        raise NotFound("未找到该机关。")
    user = create_user(db_session=db_session, agency=agency, username=username, full_name=full_name,
                       password_hash=password_hash)
    user.must_change_password = True
    for c in chosen:
        grant_post(db_session=db_session, user=user, post=c.post, section_name=c.section)
    audit.record(db_session=db_session, subject=user, action="created", by=by,
                 detail={"posts": [c.label for c in chosen]})
    if credential:
        add_credential(db_session=db_session, agency_id=agency_id, user_id=user.id,
                       credential=credential, by=by)
    return user, password


def set_posts(*, db_session: Session, agency_id: int, user_id: int, posts: Sequence[str], by: By) -> User:
    user = get_account(db_session=db_session, user_id=user_id, agency_id=agency_id)
    chosen = parse_posts(db_session=db_session, agency_id=agency_id, labels=posts)
    current = {PostChoice(h.post, h.section_name): h for h in user.posts}
    removed = [c for c in current if c not in chosen]
    if by.user_id == user.id and PostChoice(HEAD_POST, None) in removed:
        raise InvalidInput("不能取消自己的局负责人岗位（否则本机关可能无人管理账号）。",
                           code="ACCOUNT_SELF", details={"posts": "不能取消自己的局负责人岗位"})
    if not removed and len(chosen) == len(current):
        return user
    for c in removed:
        db_session.execute(delete(PostHolding).where(PostHolding.id == current[c].id))
    for c in chosen:
        if c not in current:
            grant_post(db_session=db_session, user=user, post=c.post, section_name=c.section)
    db_session.expire(user, ["posts"])
    audit.record(db_session=db_session, subject=user, action="posts_changed", by=by,
                 detail={"posts": [c.label for c in chosen], "removed": [c.label for c in removed]})
    return user


def add_credential(*, db_session: Session, agency_id: int, user_id: int, credential: NewCredential,
                   by: By) -> EnforcementCredential:
    user = get_account(db_session=db_session, user_id=user_id, agency_id=agency_id)
    number = credential.number.strip()
    if not number or len(number) > 40:
        raise InvalidInput("执法证号须为1至40个字符。", details={"credential_number": "须为1至40个字符"})
    if db_session.scalar(select(EnforcementCredential.id).where(EnforcementCredential.number == number)):
        raise InvalidInput(f"执法证号「{number}」已登记。", code="CREDENTIAL_NUMBER_TAKEN",
                           details={"credential_number": "该证号已登记"})
    cred = issue_credential(db_session=db_session, user=user, number=number,
                            valid_from=credential.valid_from, valid_until=credential.valid_until)
    audit.record(db_session=db_session, subject=user, action="credential_issued", by=by,
                 detail={"credential": number, "valid": f"{cred.valid_from}至{cred.valid_until}"})
    return cred


def revoke_credential(*, db_session: Session, agency_id: int, user_id: int, credential_id: int, by: By) -> None:
    user = get_account(db_session=db_session, user_id=user_id, agency_id=agency_id)
    cred = next((c for c in user.credentials if c.id == credential_id), None)
    if cred is None:
        raise NotFound("未找到该执法证。")
    if cred.revoked:
        return
    cred.revoked = True
    audit.record(db_session=db_session, subject=user, action="credential_revoked", by=by,
                 detail={"credential": cred.number})


def disable(*, db_session: Session, agency_id: int | None, user_id: int, by: By, reason: str = "") -> User:
    """Disable an account: it cannot log in, and its sessions end at once, on every process."""
    user = get_account(db_session=db_session, user_id=user_id, agency_id=agency_id)
    if by.user_id == user.id:
        raise InvalidInput("不能停用自己的账号。", code="ACCOUNT_SELF", details={"user": "不能停用自己"})
    if not user.is_active:
        return user
    user.is_active = False
    end_sessions(db_session=db_session, user_id=user.id)
    audit.record(db_session=db_session, subject=user, action="disabled", by=by,
                 detail={"reason": reason.strip()[:200]} if reason.strip() else None)
    return user


def enable(*, db_session: Session, agency_id: int | None, user_id: int, by: By) -> User:
    user = get_account(db_session=db_session, user_id=user_id, agency_id=agency_id)
    if not user.is_active:
        user.is_active = True
        audit.record(db_session=db_session, subject=user, action="enabled", by=by)
    return user
