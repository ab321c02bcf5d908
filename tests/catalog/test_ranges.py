"""Lawful ranges, amount checks and money formatting (expected values worked out by hand)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from caseflow.catalog.model import RESPONSIBLE_PERSON, PenaltyOption
from caseflow.catalog.penalty_text import extract_options
from caseflow.catalog.ranges import (
    LawfulRange,
    NoRange,
    check_amount,
    check_months,
    format_yuan,
    lawful_range,
    yuan_in_words,
)

TIAOLI_40 = "《医疗保障基金使用监督管理条例》第四十条"
SIF_84 = "《中华人民共和国社会保险法》第八十四条"

FRAUD_2_5 = PenaltyOption(kind="罚款", base="骗取金额", multiple_min=D(2), multiple_max=D(5))
FRAUD_15_25 = PenaltyOption(kind="罚款", base="骗取金额", multiple_min=D("1.5"),
                            multiple_max=D("2.5"))
BID_PERMILLE = PenaltyOption(kind="罚款", base="中标项目金额", multiple_min=D("0.005"),
                             multiple_max=D("0.01"))
PERSONS_500_3000 = PenaltyOption(kind="罚款", target=RESPONSIBLE_PERSON, amount_min=D(500),
                                 amount_max=D(3000), condition="逾期不改正的")
FINE_1W_5W = PenaltyOption(kind="罚款", amount_min=D(10000), amount_max=D(50000))
SUSPEND_SERVICE = PenaltyOption(kind="暂停医药服务", months_min=6, months_max=12)
SUSPEND_SETTLEMENT = PenaltyOption(kind="暂停联网结算", months_min=3, months_max=12)
BAN = PenaltyOption(kind="禁止从事定点医药机构管理活动", target=RESPONSIBLE_PERSON,
                    months_min=60, months_max=60)
WARNING = PenaltyOption(kind="警告")


# ------------------------------------------------------------------ ranges


@pytest.mark.parametrize(("option", "base", "minimum", "maximum"), [
    # exact products: a base with 分, integer multiples
    (FRAUD_2_5, "12345.67", "24691.34", "61728.35"),
    (FRAUD_2_5, "0.01", "0.02", "0.05"),
    (FRAUD_2_5, "0", "0.00", "0.00"),
    # products with more than 2 decimals: minimum rounded up, maximum down
    (FRAUD_15_25, "100.01", "150.02", "250.02"),  # 150.015 → 150.02; 250.025 → 250.02
    (FRAUD_15_25, "0.03", "0.05", "0.07"),  # 0.045 → 0.05; 0.075 → 0.07
    (BID_PERMILLE, "12345.67", "61.73", "123.45"),  # 61.72835 → 61.73; 123.4567 → 123.45
    (BID_PERMILLE, "1000000.00", "5000.00", "10000.00"),
])
def test_multiple_ranges(option: PenaltyOption, base: str, minimum: str, maximum: str) -> None:
    rng = lawful_range(option, base_amount=D(base))
    assert (rng.minimum, rng.maximum, rng.unit) == (D(minimum), D(maximum), "元")
    assert not rng.is_empty


def test_explanation_exact_product() -> None:
    rng = lawful_range(FRAUD_2_5, base_amount=D("12345.67"), citation=TIAOLI_40)
    assert rng == LawfulRange(
        D("24691.34"), D("61728.35"), "元",
        "骗取金额12,345.67元的2倍至5倍：24,691.34元至61,728.35元（《医疗保障基金使用监督管理条例》第四十条）",
    )


def test_explanation_rounded_product() -> None:
    rng = lawful_range(FRAUD_15_25, base_amount=D("100.01"))
    assert rng.explanation == (
        "骗取金额100.01元的1.5倍至2.5倍：150.02元至250.02元（下限向上、上限向下取整到分）")


def test_empty_range_when_no_cent_fits() -> None:
    rng = lawful_range(BID_PERMILLE, base_amount=D("0.01"))  # 0.00005 … 0.0001
    assert rng.is_empty
    assert "不存在精确到分的合法金额" in rng.explanation
    assert "法定幅度为空" in (check_amount(BID_PERMILLE, base_amount=D("0.01"), amount=D("0.01"))
                          or "")


def test_fixed_and_month_ranges() -> None:
    rng = lawful_range(PERSONS_500_3000, citation=SIF_84)
    assert (rng.minimum, rng.maximum) == (D("500.00"), D("3000.00"))
    assert rng.explanation == (
        "对直接负责的主管人员和其他直接责任人员罚款500.00元至3,000.00元（《中华人民共和国社会保险法》第八十四条）")
    assert lawful_range(FINE_1W_5W).explanation == "罚款10,000.00元至50,000.00元"
    months = lawful_range(SUSPEND_SERVICE)
    assert (months.minimum, months.maximum, months.unit) == (D(6), D(12), "个月")
    assert months.explanation == "暂停医药服务6个月至12个月"
    assert lawful_range(BAN).explanation == (
        "对直接负责的主管人员和其他直接责任人员禁止从事定点医药机构管理活动60个月")


def test_no_range() -> None:
    with pytest.raises(NoRange):
        lawful_range(WARNING)
    with pytest.raises(NoRange, match="未提供骗取金额"):
        lawful_range(FRAUD_2_5, base_amount=None)
    for bad in (D("-1.00"), D("1.005")):
        with pytest.raises(ValueError):
            lawful_range(FRAUD_2_5, base_amount=bad)


# ------------------------------------------------------------------ checks


@pytest.mark.parametrize(("option", "base", "amount", "ok"), [
    # bounds inclusive, one 分 outside refused
    (FRAUD_2_5, "12345.67", "24691.34", True),
    (FRAUD_2_5, "12345.67", "61728.35", True),
    (FRAUD_2_5, "12345.67", "40000.00", True),
    (FRAUD_2_5, "12345.67", "24691.33", False),
    (FRAUD_2_5, "12345.67", "61728.36", False),
    # rounded bounds: 150.015 … 250.025 → 150.02 … 250.02
    (FRAUD_15_25, "100.01", "150.02", True),
    (FRAUD_15_25, "100.01", "150.01", False),
    (FRAUD_15_25, "100.01", "250.02", True),
    (FRAUD_15_25, "100.01", "250.03", False),
    # fixed ranges
    (PERSONS_500_3000, None, "500.00", True),
    (PERSONS_500_3000, None, "3000", True),
    (PERSONS_500_3000, None, "499.99", False),
    (PERSONS_500_3000, None, "3000.01", False),
    (FINE_1W_5W, None, "10000.00", True),
    (FINE_1W_5W, None, "50000.00", True),
    (FINE_1W_5W, None, "9999.99", False),
    (FINE_1W_5W, None, "50000.01", False),
])
def test_check_amount_bounds(option: PenaltyOption, base: str | None, amount: str, ok: bool) -> None:
    reason = check_amount(option, base_amount=D(base) if base else None, amount=D(amount))
    assert (reason is None) == ok, reason


def test_check_amount_reasons_cite_the_range() -> None:
    low = check_amount(FRAUD_2_5, base_amount=D("12345.67"), amount=D("24691.33"),
                       citation=TIAOLI_40)
    assert low == ("罚款金额24,691.33元低于法定下限24,691.34元。法定幅度：骗取金额12,345.67元的2倍至5倍："
                   "24,691.34元至61,728.35元（《医疗保障基金使用监督管理条例》第四十条）。")
    high = check_amount(PERSONS_500_3000, base_amount=None, amount=D("3000.01"), citation=SIF_84)
    assert high is not None and high.startswith("罚款金额3,000.01元高于法定上限3,000.00元。")
    assert "（《中华人民共和国社会保险法》第八十四条）" in high


def test_check_amount_refusals() -> None:
    assert check_amount(FRAUD_2_5, base_amount=None, amount=D("100.00")) == (
        "该罚款以骗取金额的倍数计算，未提供骗取金额，无法确定法定幅度。")
    assert check_amount(FINE_1W_5W, base_amount=None, amount=D("10000.001")) is not None
    assert check_amount(FINE_1W_5W, base_amount=None, amount=D("0")) == "罚款金额须大于零。"
    assert check_amount(FRAUD_2_5, base_amount=D("-5.00"), amount=D("10.00")) is not None
    with pytest.raises(ValueError):
        check_amount(WARNING, base_amount=None, amount=D("1.00"))
    with pytest.raises(ValueError):
        check_amount(SUSPEND_SERVICE, base_amount=None, amount=D("1.00"))


@pytest.mark.parametrize(("option", "months", "ok"), [
    (SUSPEND_SERVICE, 6, True), (SUSPEND_SERVICE, 12, True),
    (SUSPEND_SERVICE, 5, False), (SUSPEND_SERVICE, 13, False),
    (SUSPEND_SETTLEMENT, 3, True), (SUSPEND_SETTLEMENT, 12, True),
    (SUSPEND_SETTLEMENT, 2, False), (SUSPEND_SETTLEMENT, 13, False),
    (BAN, 60, True), (BAN, 59, False),
])
def test_check_months(option: PenaltyOption, months: int, ok: bool) -> None:
    assert (check_months(option, months=months) is None) == ok


def test_check_months_reason_and_misuse() -> None:
    assert check_months(SUSPEND_SERVICE, months=13) == (
        "期限13个月长于法定上限12个月。法定幅度：暂停医药服务6个月至12个月。")
    with pytest.raises(ValueError):
        check_months(FINE_1W_5W, months=6)


def test_range_of_an_option_read_from_the_statute() -> None:
    text = ("定点医药机构通过下列方式骗取医疗保障基金支出的，由医疗保障行政部门责令退回，"
            "处骗取金额2倍以上5倍以下的罚款；责令定点医药机构暂停相关责任部门6个月以上1年以下"
            "涉及医疗保障基金使用的医药服务，直至由医疗保障经办机构解除服务协议")
    fine, suspend = extract_options(text)[1:3]
    assert lawful_range(fine, base_amount=D("12345.67"), citation=TIAOLI_40).explanation == (
        "骗取金额12,345.67元的2倍至5倍：24,691.34元至61,728.35元（《医疗保障基金使用监督管理条例》第四十条）")
    assert check_months(suspend, months=12) is None
    assert check_months(suspend, months=13) is not None


# ------------------------------------------------------------------ money


@pytest.mark.parametrize(("amount", "text"), [
    ("12345.67", "12,345.67元"), ("0.5", "0.50元"), ("1000000", "1,000,000.00元"),
    ("61728.35", "61,728.35元"), ("0", "0.00元"),
])
def test_format_yuan(amount: str, text: str) -> None:
    assert format_yuan(D(amount)) == text


# The 零 examples are those of 《正确填写票据和结算凭证的基本规定》; 整 after 元 and after 角.
@pytest.mark.parametrize(("amount", "words"), [
    ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
    ("10000.00", "壹万元整"),
    ("10000.05", "壹万元零伍分"),
    ("0.50", "伍角整"),
    ("0.05", "伍分"),
    ("10.00", "壹拾元整"),
    ("100.10", "壹佰元壹角整"),
    ("101.00", "壹佰零壹元整"),
    ("1409.50", "壹仟肆佰零玖元伍角整"),
    ("6007.14", "陆仟零柒元壹角肆分"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
    ("325.04", "叁佰贰拾伍元零肆分"),
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
    ("61728.35", "陆万壹仟柒佰贰拾捌元叁角伍分"),
    ("50000", "伍万元整"),
    ("1000000.00", "壹佰万元整"),
])
def test_yuan_in_words(amount: str, words: str) -> None:
    assert yuan_in_words(D(amount)) == words


@pytest.mark.parametrize("amount", ["1.005", "-1.00", "NaN"])
def test_money_refuses_bad_amounts(amount: str) -> None:
    with pytest.raises(ValueError):
        yuan_in_words(D(amount))
    if amount != "-1.00":
        with pytest.raises(ValueError):
            format_yuan(D(amount))
