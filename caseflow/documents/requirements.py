"""What the document types require of their data, in the pieces several types share: `FieldSpec`
(one required value and the Chinese label named when it is missing), the closed vocabularies
(当事人类型, 送达方式, 审核结论, 证据种类, corrective measures), the conditions a requirement may
depend on (a 罚款 decided, a fund returned, 留置送达 …) and the groups of fields the types combine
(`caseflow.documents.types`, whose docstring is the data contract)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

@dataclass(frozen=True)
class FieldSpec:
    """One required value: a path into the data dict and the Chinese label shown when it is missing.

    Paths: "agency.payment.account", "parties[0].name", "parties[*].name" (a list with at least
    `min_items` elements, each having the rest of the path), "agency.review_bodies[*]" (a list of
    at least `min_items` non-empty values). `when` makes the requirement conditional on the data;
    `choices` lists the only values allowed.
    """

    path: str
    label: str
    min_items: int = 1
    when: Callable[[Mapping[str, Any]], bool] | None = None
    choices: tuple[str, ...] | None = None  # the allowed values, when the wording depends on it

    def applies(self, data: Mapping[str, Any]) -> bool:
        return self.when is None or bool(self.when(data))


PARTY_KINDS = ("organisation", "individual")
SERVICE_METHODS = ("直接送达", "留置送达", "邮寄送达", "委托送达", "电子送达", "公告送达")
REVIEW_CONCLUSIONS = ("同意", "退回")
# 行政处罚法 第四十六条: the kinds of evidence (the list is closed: 证据包括 …).
EVIDENCE_KINDS = ("书证", "物证", "视听资料", "电子数据", "证人证言", "当事人的陈述", "鉴定意见",
                  "勘验笔录", "现场笔录")


FINE, CONFISCATION, FUND_RETURN = "罚款", "没收违法所得", "责令退回"
# Measures that restore or correct, not 行政处罚 (《行政处罚法》第九条、第二十八条): what a 行政处理决定书
# orders, and what remains after the 追责时效 (第三十六条) — caseflow.cases.limitation reads it.
CORRECTIVE_KINDS = (FUND_RETURN, "责令追回", "责令改正", "责令限期改正")


def has_penalty(data: Mapping[str, Any], *kinds: str) -> bool:
    return any(isinstance(p, Mapping) and p.get("kind") in kinds
               for p in data.get("penalties") or ())


def has_fine(data: Mapping[str, Any]) -> bool:
    return has_penalty(data, FINE)


def pays_treasury(data: Mapping[str, Any]) -> bool:
    """罚款 and 没收的违法所得 go to the 国库 (非税收入) account, 条例 第四十五条."""
    return has_penalty(data, FINE, CONFISCATION)


def returns_fund(data: Mapping[str, Any]) -> bool:
    """责令退回: back to the 医疗保障基金财政专户, 条例 第四十五条."""
    return has_penalty(data, FUND_RETURN)


def dunning_of(data: Mapping[str, Any]) -> Mapping[str, Any]:
    dunning = data.get("dunning")
    return dunning if isinstance(dunning, Mapping) else {}


def dunning_returns_fund(data: Mapping[str, Any]) -> bool:
    return dunning_of(data).get("fund_return_due") is not None


def dunning_demands_fine(data: Mapping[str, Any]) -> bool:
    """The 催告书 demands the fine unless it demands only the return of the fund (no fine named)."""
    named = any(dunning_of(data).get(k) is not None for k in ("fine", "amount_due"))
    return named or not dunning_returns_fund(data)


def exemption(data: Mapping[str, Any], key: str) -> bool:
    exemption = data.get("exemption")
    return isinstance(exemption, Mapping) and exemption.get(key) not in (None, "", {})


def hearing_entitled(data: Mapping[str, Any]) -> bool:
    return data.get("hearing_entitled") is True


def left_with_neighbour(data: Mapping[str, Any]) -> bool:
    service = data.get("service")
    return isinstance(service, Mapping) and service.get("method") == "留置送达"


def need(path: str, label: str, **kwargs: Any) -> FieldSpec:
    return FieldSpec(path, label, **kwargs)


def only_when(specs: tuple[FieldSpec, ...], when: Callable[[Mapping[str, Any]], bool]
          ) -> tuple[FieldSpec, ...]:
    """The same specs, required only when `when` holds."""
    return tuple(need(s.path, s.label, when=when) for s in specs)


HEAD = (need("doc_no", "文号"), need("issued_on", "文书日期"), need("agency.name", "行政机关名称"))
CONTACT = (need("agency.address", "行政机关地址"), need("agency.phone", "行政机关联系电话"))
PARTY_ID = (  # addressed by name (告知书, 通知书, 催告书)
    need("parties[*].name", "当事人名称或姓名"),
    need("parties[*].kind", "当事人类型", choices=PARTY_KINDS),
    need("parties[*].identifier", "当事人统一社会信用代码或身份证号码"),
)
PARTY = (*PARTY_ID, need("parties[*].address", "当事人地址"))  # the 当事人 block of decisions
REMEDIES = (need("agency.review_bodies[*]", "行政复议机关"), need("agency.court", "行政诉讼管辖法院"))
FINDINGS = (
    need("case.cause", "案由"),
    need("facts", "违法事实"),
    need("evidence[*]", "证据"),
    need("reasons", "理由"),
    need("bases[*].citation", "法律依据"),
)
PENALTIES = (need("penalties[*].kind", "行政处罚种类"),)
TREASURY_ACCOUNT = (  # 罚款、没收的违法所得: 依法上缴国库
    need("agency.payment.payee", "罚没款缴款账户（国库）收款单位"),
    need("agency.payment.bank", "罚没款缴款账户（国库）开户银行"),
    need("agency.payment.account", "罚没款缴款账户（国库）账号"),
)
FUND_ACCOUNT = (  # 退回的基金: 原医疗保障基金财政专户
    need("agency.fund_return.payee", "医疗保障基金财政专户收款单位"),
    need("agency.fund_return.bank", "医疗保障基金财政专户开户银行"),
    need("agency.fund_return.account", "医疗保障基金财政专户账号"),
)
PAYMENT = (
    need("fine_total", "罚款总额", when=has_fine),
    need("payment_due_days", "缴纳罚没款期限（日）", when=pays_treasury),
    *only_when(TREASURY_ACCOUNT, pays_treasury),
    need("fund_return_total", "责令退回金额", when=returns_fund),
    need("fund_return_due_days", "责令退回期限（日）", when=returns_fund),
    *only_when(FUND_ACCOUNT, returns_fund),
)
STATEMENT = (need("statement_days", "陈述、申辩期限"),)
HEARING_DAYS = need("hearing_request_days", "要求听证的期限")
FORM_HEAD = (
    need("agency.name", "行政机关名称"),
    need("case.case_no", "案号"),
    need("case.cause", "案由"),
    *PARTY_ID[:2],
)
APPROVALS = (need("approvals[*].role", "审批环节"), need("approvals[*].name", "审批人"))
ITEMS = (
    need("sealing.items[*].name", "封存物品名称"),
    need("sealing.items[*].quantity", "封存物品数量"),
)


def record_head(what: str, who: str) -> tuple[FieldSpec, ...]:
    """询问笔录 / 现场检查笔录: 案号, time, place and the two officers with their 执法证号
    (行政处罚法 第四十二条、第五十五条)."""
    return (
        need("agency.name", "行政机关名称"),
        need("case.case_no", "案号"),
        need("record.started_at", f"{what}开始时间"),
        need("record.ended_at", f"{what}结束时间"),
        need("record.place", f"{what}地点"),
        need("record.officers[*].name", f"{who}姓名（执法人员至少两名）", min_items=2),
        need("record.officers[*].credential_no", f"{who}执法证号（执法人员至少两名）", min_items=2),
    )
