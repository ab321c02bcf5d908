"""Penalties as structured values: parsing what officers submit, comparing stages, 听证 entitlement.

Kinds follow 行政处罚法 第九条 and the measures of the 医保 lists; which kinds grant a hearing
follows 行政处罚法 第六十三条 and the 医保 practice recorded in legal/README.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from caseflow.documents.types import CORRECTIVE_KINDS
from caseflow.errors import InvalidInput
from caseflow.org.models import Agency
from caseflow.parties.models import Party, PartyKind

FINE = "罚款"
CONFISCATION = "没收违法所得"
RETURN = "责令退回"
# Kinds an officer may propose. Money kinds carry an amount, time-bound kinds a number of months.
MONEY_KINDS = {FINE, CONFISCATION, RETURN}
MONTH_KINDS = {"暂停医药服务", "暂停联网结算", "禁止从事定点医药机构管理活动"}  # the last: 5年 (第四十三条)
OTHER_KINDS = {
    "警告", "通报批评", "责令改正", "责令限期改正", "约谈", "解除服务协议",
    "吊销执业资格", "责令追回", "停止社会救助",
}
KINDS = MONEY_KINDS | MONTH_KINDS | OTHER_KINDS
# Not 行政处罚 (《行政处罚法》第九条): restoring the fund and correcting the conduct (第二十八条). They
# remain after the 追责时效 (第三十六条), and a decision of these alone is a 行政处理决定.
CORRECTIVE = frozenset(CORRECTIVE_KINDS)
# The case's decision (Case.decision_kind) and what every view calls it.
PENALTY, RECOVERY, NO_PENALTY, REFERRAL = "penalty", "recovery", "no_penalty", "referral"
DECISION_KINDS = {
    PENALTY: "行政处罚", RECOVERY: "行政处理（责令退回）", NO_PENALTY: "不予行政处罚",
    REFERRAL: "移送司法机关",
}
# 行政处罚法 第六十三条 (较重的行政处罚) and 医保 practice (legal/README.md "Hearing rights").
HEARING_KINDS = {"暂停医药服务", "暂停联网结算", "解除服务协议", "吊销执业资格",
                 "禁止从事定点医药机构管理活动"}


@dataclass(frozen=True)
class Penalty:
    party_id: int
    kind: str
    amount: Decimal | None
    months: int | None
    basis: str
    violation: int | None = None  # 序号 of the case's violation it is imposed for; None: the case as a whole

    def label(self, party_names: dict[int, str] | None = None) -> str:
        who = (party_names or {}).get(self.party_id)
        text = self.kind
        if self.amount is not None:
            text += f"{self.amount:,.2f}元"
        if self.months is not None:
            text += f"{self.months}个月"
        return f"{who}：{text}" if who else text

    def comparable(self) -> tuple[int, str, Decimal | None, int | None, int]:
        return (self.party_id, self.kind, self.amount, self.months, self.violation or 0)


def stored(row: Any) -> Penalty:
    """A penalty as a `PenaltyItem` row records it."""
    return Penalty(row.party_id, row.kind, row.amount, row.months, row.basis, row.violation_seq)


def parse_penalties(rows: Any, *, party_ids: list[int], default_party_id: int) -> list[Penalty]:
    """The `penalties` an officer submits — rows already typed by the step's declared inputs
    (caseflow.workflow.input_values) — as penalties, or the errors per field, in Chinese."""
    if not isinstance(rows, list) or not rows:
        raise InvalidInput("请至少填写一项拟处罚内容。", details={"penalties": "不能为空"})
    out: list[Penalty] = []
    errors: dict[str, str] = {}
    for i, row in enumerate(rows):
        where = f"penalties[{i}]"
        kind = row.get("kind", "")
        if kind not in KINDS:
            errors[f"{where}.kind"] = f"处罚种类「{kind}」不在可选范围内"
            continue
        party_id = row.get("party_id") or default_party_id
        if party_id not in party_ids:
            errors[f"{where}.party_id"] = "该当事人不属于本案"
        amount: Decimal | None = row.get("amount") if kind in MONEY_KINDS else None
        if kind in MONEY_KINDS and not (amount and amount > 0):
            errors[f"{where}.amount"] = "金额须大于零且精确到分"
            continue
        months: int | None = row.get("months") if kind in MONTH_KINDS else None
        if kind in MONTH_KINDS and months is None:
            errors[f"{where}.months"] = "须填写期限（月）"
            continue
        if months is not None and not 1 <= months <= 1200:
            errors[f"{where}.months"] = "期限须为1至1200个月"
            continue
        if not row.get("basis"):
            errors[f"{where}.basis"] = "须写明处罚依据（法律法规及条款）"
        out.append(Penalty(party_id, kind, amount, months, row.get("basis", ""), row.get("violation")))
    if errors:
        raise InvalidInput("拟处罚内容有误：" + "；".join(errors.values()) + "。", details=errors)
    return out


def corrective_only(kinds: list[str]) -> bool:
    """Measures decided that are all 责令退回/责令改正 … and none a 行政处罚: a 行政处理决定."""
    return bool(kinds) and all(k in CORRECTIVE for k in kinds)


def same_penalties(a: list[Penalty], b: list[Penalty]) -> bool:
    return sorted(p.comparable() for p in a) == sorted(p.comparable() for p in b)  # type: ignore[type-var]


def hearing_entitled(penalties: list[Penalty], parties: dict[int, Party], agency: Agency) -> bool:
    """行政处罚法 第六十三条: 较大数额罚款/没收, and the heavier measures; thresholds per province.

    Where the agency has not set a threshold, every fine grants the right (the safe reading).
    """
    for p in penalties:
        if p.kind in HEARING_KINDS:
            return True
        if p.kind in (FINE, CONFISCATION) and p.amount is not None:
            party = parties[p.party_id]
            threshold = (
                agency.hearing_threshold_individual
                if party.kind is PartyKind.individual
                else agency.hearing_threshold_organisation
            )
            if threshold is None or p.amount >= threshold:
                return True
    return False
