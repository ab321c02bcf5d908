"""What the catalog lint reports: `Finding` (file, item key, rule code, severity, Chinese reason).

Rule codes are stable identifiers programs and tests rely on; `RULES` gives each a short Chinese
title. A finding's `key` is None when it concerns the list as a whole (e.g. its 总表); its
`citations` name the bases (《…》第…条, as `LegalBasis.citation`) it concerns, if any — so that
`caseflow catalog range` can say that the article it computes under is flagged.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"
SEVERITY_LABEL = {ERROR: "错误", WARNING: "警告"}

RULES: dict[str, str] = {
    # what the item says it is vs. what its texts say
    "WRONG_VIOLATION_IN_FILING_DUTY": "立案责任所写违法行为与事项名称不符",
    "REGISTRATION_CITES_FRAUD_ARTICLE": "登记类事项引用了骗取基金的条款",
    "BASIS_DOES_NOT_FIT": "依据条款规定的违法行为与事项不符",
    "WRONG_POWER_TYPE": "权力类型填写错误",
    "SEALING_CITES_PENALTY_ARTICLE": "封存事项引用了处罚条款",
    "SEALING_WITHOUT_POWER_BASIS": "封存事项没有封存权依据",
    "WRONG_COERCIVE_MEASURE": "强制措施名称与封存不符",
    "APPROVAL_NOT_BY_HEAD": "强制措施未写明由行政机关负责人批准",
    # who acts
    "OTHER_AGENCY_NAMED": "清单写明了其他行政机关",
    "AGENCY_NOT_ADMINISTRATIVE_ORGAN": "实施主体不是行政机关",
    # which law
    "NONEXISTENT_REGULATION": "引用了不存在的法规名称",
    "UNKNOWN_REGULATION": "无法核实的法规名称",
    "UNRELATED_LAW_CITED": "引用了与医疗保障无关的法律",
    "BASIS_WITHOUT_ARTICLE": "依据未写明具体条款",
    "DUPLICATE_BASIS": "同一事项重复引用依据",
    # what the law says
    "QUOTATION_DIFFERS": "同一条款在各清单中的引文不同",
    "QUOTATION_DIFFERS_FROM_STATUTE": "引文与法规原文不符",
    "ARTICLE_TEXT_INCOMPLETE": "引文缺少法规原文的内容",
    "ARTICLE_NOT_IN_STATUTE": "法规中没有所引条款",
    "RANGE_DIFFERS": "同一条款读出的处罚幅度不同",
    "UNREAD_PENALTY_TEXT": "处罚条文有未能读取的内容",
    "LIMITATION_PERIOD_INVALID": "追责时效不符合行政处罚法第三十六条",
    # the list itself
    "DUPLICATE_ITEM": "清单内事项重复",
    "STEP_TEXT_VARIANT": "同一环节的责任事项文字与其他事项不一致",
    "SUMMARY_COUNT_MISMATCH": "清单总数说明与所列不符",
    "SUMMARY_INCOMPLETE": "清单总数说明残缺",
}


@dataclass(frozen=True)
class Finding:
    file: str  # the seed file name
    key: str | None  # the item key ("004-12"), None for the list as a whole
    code: str  # one of RULES
    severity: str  # ERROR or WARNING
    reason: str  # short Chinese reason naming the evidence
    citations: tuple[str, ...] = ()  # the bases concerned (LegalBasis.citation), if any

    def __post_init__(self) -> None:
        if self.code not in RULES:
            raise ValueError(f"unknown lint rule code: {self.code}")
        if self.severity not in SEVERITY_LABEL:
            raise ValueError(f"unknown severity: {self.severity}")

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "citations": list(self.citations), "title": RULES[self.code]}

    def sort_key(self) -> tuple[str, str, int, str]:
        return (self.file, self.key or "", list(RULES).index(self.code), self.reason)


def quote(text: str, limit: int = 24) -> str:
    """Text for a reason, shortened: "…" marks a cut."""
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "…"
