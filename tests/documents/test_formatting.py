"""Dates, times and money as the documents write them (formatting filters)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal as D

import pytest

from caseflow.documents.formatting import (
    FILTERS,
    date_arabic,
    date_chinese,
    datetime_chinese,
    id_label,
    join_or,
    money,
    money_full,
    money_words,
    number_chinese,
    quantity,
    you,
)

UTC = timezone.utc


@pytest.mark.parametrize(("value", "text"), [
    (date(2026, 11, 23), "二〇二六年十一月二十三日"),
    (date(2026, 1, 1), "二〇二六年一月一日"),
    (date(2030, 10, 10), "二〇三〇年十月十日"),
    (date(2026, 12, 20), "二〇二六年十二月二十日"),
    (date(2027, 3, 31), "二〇二七年三月三十一日"),
])
def test_chinese_date(value, text):
    assert date_chinese(value) == text


def test_arabic_date():
    assert date_arabic(date(2026, 11, 23)) == "2026年11月23日"
    assert date_arabic(date(2026, 1, 5)) == "2026年1月5日"


@pytest.mark.parametrize(("value", "text"), [
    (datetime(2026, 11, 23, 6, 30, tzinfo=UTC), "2026年11月23日14时30分"),
    (datetime(2026, 12, 31, 16, 5, tzinfo=UTC), "2027年1月1日0时05分"),  # next day in Shanghai
    (datetime(2026, 11, 23, 9, 0, tzinfo=timezone(timedelta(hours=8))), "2026年11月23日9时00分"),
])
def test_datetime_in_shanghai(value, text):
    assert datetime_chinese(value) == text


def test_aware_datetime_gives_the_shanghai_date():
    assert date_chinese(datetime(2026, 11, 22, 16, 0, tzinfo=UTC)) == "二〇二六年十一月二十三日"
    assert date_arabic(datetime(2026, 11, 22, 15, 59, tzinfo=UTC)) == "2026年11月22日"


def test_naive_datetime_is_refused():
    with pytest.raises(ValueError):
        datetime_chinese(datetime(2026, 11, 23, 14, 30))
    with pytest.raises(ValueError):
        date_chinese(datetime(2026, 11, 23, 14, 30))


@pytest.mark.parametrize(("amount", "figures", "words"), [
    (D("0.01"), "0.01元", "壹分"),
    (D("10000"), "10,000.00元", "壹万元整"),
    (D("100000.10"), "100,000.10元", "壹拾万元壹角整"),
    (D("12345.67"), "12,345.67元", "壹万贰仟叁佰肆拾伍元陆角柒分"),
    (D("28395.04"), "28,395.04元", "贰万捌仟叁佰玖拾伍元零肆分"),
    (12, "12.00元", "壹拾贰元整"),
    ("3703.70", "3,703.70元", "叁仟柒佰零叁元柒角整"),
])
def test_money_in_figures_and_words(amount, figures, words):
    assert money(amount) == figures
    assert money_words(amount) == words
    assert money_full(amount) == f"{figures}（大写：{words}）"


@pytest.mark.parametrize("amount", [D("1.005"), 1.5, D("-1.00")])
def test_money_refuses_inexact_or_float(amount):
    with pytest.raises((ValueError, TypeError)):
        money_words(amount)


def test_filters_keep_figures_on_one_line():
    assert FILTERS["money"](D("24691.34")) == '<span class="nobr">24,691.34元</span>'
    assert str(FILTERS["money_full"](D("0.01"))) == '<span class="nobr">0.01元</span>（大写：壹分）'
    assert FILTERS["date_ar"](date(2026, 1, 5)) == '<span class="nobr">2026年1月5日</span>'
    assert FILTERS["nobr"]("<x>") == '<span class="nobr">&lt;x&gt;</span>'


def test_party_labels_and_lists():
    org = {"kind": "organisation"}
    person = {"kind": "individual"}
    assert (id_label(org), you(org)) == ("统一社会信用代码", "你单位")
    assert (id_label(person), you(person)) == ("身份证号码", "你")
    assert join_or(["栾川县人民政府"]) == "栾川县人民政府"
    assert join_or(["栾川县人民政府", "洛阳市医疗保障局"]) == "栾川县人民政府或者洛阳市医疗保障局"
    assert join_or(["甲", "乙", "丙"]) == "甲、乙或者丙"
    assert [number_chinese(n) for n in (1, 10, 12, 20)] == ["一", "十", "十二", "二十"]
    assert quantity(D("412")) == "412" and quantity(D("3.50")) == "3.5" and quantity(6) == "6"
