"""Whether proposed penalties are what the case's catalog entry allows: each penalty must rest on
one of the entry's legal bases, be a measure that basis provides for its target, and — for fines
and time-bound measures — lie inside the basis' range for this case. This closes the 追责情形
"擅自改变行政处罚种类、幅度".

The entry is the snapshot the case was opened under, never the current catalog file. The base of a
multiple (骗取金额, 造成损失金额) is the amount the case records, never a number sent with the
penalty; 责令退回 may not exceed the recorded amount it returns (《医疗保障基金使用监督管理条例》
第三十七条、第三十八条、第四十条、第四十一条: 退回 what was 骗取 or lost, no more).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from caseflow.catalog.model import (
    PARTY,
    PRINCIPAL_OFFICER,
    RESPONSIBLE_PERSON,
    CatalogItem,
    LegalBasis,
    PenaltyOption,
)

TARGET_LABELS = {PARTY: "当事人", RESPONSIBLE_PERSON: "直接负责的主管人员和其他直接责任人员",
                 PRINCIPAL_OFFICER: "法定代表人或者主要负责人"}
from caseflow.catalog.ranges import check_amount, check_months, format_yuan

# Which amount of the case a multiple-based fine is counted from, by the base the article names.
CASE_AMOUNT_OF_BASE = {
    "骗取金额": "amount_defrauded",
    "造成损失金额": "amount_loss",
}


def basis_of(item: CatalogItem, text: str) -> LegalBasis | None:
    """The entry's basis a penalty cites: its citation (《…》第…条) begins the text, or the text is
    the bare article (第四十条) of exactly one basis."""
    text = text.strip()
    for basis in item.bases:
        if basis.article and text.startswith(basis.citation):
            return basis
    bare = [b for b in item.bases if b.article and text == b.article]
    return bare[0] if len(bare) == 1 else None


# 责令退回 returns what the case records as taken from the fund: by the base its basis names.
RETURN = "责令退回"
AMOUNT_LABELS = {"amount_defrauded": "骗取金额", "amount_loss": "造成医疗保障基金损失金额"}


def _base_amount(option: PenaltyOption, case_amounts: Mapping[str, Decimal | None]) -> Decimal | None:
    field = CASE_AMOUNT_OF_BASE.get(option.base or "")
    return case_amounts.get(field) if field else None


def _return_field(basis: LegalBasis, option: PenaltyOption) -> str | None:
    """The case amount a 责令退回 of this basis is bounded by: the one its wording or its basis'
    fine names (骗取 → 骗取金额; 损失 → 造成损失金额)."""
    words = f"{option.base or ''}{option.condition or ''}{option.text}"
    if "骗取" in words:
        return "amount_defrauded"
    if "损失" in words:
        return "amount_loss"
    for other in basis.options:
        if field := CASE_AMOUNT_OF_BASE.get(other.base or ""):
            return field
    return None


def return_bound(basis: LegalBasis, option: PenaltyOption,
                 case_amounts: Mapping[str, Decimal | None]) -> tuple[str, Decimal] | None:
    """(label, amount) of the recorded amount a 责令退回 may not exceed; when the amount its basis
    names is not recorded, the other recorded one (a 骗取 is also a 损失 of the fund). None: none
    recorded."""
    field = _return_field(basis, option)
    order = [field] if field else []
    order += [f for f in AMOUNT_LABELS if f not in order]
    for f in order:
        value = case_amounts.get(f)
        if value is not None:
            return AMOUNT_LABELS[f], value
    return None


def return_bound_text(basis: LegalBasis, option: PenaltyOption,
                      case_amounts: Mapping[str, Decimal | None]) -> str:
    """How far a 责令退回 of this basis may go in this case, in words (the lawful-range view)."""
    bound = return_bound(basis, option, case_amounts)
    if bound is None:
        return "以本案认定的骗取金额或造成损失金额为限（尚未认定）"
    return f"不超过本案认定的{bound[0]}{format_yuan(bound[1])}（{basis.citation}）"


def _return_problem(basis: LegalBasis, option: PenaltyOption, p: Mapping[str, object],
                    case_amounts: Mapping[str, Decimal | None]) -> str | None:
    amount = p.get("amount")
    if not isinstance(amount, Decimal):
        return f"{RETURN}须填写金额"
    bound = return_bound(basis, option, case_amounts)
    if bound is None:
        return f"{RETURN}须以案件认定的骗取金额或造成损失金额为限，本案尚未认定该金额（{basis.citation}）"
    label, limit = bound
    if amount > limit:
        return (f"{RETURN}{format_yuan(amount)}超过本案认定的{label}{format_yuan(limit)}，"
                f"只能责令退回已认定的金额（{basis.citation}）")
    return None


def problems(item: CatalogItem, penalties: list[Mapping[str, object]], *,
             targets: Mapping[int, str], case_amounts: Mapping[str, Decimal | None],
             mitigated: bool = False) -> list[str]:
    """Chinese reasons, one per penalty that the entry does not allow (empty: all lawful).
    `mitigated`: 减轻处罚 on a ground of 《行政处罚法》第三十二条 — below the lower bound is allowed.

    `penalties` are validated penalty dicts (kind, amount, months, basis, party_id);
    `targets` maps party ids to PARTY or RESPONSIBLE_PERSON; `case_amounts` are the amounts the
    case records (amount_defrauded, amount_loss): the bases of multiples and of 责令退回.
    """
    cited = "、".join(b.citation for b in item.bases if b.article) or "无"
    out: list[str] = []
    for p in penalties:
        kind = str(p["kind"])
        basis = basis_of(item, str(p.get("basis", "")))
        if basis is None:
            out.append(f"「{kind}」所引依据「{p.get('basis')}」不是本事项（{item.key}）的依据，可选：{cited}")
            continue
        target = targets.get(int(p["party_id"]), PARTY)  # type: ignore[call-overload]
        options = [o for o in basis.options if o.kind == kind and o.target == target]
        if not options:
            out.append(f"{basis.citation}没有规定对{TARGET_LABELS.get(target, '当事人')}「{kind}」")
            continue
        own = [o for o in options if o in basis.own_options]
        if not own:  # a referral (处分, 吊销执业资格 by the licensing body …), not this bureau's penalty
            out.append(f"{basis.citation}规定的「{kind}」由{options[0].by_other_authority}依法作出，"
                       "不是本机关的行政处罚，应当移送")
            continue
        options = own
        if kind == RETURN:
            reasons = [_return_problem(basis, o, p, case_amounts) for o in options]
        else:
            reasons = [_out_of_range(o, p, case_amounts, basis.citation, mitigated) for o in options]
        if all(reasons):
            out.append(str(reasons[0]))
    return out


def _out_of_range(option: PenaltyOption, p: Mapping[str, object],
                  case_amounts: Mapping[str, Decimal | None], citation: str, mitigated: bool = False) -> str | None:
    if option.multiple_min is not None or option.amount_min is not None:
        amount = p.get("amount")
        if not isinstance(amount, Decimal):
            return f"{option.kind}须填写金额"
        return check_amount(option, base_amount=_base_amount(option, case_amounts),
                            amount=amount, citation=citation, below_minimum=mitigated)
    if option.months_min is not None:
        months = p.get("months")
        if not isinstance(months, int):
            return f"{option.kind}须填写期限（月）"
        return check_months(option, months=months, citation=citation, below_minimum=mitigated)
    return None
