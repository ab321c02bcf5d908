"""违法明细 read from a spreadsheet: an .xlsx (its first sheet) or a .csv (UTF-8, with or without BOM,
UTF-16 with BOM, else GB18030 as Chinese Excel saves it) becomes raw rows for `details.parse_rows`,
with the line numbers of the file so a wrong row is named as people see it; and the blank template.

The file's type is judged from its bytes, not its name. The header row is found among the first
rows by the column names hospitals' and 医保 systems' exports use; other columns (序号, 规格, 科室 …)
are ignored, and so is a 合计 row. Large files are refused and a sheet is read as a stream, stopping
past the row limit. Every refusal is InvalidInput with a plain Chinese message.
"""

from __future__ import annotations

import csv
import io
import itertools
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from caseflow.errors import InvalidInput
from caseflow.violations import details as _details

HEADERS: dict[str, tuple[str, ...]] = {
    "item": ("项目名称", "药品名称", "项目或药品名称", "医药服务项目", "名称", "项目/药品名称",
             "收费项目名称", "医疗服务项目名称", "药品/诊疗项目名称"),
    "day": ("日期", "发生日期", "结算日期", "开始日期", "入院日期", "费用日期", "费用发生日期",
            "收费日期", "就诊日期"),
    "until": ("结束日期", "出院日期"),
    "quantity": ("数量",),
    "unit_price": ("单价", "单价（元）"),
    "amount": ("金额", "金额（元）", "违规金额", "违规费用", "违规费用（元）", "违规费用金额", "费用金额"),
    "fund_paid": ("基金支付", "医保基金支付", "基金支付金额", "医疗保障基金支付金额", "统筹支付",
                  "统筹基金支付", "统筹支付金额", "医保支付金额", "基金支付额"),
    "fund": ("险种", "基金", "参保类型", "险种类型"),
    "patient": ("参保人", "患者姓名", "姓名", "参保人员", "参保人姓名", "患者"),
    "note": ("备注",),
}
REQUIRED = ("item", "day", "quantity", "fund_paid")
MAX_BYTES = 20 << 20
MAX_UNZIPPED = 200 << 20  # what an .xlsx of 20 MB may hold once unzipped
HEADER_ROWS = 10
MIN_HEADERS = 3
EMPTY_RUN = 1000  # so many blank rows in a row end the table (a sheet formatted to its last line)
TOTAL_WORDS = frozenset({"合计", "总计", "小计"})
FIELD = "details_file"
TEMPLATE = ("参保人", "险种", "项目或药品名称", "日期", "结束日期", "数量", "单价（元）", "金额（元）",
            "医疗保障基金支付金额（元）", "备注")
GUIDE = (("参保人", "选填", "姓名保存时自动隐去中间的字，如 王小梅 记为 王*梅"),
         ("险种", "选填", "职工医保 或 居民医保（城乡居民、新农合可照填）"),
         ("项目或药品名称", "必填", "不超过200字"),
         ("日期", "必填", "费用发生或结算日期，如 2026-03-05；不能晚于今天"),
         ("结束日期", "选填", "住院等跨日的，填出院或结束日期，不能早于日期"),
         ("数量", "必填", "大于零，最多两位小数"),
         ("单价（元）", "与金额至少填一项", "最多四位小数；填了单价的，金额按数量×单价计算（四舍五入到分）"),
         ("金额（元）", "与单价至少填一项", "违规费用，精确到分；与数量×单价相差超过1分的不予导入"),
         ("医疗保障基金支付金额（元）", "必填", "医保基金实际支付的部分，不能大于金额"),
         ("备注", "选填", "不超过300字"))

Table = tuple[list[dict[str, Any]], Callable[[int], int]]


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(message, details={FIELD: message})


def _plain(header: Any) -> str:
    """A header as compared: no spaces, no 必填 star, no unit suffix (元)."""
    value = "".join(unicodedata.normalize("NFKC", str(header or "")).split()).strip("*＊:")
    return value.removesuffix("(元)")


_KEY_OF = {_plain(h): key for key, names in HEADERS.items() for h in names}


