"""Registering parties with validated identifiers; an existing party is reused, never duplicated."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.errors import InvalidInput
from caseflow.parties.identifiers import normalise_ric, normalise_uscc
from caseflow.parties.models import Party, PartyKind
from caseflow.db.text import line


def register_party(
    *,
    db_session: Session,
    agency_id: int,
    kind: PartyKind | str,
    name: str,
    address: str,
    uscc: str | None = None,
    legal_representative: str | None = None,
    id_number: str | None = None,
    phone: str | None = None,
    name_change: str | None = None,
) -> Party:
    """Validate and store a party; returns the existing row when the identifier is known.

    When the identifier is known under another name, the person must say which stands
    (`name_change`): "registered" — the name on record (the typed one was a slip), or "typed" — the
    party has changed its name: the record takes the new one and `renamed_from` tells the old.
    Without it the typed name is never silently dropped: PARTY_NAME_DIFFERS names the registered one.
    """
    kind = PartyKind(kind)
    errors: dict[str, str] = {}
    name, address, legal_representative, phone = (
        line(name, "name", 200, errors), line(address, "address", 300, errors),
        line(legal_representative, "legal_representative", 50, errors), line(phone, "phone", 40, errors))
    if not name:
        errors.setdefault("name", "请填写当事人名称或姓名")
    if not address:
        errors.setdefault("address", "请填写当事人地址")
    if kind is PartyKind.organisation:
        if not uscc:
            errors["uscc"] = "法人或者其他组织须填写统一社会信用代码"
        if not legal_representative:
            errors.setdefault("legal_representative", "法人或者其他组织须填写法定代表人（负责人）")
    elif not id_number:
        errors["id_number"] = "公民须填写居民身份证号"
    if errors:
        raise InvalidInput("当事人信息不完整：" + "；".join(errors.values()) + "。", details=errors)

    # A party is known by its identifier within the agency: 统一社会信用代码 or 居民身份证号.
    if kind is PartyKind.organisation:
        key, column = {"uscc": normalise_uscc(uscc or "")}, Party.uscc
        extra = {"legal_representative": legal_representative}
    else:
        key, column = {"id_number": normalise_ric(id_number or "")}, Party.id_number
        extra = {}
    existing = db_session.scalar(
        select(Party).where(Party.agency_id == agency_id, column == next(iter(key.values())))
    )
    if existing:
        return _same_name(existing, name, name_change)
    party = Party(agency_id=agency_id, kind=kind, name=name, address=address, phone=phone,
                  **key, **extra)
    db_session.add(party)
    db_session.flush()
    return party


NAME_CHANGES = {"registered": "以登记的名称为准", "typed": "当事人已更名，以本次填写的名称更新登记"}


def _same_name(existing: Party, typed: str, name_change: str | None) -> Party:
    if typed == existing.name or name_change == "registered":
        return existing
    if name_change == "typed":
        existing.renamed_from, existing.name = existing.name, typed
        return existing
    label = "统一社会信用代码" if existing.kind is PartyKind.organisation else "居民身份证号"
    raise InvalidInput(
        f"该{label}已登记为「{existing.name}」，与填写的「{typed}」不同：请确认以登记的名称为准，"
        "或登记当事人的名称变更。", code="PARTY_NAME_DIFFERS",
        details={"name": f"已登记为「{existing.name}」", "name_change": "请选择：" + "，或".join(NAME_CHANGES.values())})
