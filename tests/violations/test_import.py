"""违法明细 imported from .xlsx and .csv files (caseflow.violations.importer)."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from caseflow.errors import InvalidInput
from caseflow.violations import details, importer
from caseflow.violations.importer import import_details, read_table, template_xlsx

TODAY = date(2026, 5, 10)
HEADER = ["序号", "参保人", "险种", "项目名称", "结算日期", "数量", "单价（元）", "金额（元）",
          "医保基金支付", "备注"]


def xlsx(*rows: list[Any], title: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def refused(data: bytes, name: str = "明细.xlsx") -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        import_details(data, name, today=TODAY)
    return info.value


def test_xlsx_with_date_cells() -> None:
    data = xlsx(HEADER,
                [1, "王小梅", "职工", "头孢克肟分散片", datetime(2026, 3, 5), 3, 12.35, None, 30, "串换"],
                [2, "欧阳小明", "新农合", "血常规", datetime(2026, 3, 6, 10, 30), 1, None, 25.5, 20.4, None])
    rows = import_details(data, "明细.xlsx", today=TODAY)
    assert [(r.item, r.day, r.amount, r.fund_paid, r.fund, r.patient) for r in rows] == [
        ("头孢克肟分散片", date(2026, 3, 5), Decimal("37.05"), Decimal("30.00"), "职工医保", "王*梅"),
        ("血常规", date(2026, 3, 6), Decimal("25.50"), Decimal("20.40"), "居民医保", "欧**明")]
    assert rows[0].note == "串换" and rows[1].note is None


def test_xlsx_with_a_title_row_and_text_dates() -> None:
    header = ["项目或药品名称", "日期", "结束日期", "数量", "违规费用", "医疗保障基金支付金额（元）"]
    data = xlsx(header, ["住院床位费", "2026/2/1", "2026年2月5日", "4", "200", "160"],
                ["护理费", "2026-02-01", None, "4", "1,000.00", "800"],
                title="某某医院违规费用明细表")
    rows, line_of = read_table(data, "明细.xlsx")
    assert [line_of(i) for i in range(len(rows))] == [3, 4]
    parsed = details.parse_rows(rows, today=TODAY, line_of=line_of)
    assert parsed[0].until == date(2026, 2, 5) and parsed[1].amount == Decimal("1000.00")


def test_float_computed_by_a_formula_read_as_excel_shows_it() -> None:
    data = xlsx(["项目名称", "日期", "数量", "单价", "金额", "基金支付"],
                ["x", date(2026, 3, 5), 3, 12.35, 3 * 12.35, 30])
    assert import_details(data, "a.xlsx", today=TODAY)[0].amount == Decimal("37.05")


def test_a_bad_row_named_by_its_line_in_the_file() -> None:
    header = ["项目名称", "日期", "数量", "金额", "基金支付"]
    data = xlsx(header, ["CT", "2026-03-01", 1, 100, 80], ["CT", "2026-03-02", 0, 100, 120],
                title="明细")
    exc = refused(data)
    assert exc.details == {"details[1].quantity": "第4行：数量须大于零",
                           "details[1].fund_paid": "第4行：基金支付金额不能大于金额（100.00元）"}
    first = refused(xlsx(header, ["CT", "2027-01-01", 1, 100, 80], title="明细"))
    assert first.details == {"details[0].day": "第3行：日期不能晚于今天（2026-05-10）"}


def test_blank_and_total_rows_left_out_lines_kept() -> None:
    header = ["序号", "项目名称", "日期", "数量", "金额", "基金支付"]
    data = xlsx(header, [1, "CT", "2026-03-01", 1, 100, 80], [None] * 6, [],
                [2, "MRI", "2026-03-01", 1, 0, 0], ["合计", None, None, None, 100, 80])
    exc = refused(data)
    assert exc.details == {"details[1].amount": "第5行：金额须大于零"}


def test_other_columns_ignored_and_headers_normalised() -> None:
    header = ["科室", "＊项目名称", "费用 日期", "数量", "单价(元)", "基金支付金额（元）", "规格"]
    rows = import_details(xlsx(header, ["内科", "CT", "2026-03-01", 2, "50", "90", "1次"]),
                          "a.xlsx", today=TODAY)
    assert rows[0].amount == Decimal("100.00")


def test_utf8_bom_csv() -> None:
    text = "参保人,项目名称,日期,数量,单价,基金支付\r\n王小梅,\"CT,平扫\",2026-03-05,1,\"1,200.00\",900\r\n"
    [r] = import_details(text.encode("utf-8-sig"), "明细.csv", today=TODAY)
    assert (r.item, r.amount, r.patient) == ("CT,平扫", Decimal("1200.00"), "王*梅")


def test_gbk_csv_with_semicolons_named_txt() -> None:
    text = "项目名称;结算日期;数量;违规金额;统筹支付;险种\n血常规;2026/3/5;1;25.50;20;城乡居民\n"
    [r] = import_details(text.encode("gbk"), "export.txt", today=TODAY)
    assert (r.item, r.fund, r.fund_paid) == ("血常规", "居民医保", Decimal("20.00"))


def test_tab_separated_utf16() -> None:
    text = "项目名称\t日期\t数量\t金额\t基金支付\n血常规\t2026-03-05\t1\t25.50\t20\n"
    [r] = import_details(text.encode("utf-16"), "明细.txt", today=TODAY)
    assert r.amount == Decimal("25.50")


def test_csv_lines_numbered_as_in_the_file() -> None:
    text = "某医院明细\n项目名称,日期,数量,金额,基金支付\nCT,2026-03-05,1,100,80\nCT,2026-13-05,1,100,80\n"
    exc = refused(text.encode("gb18030"), "明细.csv")
    assert list(exc.details) == ["details[1].day"]
    assert exc.details["details[1].day"].startswith("第4行：")


def test_old_xls_and_encrypted_refused() -> None:
    exc = refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "明细.xls")
    assert ".xlsx" in exc.message and "另存为" in exc.message
    assert set(exc.details) == {"details_file"}


def test_random_bytes_refused() -> None:
    exc = refused(os.urandom(4096) + b"\x00\x01\x02", "明细.xlsx")
    assert exc.message == "明细文件须为 Excel（.xlsx）或 CSV 文件。"
    assert exc.details == {"details_file": exc.message}


def test_a_pdf_refused() -> None:
    assert "Excel" in refused(b"%PDF-1.7\n\x00\x01binary", "a.csv").message


def test_empty_file_refused() -> None:
    assert "空文件" in refused(b"", "明细.csv").message


def test_corrupt_xlsx_refused_without_a_trace() -> None:
    good = xlsx(["项目名称", "日期", "数量", "金额", "基金支付"])
    exc = refused(good[: len(good) // 2])
    assert "损坏" in exc.message and exc.__cause__ is None and exc.__suppress_context__


def test_a_zip_that_is_no_workbook_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert "不是 Excel" in refused(out.getvalue()).message


def test_a_broken_workbook_inside_a_good_zip_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not xml")
    assert "损坏" in refused(out.getvalue()).message


def test_missing_columns_named_with_accepted_headers() -> None:
    exc = refused(xlsx(["项目名称", "日期", "金额", "备注"], ["CT", "2026-03-01", 100, ""]))
    assert exc.message.startswith("明细表缺少以下列：数量（列名可为：数量）；基金支付金额（列名可为：")
    assert "医疗保障基金支付金额" in exc.message and "金额或单价" not in exc.message


def test_amount_or_unit_price_column_required() -> None:
    exc = refused(xlsx(["项目名称", "日期", "数量", "基金支付"], ["CT", "2026-03-01", 1, 80]))
    assert "金额或单价（列名可为：金额、违规金额" in exc.message and "单价" in exc.message


def test_no_header_found() -> None:
    exc = refused(xlsx(*[["说明"]] * 12, ["项目名称", "日期", "数量", "金额", "基金支付"]))
    assert "前10行中未找到明细表的表头" in exc.message and "项目或药品名称（列名可为：项目名称" in exc.message


def test_two_columns_for_one_field_refused() -> None:
    exc = refused(xlsx(["项目名称", "药品名称", "日期", "数量", "金额", "基金支付"]))
    assert exc.message == "明细表中「项目名称」和「药品名称」两列都是项目或药品名称，请只保留一列。"


def test_too_many_rows_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(details, "MAX_ROWS", 5)
    header = ["项目名称", "日期", "数量", "金额", "基金支付"]
    ok = [["CT", "2026-03-01", 1, 100, 80]] * 5
    assert len(import_details(xlsx(header, *ok), "a.xlsx", today=TODAY)) == 5
    assert "不能超过5行" in refused(xlsx(header, *ok, ["CT", "2026-03-01", 1, 100, 80])).message
    csv_text = "\n".join([",".join(header)] + ["CT,2026-03-01,1,100,80"] * 6)
    assert "不能超过5行" in refused(csv_text.encode(), "a.csv").message


def test_too_large_a_file_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "MAX_BYTES", 100)
    assert "不能超过" in refused(b"a,b,c\n" * 50, "a.csv").message


def test_template_headers_read_back() -> None:
    data = template_xlsx()
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["违法明细", "填写说明"]
    headers = [c.value for c in book["违法明细"][1]]
    assert headers == list(importer.TEMPLATE)
    guide = list(book["填写说明"].iter_rows(min_row=2, values_only=True))
    assert [g[0] for g in guide] == headers
    assert read_table(data, "模板.xlsx")[0] == []
    assert refused(data).message == "请至少填写一行违法明细。"


def test_template_filled_in_imports() -> None:
    book = load_workbook(io.BytesIO(template_xlsx()))
    book["违法明细"].append(["李四", "居民医保", "床位费", date(2026, 3, 1), date(2026, 3, 4), 3, 40,
                          None, 96, None])
    out = io.BytesIO()
    book.save(out)
    [r] = import_details(out.getvalue(), "模板.xlsx", today=TODAY)
    assert (r.patient, r.amount, r.until) == ("李*", Decimal("120.00"), date(2026, 3, 4))


def test_a_block_above_the_header_that_looks_like_one_is_passed_over() -> None:
    data = xlsx(["姓名", "险种", "备注"], ["王小梅", "职工", "住院"],
                ["项目名称", "日期", "数量", "金额", "基金支付"], ["CT", "2026-03-01", 1, 100, 80])
    rows, line_of = read_table(data, "a.xlsx")
    assert rows == [{"item": "CT", "day": "2026-03-01", "quantity": Decimal(1),
                     "amount": Decimal(100), "fund_paid": Decimal(80)}] and line_of(0) == 4


def test_a_malformed_csv_refused_without_a_trace() -> None:
    text = "项目名称,日期,数量,金额,基金支付\n\"" + "x" * 200_000 + "\",2026-03-01,1,1,1\n"
    exc = refused(text.encode(), "a.csv")
    assert "CSV 文件格式有误" in exc.message and exc.__suppress_context__