def read_table(data: bytes, filename: str) -> Table:
    """The rows of the file under our keys (blank and 合计 rows left out), and each row's line."""
    if not data:
        raise _refuse(f"明细文件「{filename}」是空文件。")
    if len(data) > MAX_BYTES:
        raise _refuse(f"明细文件不能超过{MAX_BYTES >> 20}MB，请分成几个文件导入。")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse("明细文件是旧版 Excel（.xls）格式或设有打开密码，请在 Excel 中取消密码、"
                      "「另存为」Excel 工作簿（.xlsx）后再导入。")
    if data.startswith(b"PK\x03\x04"):
        return _from_rows(enumerate(_xlsx_rows(data), start=1))
    content = _decoded(data)
    if content is None:
        raise _refuse("明细文件须为 Excel（.xlsx）或 CSV 文件。")
    return _from_rows(enumerate(_csv_rows(content), start=1))


def import_details(data: bytes, filename: str, *, today: date) -> list[_details.DetailRow]:
    """The file's 违法明细 typed; errors name the lines of the file."""
    rows, line_of = read_table(data, filename)
    return _details.parse_rows(rows, today=today, field="details", line_of=line_of)


# ── the table, whatever file it came from ───────────────────────────────
def _from_rows(lines: Iterator[tuple[int, list[Any]]]) -> Table:
    """The file's rows with their line numbers → the data rows under our keys, and their lines."""
    columns: dict[int, str] | None = None
    problem: str | None = None  # of the first row that looked like a header but would not do
    for n, cells in lines:
        found, trouble = _header(cells)
        if found is not None and trouble is None:
            columns = found
            break
        problem = problem or trouble
        if n >= HEADER_ROWS:
            break
    if columns is None:
        raise _refuse(problem or _missing_message((*REQUIRED, "amount"), found=False))
    rows: list[dict[str, Any]] = []
    at: list[int] = []
    blank_run, limit = 0, _details.MAX_ROWS
    for n, cells in lines:
        row = {key: cells[i] for i, key in columns.items() if i < len(cells)}
        if all(_details.blank(v) for v in row.values()) or _is_total(cells, row):
            blank_run += 1
            if blank_run >= EMPTY_RUN:
                break
            continue
        blank_run = 0
        if len(rows) >= limit:
            raise _refuse(f"明细不能超过{limit}行，请分成几个文件导入。")
        rows.append(row)
        at.append(n)
    return rows, at.__getitem__


def _header(cells: list[Any]) -> tuple[dict[int, str] | None, str | None]:
    """Column index → our key when `cells` look like a header row (else None), and what keeps it
    from being the header of a 明细 table (a column missing or given twice), if anything."""
    found = [(i, _KEY_OF.get(_plain(c))) for i, c in enumerate(cells) if isinstance(c, str)]
    columns = {i: key for i, key in found if key is not None}
    if len(columns) < MIN_HEADERS:
        return None, None
    seen: dict[str, int] = {}
    for i, key in columns.items():
        if key in seen:
            first, second = cells[seen[key]].strip(), cells[i].strip()
            label = _details.LABELS[key]
            return columns, f"明细表中「{first}」和「{second}」两列都是{label}，请只保留一列。"
        seen[key] = i
    missing = [k for k in REQUIRED if k not in seen]
    if "amount" not in seen and "unit_price" not in seen:
        missing.append("amount")
    return columns, _missing_message(tuple(missing), found=True) if missing else None


def _missing_message(keys: tuple[str, ...], *, found: bool) -> str:
    def accepted(key: str) -> str:
        names = HEADERS[key] + (HEADERS["unit_price"] if key == "amount" else ())
        return "、".join(n for n in names if "（元）" not in n)

    label = {**_details.LABELS, "amount": "金额或单价"}
    parts = "；".join(f"{label[k]}（列名可为：{accepted(k)}）" for k in keys)
    lead = "明细表缺少以下列" if found else f"在前{HEADER_ROWS}行中未找到明细表的表头，表头须有以下列"
    return f"{lead}：{parts}。可下载导入模板对照填写。"


def _is_total(cells: list[Any], row: dict[str, Any]) -> bool:
    first = next((c for c in cells if not _details.blank(c)), None)
    words = (v for v in (first, row.get("item")) if isinstance(v, str))
    return any("".join(v.split()) in TOTAL_WORDS for v in words)


