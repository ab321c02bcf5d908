"""The lawful range of a penalty option in one case, the check of a proposed amount, and money
written the way a 决定书 writes it.

Rules:
- Both ends are inclusive: "以上"/"以下" include the number itself (the statutory convention, e.g.
  民法典 第一千二百五十九条).
- Money is Decimal in 元, exact to the 分. A fine measured as a multiple of a base amount (骗取金额 …)
  is rounded so that the range never exceeds the statute: the minimum is rounded UP to the 分 and
  the maximum DOWN to the 分 (骗取金额 100.01元 × 1.5 = 150.015 → minimum 150.02元; × 2.5 =
  250.025 → maximum 250.02元). When the product is exact (12,345.67 × 2 = 24,691.34) nothing moves.
  If a tiny base leaves no amount exact to the 分 inside the range, the range is empty and every
  amount is refused.
- Months are whole months.
- Amount in words (`yuan_in_words`) follows 中国人民银行《支付结算办法》附件一《正确填写票据和结算
  凭证的基本规定》: digits 壹贰叁…, 拾佰仟万亿, units 元角分; an amount ending at 元 ends in "整";
  ending at 角, "整" may be written or not — this module writes it, so nothing can be added after;
  an amount with 分 has no "整". 零 as cn2an writes it, which matches the rule's examples
  (壹仟肆佰零玖元伍角, 陆仟零柒元壹角肆分, 壹万陆仟肆佰零玖元零贰分 — 零 is required after 元 when
  角 is 0 and 分 is not; where the rule allows either, e.g. 壹仟陆佰捌拾元叁角贰分, without 零).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import cn2an

from caseflow.catalog.model import RESPONSIBLE_PERSON, PenaltyOption

__all__ = [
    "LawfulRange",
    "NoRange",
    "check_amount",
    "check_months",
    "format_yuan",
    "lawful_range",
    "yuan_in_words",
]

CENT = Decimal("0.01")
YUAN = "元"
MONTHS = "个月"


class NoRange(ValueError):
    """The option has no range of this kind (警告, 责令改正 …), or its base amount is missing."""


@dataclass(frozen=True)
class LawfulRange:
    minimum: Decimal  # in 元 (exact to the 分) or months
    maximum: Decimal
    unit: str  # "元" or "个月"
    explanation: str  # Chinese, for the 审查 record and the documents

    @property
    def is_empty(self) -> bool:
        return self.minimum > self.maximum

    def contains(self, value: Decimal) -> bool:
        return self.minimum <= value <= self.maximum


def _is_cents(amount: Decimal) -> bool:
    return amount.is_finite() and amount == amount.quantize(CENT)


def format_yuan(amount: Decimal) -> str:
    """Decimal("12345.67") → "12,345.67元". The amount must be exact to the 分."""
    if not _is_cents(amount):
        raise ValueError(f"金额须精确到分：{amount}")
    return f"{amount.quantize(CENT):,.2f}{YUAN}"


def yuan_in_words(amount: Decimal) -> str:
    """Decimal("12345.67") → "壹万贰仟叁佰肆拾伍元陆角柒分"; 10000 → "壹万元整"; 0.5 → "伍角整"."""
    if not _is_cents(amount) or amount < 0:
        raise ValueError(f"金额须为非负数且精确到分：{amount}")
    words: str = cn2an.an2cn(f"{amount.quantize(CENT):f}", "rmb")
    return words + "整" if words.endswith("角") else words


def _multiple_text(m: Decimal) -> str:
    return f"{m.normalize():f}倍"


def _cite(citation: str | None) -> str:
    return f"（{citation}）" if citation else ""


def _who(option: PenaltyOption) -> str:
    return "对直接负责的主管人员和其他直接责任人员" if option.target == RESPONSIBLE_PERSON else ""


def lawful_range(
    option: PenaltyOption, *, base_amount: Decimal | None = None, citation: str | None = None
) -> LawfulRange:
    """The range the option allows in this case; `citation` (e.g. "《…》第四十条") ends the explanation.

    Raises NoRange for an option without a range, or a multiple-based fine without `base_amount`;
    ValueError for a base amount that is negative or not exact to the 分.
    """
    if option.multiple_min is not None and option.multiple_max is not None:
        if base_amount is None:
            raise NoRange(f"该罚款以{option.base}的倍数计算，未提供{option.base}，无法确定法定幅度")
        if not _is_cents(base_amount) or base_amount < 0:
            raise ValueError(f"{option.base}须为非负数且精确到分：{base_amount}")
        low, high = base_amount * option.multiple_min, base_amount * option.multiple_max
        minimum = low.quantize(CENT, rounding=ROUND_CEILING)
        maximum = high.quantize(CENT, rounding=ROUND_FLOOR)
        text = (f"{_who(option)}{option.base}{format_yuan(base_amount)}的"
                f"{_multiple_text(option.multiple_min)}至{_multiple_text(option.multiple_max)}")
        if minimum > maximum:
            text += "：不存在精确到分的合法金额"
        else:
            text += f"：{format_yuan(minimum)}至{format_yuan(maximum)}"
            if minimum != low or maximum != high:
                text += "（下限向上、上限向下取整到分）"
        return LawfulRange(minimum, maximum, YUAN, text + _cite(citation))
    if option.amount_min is not None and option.amount_max is not None:
        minimum = option.amount_min.quantize(CENT, rounding=ROUND_CEILING)
        maximum = option.amount_max.quantize(CENT, rounding=ROUND_FLOOR)
        text = f"{_who(option)}罚款{format_yuan(minimum)}至{format_yuan(maximum)}"
        return LawfulRange(minimum, maximum, YUAN, text + _cite(citation))
    if option.months_min is not None and option.months_max is not None:
        span = (f"{option.months_min}{MONTHS}" if option.months_min == option.months_max
                else f"{option.months_min}{MONTHS}至{option.months_max}{MONTHS}")
        text = f"{_who(option)}{option.kind}{span}"
        return LawfulRange(Decimal(option.months_min), Decimal(option.months_max), MONTHS,
                           text + _cite(citation))
    raise NoRange(f"「{option.kind}」没有金额或期限幅度")


def check_amount(
    option: PenaltyOption,
    *,
    base_amount: Decimal | None,
    amount: Decimal,
    citation: str | None = None,
    below_minimum: bool = False,
) -> str | None:
    """None when `amount` (元) lies in the lawful range of a fine option, else the reason in Chinese.
    `below_minimum`: 减轻处罚 (《行政处罚法》第三十二条) may go below the lower bound, never above the upper.

    Raises ValueError for an option that is not measured in money (use `check_months`, or none).
    """
    if option.multiple_min is None and option.amount_min is None:
        raise ValueError(f"「{option.kind}」不以金额计")
    if not amount.is_finite() or amount <= 0:
        return "罚款金额须大于零。"
    if not _is_cents(amount):
        return f"罚款金额须精确到分（{amount}）。"
    try:
        rng = lawful_range(option, base_amount=base_amount, citation=citation)
    except ValueError as exc:  # NoRange included: no base amount
        return f"{exc}。"
    if rng.is_empty:
        return f"法定幅度为空，任何金额均不合法。法定幅度：{rng.explanation}。"
    if amount < rng.minimum and not below_minimum:
        return (f"罚款金额{format_yuan(amount)}低于法定下限{format_yuan(rng.minimum)}。"
                f"法定幅度：{rng.explanation}。")
    if amount > rng.maximum:
        return (f"罚款金额{format_yuan(amount)}高于法定上限{format_yuan(rng.maximum)}。"
                f"法定幅度：{rng.explanation}。")
    return None


def check_months(option: PenaltyOption, *, months: int, citation: str | None = None,
                 below_minimum: bool = False) -> str | None:
    """None when `months` lies in the option's range of months, else the reason in Chinese
    (`below_minimum`: 减轻处罚, as for `check_amount`)."""
    if option.months_min is None or option.months_max is None:
        raise ValueError(f"「{option.kind}」不以月数计")
    rng = lawful_range(option, citation=citation)
    if months < rng.minimum and not below_minimum:
        return f"期限{months}{MONTHS}短于法定下限{option.months_min}{MONTHS}。法定幅度：{rng.explanation}。"
    if months > rng.maximum:
        return f"期限{months}{MONTHS}长于法定上限{option.months_max}{MONTHS}。法定幅度：{rng.explanation}。"
    return None
