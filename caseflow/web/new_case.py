"""Registering a case from the page or the API: the party (checked identifiers), the case under a
catalog item, its officers — one unit of work, through the party and case services."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.cases import service as case_service
from caseflow.cases.models import Case, OfficerRole, PartyRole
from caseflow.errors import InvalidInput
from caseflow.org.models import PostHolding, User
from caseflow.parties.service import register_party
from caseflow.web.deps import Viewer


def _party_errors(exc: InvalidInput) -> dict[str, str]:
    return {f"party.{k}": v for k, v in (exc.details or {}).items()}


def create_case(*, db_session: Session, viewer: Viewer, item_key: str, title: str,
                party: dict[str, Any], officers: list[tuple[str, str]], source: str | None = None) -> Case:
    """`officers`: (username, "lead" | "assistant"); unknown or other agencies' users are refused
    field by field, like the party's data."""
    errors: dict[str, str] = {}
    if not item_key.strip():
        errors["item_key"] = "请选择事项"
    if not title.strip():
        errors["title"] = "请填写案由"
    users: list[tuple[User, OfficerRole]] = []
    for i, (username, role) in enumerate(officers):
        if not username:
            continue
        user = db_session.scalar(select(User).where(User.username == username,
                                                    User.agency_id == viewer.agency_id))
        if user is None:
            errors[f"officers[{i}]"] = f"本机关没有用户「{username}」"
        elif any(u.id == user.id for u, _ in users):
            errors[f"officers[{i}]"] = "承办人员重复"
        else:
            users.append((user, OfficerRole(role)))
    if users and sum(r is OfficerRole.lead for _, r in users) != 1:
        errors["officers"] = "须指定一名承办人"
    p, code = None, None
    try:
        p = register_party(db_session=db_session, agency_id=viewer.agency_id, **party)
    except InvalidInput as exc:
        errors.update(_party_errors(exc) or {"party": exc.message})
        code = exc.code  # e.g. PARTY_NAME_DIFFERS: the form asks which name stands
    if errors:
        raise InvalidInput("立案信息有误：" + "；".join(errors.values()) + "。", details=errors, code=code)
    assert p is not None
    return case_service.open_case(
        db_session=db_session, actor=viewer.actor, item_key=item_key.strip(), title=title,
        parties=[(p, PartyRole.principal)], officers=users, source=source or None,
        record={"party_renamed_from": p.renamed_from} if p.renamed_from else None,
    )


def officer_choices(*, db_session: Session, agency_id: int) -> list[dict[str, str]]:
    """Users of the agency who may investigate (调查岗/执行岗) first, then the rest."""
    rows = db_session.execute(
        select(User.username, User.full_name, PostHolding.post)
        .outerjoin(PostHolding, PostHolding.user_id == User.id)
        .where(User.agency_id == agency_id, User.is_active.is_(True)).order_by(User.id)
    )
    seen: dict[str, dict[str, str]] = {}
    for username, name, post in rows:
        entry = seen.setdefault(username, {"username": username, "name": name, "posts": ""})
        if post:
            entry["posts"] = "、".join(x for x in (entry["posts"], post) if x)
    people = list(seen.values())
    first = [p for p in people if "调查岗" in p["posts"] or "执行岗" in p["posts"]]
    return first + [p for p in people if p not in first]