# ── xlsx ────────────────────────────────────────────────────────────────
def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    corrupt = "明细文件已损坏或不是有效的 Excel 文件，请在 Excel 中打开后「另存为」.xlsx 再导入。"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.infolist()
            if "xl/workbook.xml" not in {n.filename for n in names}:
                raise _refuse("明细文件是压缩包或其他文档，不是 Excel 表格（.xlsx）。")
            if sum(n.file_size for n in names) > MAX_UNZIPPED:
                raise _refuse("明细文件内容过大，请分成几个文件导入。")
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0] if book.worksheets else None
    except InvalidInput:
        raise
    except Exception:  # noqa: BLE001 - any failure to open is the same answer to the officer
        raise _refuse(corrupt) from None
    if sheet is None:
        raise _refuse("明细文件中没有工作表。")
    sheet.reset_dimensions()  # a wrong <dimension> in the file must not cut rows off

    def rows() -> Iterator[list[Any]]:
        try:
            for cells in sheet.iter_rows(values_only=True):
                yield [_cell(v) for v in cells]
        except Exception:  # noqa: BLE001 - a sheet broken halfway
            raise _refuse(corrupt) from None
        finally:
            book.close()

    return rows()


def _cell(value: Any) -> Any:
    """A cell as `parse_rows` takes it: a number as Excel shows it (15 digits), so 3×12.35 computed
    in a formula is 37.05, not 37.050000000000004."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return Decimal(f"{value:.15g}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, (datetime, date, str)) or value is None:
        return value
    return str(value)


# ── csv ─────────────────────────────────────────────────────────────────
def _decoded(data: bytes) -> str | None:
    """The text of a CSV file, or None when the bytes are not text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            content = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(ord(c) < 32 and c not in "\t\r\n" or c == "\x7f" for c in content):
            return None
        return content
    return None


def _csv_rows(content: str) -> Iterator[list[Any]]:
    """Rows split by the delimiter (, ; or tab) that makes a header of the first lines."""
    head = list(itertools.islice(io.StringIO(content), HEADER_ROWS))
    delimiter = next((c for c in (",", "\t", ";") if _delimits(head, c)), ",")

    def rows() -> Iterator[list[Any]]:
        try:
            yield from csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
        except csv.Error:  # a field over the csv module's limit, a stray quote
            raise _refuse("CSV 文件格式有误（如引号不成对或某格过长），"
                          "请在 Excel 中打开后「另存为」.xlsx 再导入。") from None

    return rows()


def _delimits(head: list[str], delimiter: str) -> bool:
    try:
        rows = list(csv.reader(head, delimiter=delimiter))
    except csv.Error:
        return False
    return any(sum(_plain(c) in _KEY_OF for c in r) >= MIN_HEADERS for r in rows)


# ── the template ────────────────────────────────────────────────────────
def template_xlsx(rows: Iterable[_details.DetailRow] = ()) -> bytes:
    """A 违法明细 sheet with our headers — blank, or holding `rows` (a violation's 明细 as recorded, the
    参保人 masked: to read, or to correct and import again for 变更认定金额) — and a sheet 「填写说明」."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = "违法明细"
    sheet.append(list(TEMPLATE))
    for i, cell in enumerate(sheet[1], start=1):
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(i)].width = max(10, 2 * len(TEMPLATE[i - 1]) + 2)
    sheet.freeze_panes = "A2"
    for r in rows:  # the columns of TEMPLATE, in its order
        sheet.append([r.patient, r.fund, r.item, r.day, r.until, r.quantity, r.unit_price, r.amount, r.fund_paid,
                      r.note])
    choices = '"' + ",".join(_details.FUNDS) + '"'
    funds = DataValidation(type="list", formula1=choices, allow_blank=True)
    funds.add(f"B2:B{_details.MAX_ROWS + 1}")
    sheet.add_data_validation(funds)
    guide = book.create_sheet("填写说明")
    guide.append(["列名", "是否必填", "说明"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for line in GUIDE:
        guide.append(list(line))
    for column, width in zip("ABC", (28, 18, 60), strict=True):
        guide.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
