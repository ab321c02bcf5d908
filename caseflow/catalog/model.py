"""The catalog's data model: items, their legal bases and the penalty options each basis allows.

Plain frozen dataclasses: the importer builds them from the published lists, the catalog files in
workflows/catalog/ store them, the case service reads them. Money is Decimal in 元.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

# Who a penalty option applies to.
PARTY = "party"  # 当事人 (the unit or person the case is against)
RESPONSIBLE_PERSON = "responsible_person"  # 直接负责的主管人员和其他直接责任人员
PRINCIPAL_OFFICER = "principal_officer"  # 法定代表人或者主要负责人 (条例第四十三条)
TARGET_LABEL = {PARTY: "当事人", RESPONSIBLE_PERSON: "直接负责的主管人员和其他直接责任人员",
                PRINCIPAL_OFFICER: "法定代表人或者主要负责人"}

# 处分 (依法给予处分) is not an administrative penalty (行政处罚法 第九条): the 任免机关 or the 监察机关
# gives it. An option of this kind is always a referral (`by_other_authority` set).
DISCIPLINE = "处分"
DISCIPLINE_AUTHORITY = "任免机关或者监察机关"

# 行政处罚法 第三十六条: no penalty for a violation not discovered within 二年; 五年 where it concerns
# 公民生命健康安全、金融安全 and has harmful consequences. An item's period is 2 unless overlay.yaml
# sets it (with the reason); the lint refuses any other number, and a 5 without a reason.
LIMITATION_YEARS = 2
LIMITATION_YEARS_EXTENDED = 5


@dataclass(frozen=True)
class PenaltyOption:
    """One measure a basis allows, e.g. a fine of 2–5 × 骗取金额, or 暂停联网结算 3–12 months.

    Exactly one way of measuring applies: a multiple of a named base amount (`base`,
    `multiple_min`, `multiple_max`), a fixed range in 元 (`amount_min`, `amount_max`), a range of
    months (`months_min`, `months_max`), or none (警告, 解除服务协议, 责令改正 …).
    """

    kind: str  # 罚款, 责令退回, 责令改正, 责令限期改正, 约谈, 暂停医药服务, 暂停联网结算, 解除服务协议, …
    target: str = PARTY
    base: str | None = None  # 骗取金额, 造成损失金额, 应缴社会保险费数额, 非法获取的救助款额, 违法所得
    multiple_min: Decimal | None = None
    multiple_max: Decimal | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    months_min: int | None = None
    months_max: int | None = None
    condition: str | None = None  # e.g. 逾期不改正的 / 情节严重的 / 造成医疗保障基金损失的
    # Another authority acts (a referral, never imposed by the bureau): e.g. 有关主管部门 for
    # 吊销执业资格 (条例第四十条), 任免机关或者监察机关 for 处分.
    by_other_authority: str | None = None
    text: str = ""  # the words of the article this option was read from


@dataclass(frozen=True)
class LegalBasis:
    """One basis an item cites: the law, the article, the text as published, its options."""

    law: str  # 《中华人民共和国社会保险法》, 《医疗保障基金使用监督管理条例》 …
    article: str  # 第八十七条 (第一款 … where the list says so)
    text: str  # the quoted text as published in the list
    options: tuple[PenaltyOption, ...] = ()

    @property
    def citation(self) -> str:
        return f"{self.law}{self.article}"

    @property
    def own_options(self) -> tuple[PenaltyOption, ...]:
        """The measures the bureau itself imposes (not a referral to another authority)."""
        return tuple(o for o in self.options if not o.by_other_authority)


@dataclass(frozen=True)
class PostAssignment:
    step: str  # 立案, 调查, 审查, 告知, 决定, 送达, 执行 (or the sealing steps)
    post: str  # 立案岗 …
    section: str | None  # 基金监管股, 法制审核股; None for 局负责人


@dataclass(frozen=True)
class CatalogItem:
    key: str  # "<list number>-<序号>", e.g. "004-05"
    source_file: str  # seed file name
    agency: str  # issuing body as published, e.g. 栾川县医疗保障局
    seq: str  # 序号 in its list, as published
    name: str  # 权力事项 / 项目名称
    power_type: str  # the type the item runs as: 行政处罚 or 行政强制
    published_type: str  # the type as typed in the list (may be wrong)
    procedure: str  # penalty_general or sealing
    local_code: str | None = None  # 地方权力编码
    department: str | None = None  # 承办机构 / 实施科室
    bases: tuple[LegalBasis, ...] = ()
    responsibilities: tuple[tuple[str, str], ...] = ()  # (责任事项 step, text), in published order
    accountability: str = ""  # 追责情形, as published
    post_map: tuple[PostAssignment, ...] = ()  # empty: 栾川's 岗责体系 applies
    notes: tuple[str, ...] = field(default_factory=tuple)  # flags found while importing
    # 行政处罚法 第三十六条: years within which the violation must be discovered; set only by an
    # overlay.yaml edit, whose `why` becomes the reason.
    limitation_years: int = LIMITATION_YEARS
    limitation_reason: str | None = None
