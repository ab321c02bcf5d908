"""Whether proposed penalties are what the case's catalog entry allows: each penalty must rest on
one of the entry's legal bases, be a measure that basis provides for its target, and — for fines
and time-bound measures — lie inside the basis' range for this case. This closes the 追责情形
"擅自改变行政处罚种类、幅度".

The entry is the snapshot the case was opened under, never the current catalog file.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from caseflow.catalog.model import PARTY, RESPONSIBLE_PERSON, CatalogItem, LegalBasis, PenaltyOption
from caseflow.catalog.ranges import check_amount, check_months

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


def _base_amount(option: PenaltyOption, penalty: Mapping[str, object],
                 case_amounts: Mapping[str, Decimal | None]) -> Decimal | None:
    raw = penalty.get("base_amount")
    if raw not in (None, ""):
        try:
            return Decimal(str(raw))
        except InvalidOperation:
            return None
    field = CASE_AMOUNT_OF_BASE.get(option.base or "")
    return case_amounts.get(field) if field else None


def problems(item: CatalogItem, penalties: list[Mapping[str, object]], *,
             targets: Mapping[int, str], case_amounts: Mapping[str, Decimal | None]) -> list[str]:
    """Chinese reasons, one per penalty that the entry does not allow (empty: all lawful).

    `penalties` are validated penalty dicts (kind, amount, months, basis, party_id, base_amount);
    `targets` maps party ids to PARTY or RESPONSIBLE_PERSON.
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
            who = "直接责任人员" if target == RESPONSIBLE_PERSON else "当事人"
            out.append(f"{basis.citation}没有规定对{who}「{kind}」")
            continue
        reasons = [_out_of_range(o, p, case_amounts, basis.citation) for o in options]
        if all(reasons):
            out.append(str(reasons[0]))
    return out


def _out_of_range(option: PenaltyOption, p: Mapping[str, object],
                  case_amounts: Mapping[str, Decimal | None], citation: str) -> str | None:
    if option.multiple_min is not None or option.amount_min is not None:
        amount = p.get("amount")
        if not isinstance(amount, Decimal):
            return f"{option.kind}须填写金额"
        return check_amount(option, base_amount=_base_amount(option, p, case_amounts),
                            amount=amount, citation=citation)
    if option.months_min is not None:
        months = p.get("months")
        if not isinstance(months, int):
            return f"{option.kind}须填写期限（月）"
        return check_months(option, months=months, citation=citation)
    return None
