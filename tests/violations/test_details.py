"""违法明细 typed, checked and summed (caseflow.violations.details), from the rules of the module."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from caseflow.errors import InvalidInput
from caseflow.violations import details as d

TODAY = date(2026, 5, 10)


def row(**cells: object) -> dict[str, object]:
    base: dict[str, object] = {"item": "彩色多普勒超声检查", "day": "2026-03-05", "quantity": "1",
                               "amount": "150.00", "fund_paid": "120.00"}
    return {**base, **cells}


def refused(raw: list[dict[str, object]], **kwargs: object) -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        d.parse_rows(raw, today=TODAY, **kwargs)  # type: ignore[arg-type]
    return info.value


# ── amounts ─────────────────────────────────────────────────────────────
def test_amount_is_quantity_times_unit_price() -> None:
    [r] = d.parse_rows([row(quantity="3", unit_price="12.35", amount=None, fund_paid="30")],
                       today=TODAY)
    assert r.amount == Decimal("37.05") and r.unit_price == Decimal("12.35")
    assert r.quantity == Decimal("3")


def test_product_rounded_to_the_fen() -> None:
    [r] = d.parse_rows([row(quantity="1.5", unit_price="0.33", amount="", fund_paid="0")],
                       today=TODAY)
    assert r.amount == Decimal("0.50")  # 0.495 rounded half up


def test_an_amount_agreeing_with_the_product_is_accepted() -> None:
    [r] = d.parse_rows([row(quantity="3", unit_price="12.35", amount="37.05", fund_paid="30")],
                       today=TODAY)
    assert r.amount == Decimal("37.05")


def test_an_amount_that_disagrees_names_the_computed_value() -> None:
    exc = refused([row(quantity="3", unit_price="12.35", amount="40")])
    assert exc.details == {"details[0].amount": "第1行：金额与数量×单价不符（按数量×单价应为37.05元）"}
    assert "第1行" in exc.message and "37.05" in exc.message


def test_amount_or_unit_price_required() -> None:
    exc = refused([row(amount=None)])
    assert "details[0].amount" in exc.details


def test_fund_paid_above_amount_refused() -> None:
    exc = refused([row(amount="100", fund_paid="100.01")])
    assert "基金支付金额不能大于金额" in exc.details["details[0].fund_paid"]


def test_fund_paid_equal_to_amount_and_zero_accepted() -> None:
    rows = d.parse_rows([row(amount="100", fund_paid="100"), row(fund_paid="0")], today=TODAY)
    assert [r.fund_paid for r in rows] == [Decimal("100.00"), Decimal("0.00")]


def test_fund_paid_required() -> None:
    exc = refused([row(fund_paid="")])
    assert exc.details == {"details[0].fund_paid": "第1行：基金支付金额须填写"}


@pytest.mark.parametrize("value", ["1,234.5", "¥1,234.50", "1234.50元", "１２３４.５", 1234.5,
                                   Decimal("1234.5")])
def test_money_as_people_write_it(value: object) -> None:
    [r] = d.parse_rows([row(amount=value, fund_paid="0")], today=TODAY)
    assert r.amount == Decimal("1234.50") and str(r.amount) == "1234.50"


@pytest.mark.parametrize("value", ["12.345", "-5", "NaN", "inf", "1e12", "十元", True])
def test_bad_money_refused(value: object) -> None:
    exc = refused([row(amount=value, fund_paid="0")])
    assert set(exc.details) == {"details[0].amount"}
    assert exc.details["details[0].amount"].startswith("第1行：金额")


@pytest.mark.parametrize("value, message", [("0", "数量须大于零"), ("-1", "数量不能为负"),
                                            ("1.234", "数量最多保留两位小数"), ("两", "数量须为数字")])
def test_bad_quantity_refused(value: str, message: str) -> None:
    exc = refused([row(quantity=value)])
    assert exc.details["details[0].quantity"].startswith(f"第1行：{message}")


def test_quantity_with_a_unit() -> None:
    [r] = d.parse_rows([row(quantity="3次", unit_price="50", amount=None)], today=TODAY)
    assert r.quantity == 3 and r.amount == Decimal("150.00")


# ── dates ───────────────────────────────────────────────────────────────
@pytest.mark.parametrize("value", ["2026-03-05", "2026/3/5", "2026年3月5日", "2026.3.5", "20260305",
                                   "2026-03-05 14:30:00", date(2026, 3, 5),
                                   datetime(2026, 3, 5, 9)])
def test_dates_as_people_write_them(value: object) -> None:
    [r] = d.parse_rows([row(day=value)], today=TODAY)
    assert r.day == date(2026, 3, 5)


def test_future_date_refused() -> None:
    exc = refused([row(day="2026-05-11")])
    assert "日期不能晚于今天" in exc.details["details[0].day"]
    assert d.parse_rows([row(day="2026-05-10")], today=TODAY)[0].day == TODAY


def test_until_before_day_refused() -> None:
    exc = refused([row(day="2026-03-05", until="2026-03-04")])
    assert exc.details == {"details[0].until": "第1行：结束日期不能早于日期"}
    [r] = d.parse_rows([row(day="2026-03-05", until="2026-03-09")], today=TODAY)
    assert r.until == date(2026, 3, 9)


@pytest.mark.parametrize("value", ["2026-02-30", "3月5日", "明天", "2026-03-05 下午"])
def test_bad_date_refused(value: str) -> None:
    assert "details[0].day" in refused([row(day=value)]).details


# ── funds, text, masking ────────────────────────────────────────────────
@pytest.mark.parametrize("alias, fund", [("职工", "职工医保"), ("职工基本医疗保险", "职工医保"),
                                         ("城镇职工", "职工医保"), ("职工医保", "职工医保"),
                                         ("居民", "居民医保"), ("城乡居民", "居民医保"),
                                         ("城乡居民基本医疗保险", "居民医保"), ("新农合", "居民医保"),
                                         (" 居民 医保 ", "居民医保")])
def test_fund_aliases_mapped(alias: str, fund: str) -> None:
    assert d.parse_rows([row(fund=alias)], today=TODAY)[0].fund == fund


def test_unknown_fund_refused_with_the_choices() -> None:
    exc = refused([row(fund="商业保险")])
    assert exc.details == {"details[0].fund": "第1行：险种须为：职工医保、居民医保"}


def test_item_required_and_bounded() -> None:
    assert "details[0].item" in refused([row(item="  ")]).details
    assert "不能超过200字" in refused([row(item="药" * 201)]).details["details[0].item"]
    assert "details[0].note" in refused([row(note="注" * 301)]).details


@pytest.mark.parametrize("name, masked", [("王小梅", "王*梅"), ("王梅", "王*"), ("李四", "李*"),
                                          ("欧阳小明", "欧**明"), ("王*梅", "王*梅"), ("欧**明", "欧**明"),
                                          ("John Smith", "J*"), ("J*", "J*"), ("王", "*")])
def test_mask_name(name: str, masked: str) -> None:
    assert d.mask_name(name) == masked


def test_the_stored_row_never_holds_the_full_name() -> None:
    [r] = d.parse_rows([row(patient="王小梅")], today=TODAY)
    assert r.patient == "王*梅"
    assert "小" not in repr(r) and "小" not in json.dumps(d.to_json([r]), ensure_ascii=False)
    built = d.DetailRow(item="x", day=TODAY, until=None, quantity=Decimal(1), unit_price=None,
                        amount=Decimal("1.00"), fund_paid=Decimal("0.00"), fund=None,
                        patient="欧阳小明", note=None)
    assert built.patient == "欧**明"


# ── the table as a whole ────────────────────────────────────────────────
def test_every_error_of_every_row_at_once() -> None:
    raw = [row(), row(quantity="0", day="2027-01-01"), row(),
           row(fund="商保", amount="10", fund_paid="20")]
    exc = refused(raw)
    assert exc.details == {
        "details[1].day": "第2行：日期不能晚于今天（2026-05-10）",
        "details[1].quantity": "第2行：数量须大于零",
        "details[3].fund_paid": "第4行：基金支付金额不能大于金额（10.00元）",
        "details[3].fund": "第4行：险种须为：职工医保、居民医保",
    }
    assert exc.message == ("违法明细有误：第2行 日期不能晚于今天（2026-05-10），数量须大于零；"
                           "第4行 基金支付金额不能大于金额（10.00元），险种须为：职工医保、居民医保。")


def test_line_of_numbers_rows_as_in_the_file() -> None:
    exc = refused([row(), row(quantity="0")], line_of=lambda i: i + 3, field="v")
    assert exc.details == {"v[1].quantity": "第4行：数量须大于零"} and "第4行" in exc.message


def test_empty_rows_skipped() -> None:
    rows = d.parse_rows([{}, row(), {"item": " ", "day": None, "note": ""}, row(item="血常规")],
                        today=TODAY)
    assert [r.item for r in rows] == ["彩色多普勒超声检查", "血常规"]


def test_nothing_given_refused() -> None:
    assert refused([]).message == "请至少填写一行违法明细。"
    assert refused([{"item": ""}, {}]).message == "请至少填写一行违法明细。"


def test_unknown_key_refused() -> None:
    exc = refused([row(amount_total="3")])
    assert exc.details == {"details[0].amount_total": "第1行：不接受「amount_total」"}


def test_too_many_rows_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(d, "MAX_ROWS", 3)
    assert d.parse_rows([row()] * 3, today=TODAY)
    assert "不能超过3行" in refused([row()] * 4).message


def test_many_wrong_rows_message_kept_short() -> None:
    exc = refused([row(quantity="0")] * 30)
    assert len(exc.details) == 30 and "另有10行有误" in exc.message and "第21行" not in exc.message


# ── sums ────────────────────────────────────────────────────────────────
def test_totals_and_by_fund() -> None:
    rows = d.parse_rows([
        row(fund="居民", amount="100", fund_paid="80", day="2026-02-01"),
        row(fund="职工", quantity="2", unit_price="0.35", amount=None, fund_paid="0.70",
            day="2026-01-15"),
        row(amount="50", fund_paid="40", day="2026-03-01", until="2026-03-08"),
        row(fund="职工医保", amount="1000", fund_paid="900.5", day="2026-02-20"),
    ], today=TODAY)
    t = d.totals(rows)
    assert t.rows == 4
    assert t.amount == Decimal("1150.70") and t.fund_paid == Decimal("1021.20")
    assert t.by_fund == {"职工医保": Decimal("901.20"), "居民医保": Decimal("80.00"),
                         "未注明险种": Decimal("40.00")}
    assert list(t.by_fund) == ["职工医保", "居民医保", "未注明险种"]
    assert (t.first_day, t.last_day) == (date(2026, 1, 15), date(2026, 3, 8))


def test_fund_split_text() -> None:
    both = d.parse_rows([row(fund="职工", amount="15000", fund_paid="12000"),
                         row(fund="居民", amount="3000", fund_paid="3000")], today=TODAY)
    assert d.fund_split_text(d.totals(both)) == "其中职工医保基金12,000.00元、居民医保基金3,000.00元"
    one = d.parse_rows([row(fund="居民"), row(fund="新农合")], today=TODAY)
    assert d.fund_split_text(d.totals(one)) == ""
    none = d.parse_rows([row()], today=TODAY)
    assert d.fund_split_text(d.totals(none)) == ""
    assert d.totals(none).by_fund == {"未注明险种": Decimal("120.00")}


# ── JSON ────────────────────────────────────────────────────────────────
def test_json_round_trip() -> None:
    rows = d.parse_rows([row(quantity="2.5", unit_price="10.01", amount=None, fund_paid="20",
                             until="2026-03-06", fund="职工", patient="王小梅", note="串换项目"),
                         row()], today=TODAY)
    data = d.to_json(rows)
    assert data[0] == {"item": "彩色多普勒超声检查", "day": "2026-03-05", "until": "2026-03-06",
                       "quantity": "2.5", "unit_price": "10.01", "amount": "25.03",
                       "fund_paid": "20.00", "fund": "职工医保", "patient": "王*梅", "note": "串换项目"}
    assert data[1]["unit_price"] is None and data[1]["amount"] == "150.00"
    assert d.from_json(json.loads(json.dumps(data))) == rows


def test_an_amount_within_a_fen_of_the_product_is_kept_as_given() -> None:
    """The settlement record's own figure: its system may round each line differently."""
    [r] = d.parse_rows([row(quantity="3", unit_price="12.35", amount="37.06", fund_paid="37.06")],
                       today=TODAY)
    assert r.amount == Decimal("37.06")
    assert "应为37.05元" in refused([row(quantity="3", unit_price="12.35", amount="37.07")]).message


def test_a_drug_price_of_four_decimals_gives_an_amount_to_the_fen():
    """Drug unit prices are settled to four decimals (0.0325元/片); the 违规费用 is to the 分."""
    (row,) = d.parse_rows([{"item": "阿司匹林肠溶片", "day": "2026-03-01", "quantity": "300", "unit_price": "0.0325",
                            "fund_paid": "7.80"}], today=TODAY)
    assert (row.unit_price, row.amount) == (Decimal("0.0325"), Decimal("9.75"))
    with pytest.raises(InvalidInput) as info:
        d.parse_rows([{"item": "x", "day": "2026-03-01", "quantity": "1", "unit_price": "0.03251",
                       "fund_paid": "0"}], today=TODAY)
    assert "四位小数" in info.value.message
