"""Creating and querying agencies, sections, users, post holdings and 执法证."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import groupby
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from caseflow.errors import InvalidInput, NotFound
from caseflow.org.actors import Actor, PostRef
from caseflow.org.models import Agency, EnforcementCredential, PostHolding, Section, User


def create_agency(
    *,
    db_session: Session,
    name: str,
    short_name: str,
    province: str,
    sections: list[str],
    hearing_threshold_individual: Decimal | None = None,
    hearing_threshold_organisation: Decimal | None = None,
) -> Agency:
    if db_session.scalar(select(Agency).where(Agency.name == name)):
        raise InvalidInput(f"行政机关「{name}」已存在。", details={"name": "名称重复"})
    agency = Agency(
        name=name,
        short_name=short_name,
        province=province,
        hearing_threshold_individual=hearing_threshold_individual,
        hearing_threshold_organisation=hearing_threshold_organisation,
    )
    agency.sections = [Section(name=s) for s in sections]
    db_session.add(agency)
    db_session.flush()
    return agency


def get_agency_by_name(*, db_session: Session, name: str) -> Agency:
    agency = db_session.scalar(select(Agency).where(Agency.name == name))
    if agency is None:
        raise NotFound(f"未找到行政机关「{name}」。")
    return agency


def get_section(*, db_session: Session, agency_id: int, name: str) -> Section:
    section = db_session.scalar(
        select(Section).where(Section.agency_id == agency_id, Section.name == name)
    )
    if section is None:
        raise NotFound(f"本机关没有「{name}」。")
    return section


def create_user(
    *,
    db_session: Session,
    agency: Agency,
    username: str,
    full_name: str,
    password_hash: str | None = None,
) -> User:
    if db_session.scalar(select(User).where(User.username == username)):
        raise InvalidInput(f"用户名「{username}」已被使用。", details={"username": "用户名重复"})
    user = User(agency=agency, username=username, full_name=full_name, password_hash=password_hash)
    db_session.add(user)
    db_session.flush()
    return user


def grant_post(
    *, db_session: Session, user: User, post: str, section_name: str | None
) -> PostHolding:
    """Give `user` the post `post` in `section_name` of their agency (None: agency-level post)."""
    section = (
        get_section(db_session=db_session, agency_id=user.agency_id, name=section_name)
        if section_name
        else None
    )
    holding = PostHolding(user=user, post=post, section=section)
    db_session.add(holding)
    db_session.flush()
    return holding


def issue_credential(
    *, db_session: Session, user: User, number: str, valid_from: date, valid_until: date
) -> EnforcementCredential:
    if valid_until < valid_from:
        raise InvalidInput("执法证有效期截止日早于起始日。", details={"valid_until": "截止日早于起始日"})
    cred = EnforcementCredential(
        user=user, number=number, valid_from=valid_from, valid_until=valid_until
    )
    db_session.add(cred)
    db_session.flush()
    return cred


def get_user(*, db_session: Session, user_id: int) -> User:
    user = db_session.scalars(
        select(User)
        .where(User.id == user_id)
        .options(joinedload(User.posts).joinedload(PostHolding.section))
    ).unique().one_or_none()
    if user is None or not user.is_active:
        raise NotFound("未找到该用户或该用户已停用。")
    return user


def get_user_by_username(*, db_session: Session, username: str) -> User:
    user = db_session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"未找到用户「{username}」。")
    return get_user(db_session=db_session, user_id=user.id)


_ACTOR_COLUMNS = (
    select(
        User.__table__.c.id, User.__table__.c.agency_id, User.__table__.c.username,
        User.__table__.c.full_name, User.__table__.c.is_active,
        PostHolding.__table__.c.post, Section.__table__.c.name.label("section_name"),
    )
    .select_from(
        User.__table__
        .outerjoin(PostHolding.__table__, PostHolding.__table__.c.user_id == User.__table__.c.id)
        .outerjoin(Section.__table__, Section.__table__.c.id == PostHolding.__table__.c.section_id)
    )
)
_ACTOR_ROWS = (_ACTOR_COLUMNS.where(User.__table__.c.id == bindparam("user_id"))
               .order_by(PostHolding.__table__.c.id))
_AGENCY_ACTOR_ROWS = (_ACTOR_COLUMNS.where(User.__table__.c.agency_id == bindparam("agency_id"),
                                           User.__table__.c.is_active.is_(True))
                      .order_by(User.__table__.c.id, PostHolding.__table__.c.id))


def _actor(rows: list[Any]) -> Actor:
    first = rows[0]
    return Actor(
        id=first.id, agency_id=first.agency_id, username=first.username, full_name=first.full_name,
        posts=tuple(PostRef(r.post, r.section_name) for r in rows if r.post is not None),
    )


def load_actor(*, db_session: Session, user_id: int) -> Actor:
    """The acting user and their posts, in one prebuilt query (the hot path of every step)."""
    rows = db_session.connection().execute(_ACTOR_ROWS, {"user_id": user_id}).all()
    if not rows or not rows[0].is_active:
        raise NotFound("未找到该用户或该用户已停用。")
    return _actor(rows)


def agency_actors(*, db_session: Session, agency_id: int) -> list[Actor]:
    """The agency's active users with their posts, in one query (who may take a step, for a page
    that lists every step of a case)."""
    rows = db_session.connection().execute(_AGENCY_ACTOR_ROWS, {"agency_id": agency_id}).all()
    return [_actor(list(group)) for _, group in groupby(rows, key=lambda r: r.id)]




def holds_post(user: User | Actor, post: str, section_name: str | None) -> bool:
    """True when `user` holds `post` in the section named (any section's holding counts if None)."""
    return any(
        h.post == post and (section_name is None or h.section_name == section_name)
        for h in user.posts
    )


def describe_posts(user: User | Actor) -> list[str]:
    return [f"{h.section_name}·{h.post}" if h.section_name else h.post for h in user.posts]


def resolve_agency_id(*, db_session: Session, agency: str | None = None, username: str | None = None) -> int:
    """The agency a command acts for: the user's, the one named, or the only one there is."""
    if username:
        return get_user_by_username(db_session=db_session, username=username).agency_id
    stmt = select(Agency.id, Agency.name).order_by(Agency.id)
    rows = list(db_session.execute(stmt.where(Agency.name == agency) if agency else stmt))
    if agency and not rows:
        raise NotFound(f"未找到机关「{agency}」。")
    if not rows:
        raise NotFound("数据库中还没有机关：请先运行 caseflow demo 或建立机关。")
    if len(rows) > 1:
        names = "、".join(r.name for r in rows)
        raise InvalidInput(f"有多个机关（{names}），请用 --agency 或 --as 指定。", details={"agency": "须指定"})
    return int(rows[0].id)


def set_agency_settings(*, db_session: Session, agency: Agency, raw: dict[str, object]) -> None:
    """Validate and store an agency's settings; only limits the sources leave open may be set."""
    from caseflow.org.settings import check_limits, read_settings
    from caseflow.workflow.registry import get_library

    settings = read_settings(raw)
    check_limits(settings, get_library().deadlines)
    agency.settings = settings.model_dump(mode="json")
