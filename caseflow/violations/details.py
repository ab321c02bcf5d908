"""The 违法明细 rows of one violation: their type, their typing and checking from what people enter
or import, their sums, the masking of 参保人 names, and their JSON form.

A row is one item charged on one day (or over a stay): 项目或药品名称, 日期, 数量, 单价, 违规费用 and
the part the 医疗保障基金 paid. The violation's amounts are the sums of its rows. Where a unit price
is given the amount is quantity × unit price (to the 分); an amount given beside it must agree within
one 分. Money is exact to the 分; a date after today is refused (the rows record past facts); the
参保人 is kept masked (王*梅), never in full.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from caseflow.db.text import Bad, text
from caseflow.db.types import CENT
from caseflow.errors import InvalidInput
from caseflow.legal_time import SHANGHAI

FUNDS = ("职工医保", "居民医保")
FUND_ALIASES = {"职工医保": ("职工", "职工基本医疗保险", "城镇职工", "城镇职工基本医疗保险", "职工医疗保险",
                         "职工基本医疗保险统筹基金", "职工医保统筹基金"),
                "居民医保": ("居民", "城乡居民", "城乡居民基本医疗保险", "城乡居民医保", "城镇居民",
                         "城镇居民基本医疗保险", "城乡居民基本医疗保险基金", "新农合", "新型农村合作医疗")}
NO_FUND = "未注明险种"
MAX_ROWS = 5000
MAX_AMOUNT = Decimal("1e12")  # the Money column (Numeric(14, 2)) holds less than 10¹² 元
MAX_QUANTITY = Decimal("1e8")
YEARS = (1900, 9999)
LABELS = {"item": "项目或药品名称", "day": "日期", "until": "结束日期", "quantity": "数量",
          "unit_price": "单价", "amount": "金额", "fund_paid": "基金支付金额", "fund": "险种",
          "patient": "参保人", "note": "备注"}
SHOWN_ROWS = 20  # rows named in the message; `details` names every wrong cell
_ORDER = {key: i for i, key in enumerate(LABELS)}
_FUND_OF = {alias: fund for fund, aliases in FUND_ALIASES.items() for alias in (fund, *aliases)}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(.*)$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TIME = re.compile(r"^(?:[T\s]?\s*\d{1,2}[:：]\d{1,2}(?:[:：]\d{1,2}(?:\.\d+)?)?)?$")
_UNIT = re.compile(r"^(.*?\d)\s*[\u4e00-\u9fff]{1,2}$")  # 数量 "3次", "2盒"


@dataclass(frozen=True)
class DetailRow:
    item: str
    day: date
    until: date | None
    quantity: Decimal
    unit_price: Decimal | None
    amount: Decimal
    fund_paid: Decimal
    fund: str | None
    patient: str | None  # masked, whatever was given
    note: str | None

    def __post_init__(self) -> None:
        if self.patient is not None:
            object.__setattr__(self, "patient", mask_name(self.patient))


@dataclass(frozen=True)
class Totals:
    rows: int
    amount: Decimal
    fund_paid: Decimal
    by_fund: dict[str, Decimal]
    first_day: date
    last_day: date


def mask_name(name: str) -> str:
    """王小梅 → 王*梅, 王梅 → 王*, 欧阳小明 → 欧**明; a Latin name keeps its first letter (John → J*).
    Masking a masked name changes nothing."""
    name = "".join(name.split())
    if not name:
        return ""
    if not any(unicodedata.category(c) == "Lo" for c in name):  # no CJK: a Latin name
        first = next((c for c in name if c.isalpha()), "")
        return f"{first}*"
    if len(name) < 3:
        return "*" if len(name) == 1 else f"{name[0]}*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


# ── one cell ────────────────────────────────────────────────────────────
def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(raw: Any) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float, Decimal)):
        raise Bad("须为数字")
    cleaned = unicodedata.normalize("NFKC", str(raw)).strip().lstrip("¥").removesuffix("元")
    try:
        value = Decimal(cleaned.replace(",", "").strip())
    except InvalidOperation:
        raise Bad("须为数字，如 1,234.50") from None
    if not value.is_finite():
        raise Bad("须为数字，如 1,234.50")
    if value < 0:
        raise Bad("不能为负")
    return value


def to_money(raw: Any) -> Decimal:
    """An amount in 元, exact to the 分, not negative, less than 10¹²."""
    value = _number(raw)
    if value >= MAX_AMOUNT:
        raise Bad("须小于一万亿元")
    if value != value.quantize(CENT):
        raise Bad("须精确到分")
    return value.quantize(CENT)


PRICE_PLACES = Decimal("0.0001")  # drug prices are settled to 4 decimals (0.0325元/片); amounts to the 分


def to_price(raw: Any) -> Decimal:
    """A unit price in 元 with at most four decimals, not negative, less than 10¹²."""
    value = _number(raw)
    if value >= MAX_AMOUNT:
        raise Bad("须小于一万亿元")
    if value != value.quantize(PRICE_PLACES):
        raise Bad("最多保留四位小数")
    return value.quantize(CENT) if value == value.quantize(CENT) else value.normalize()


def to_quantity(raw: Any) -> Decimal:
    """A quantity above zero with at most two decimals; a unit after it ("3次") is dropped."""
    if isinstance(raw, str) and (m := _UNIT.match(raw.strip())):
        raw = m.group(1)
    value = _number(raw)
    if value == 0:
        raise Bad("须大于零")
    if value >= MAX_QUANTITY:
        raise Bad("过大")
    if value != value.quantize(CENT):
        raise Bad("最多保留两位小数")
    value = value.quantize(CENT)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def to_date(raw: Any) -> date:
    """2026-12-05, 2026/12/5, 2026.12.5, 2026年12月5日, 20261205 (a time after it is ignored), or a
    date or datetime (an aware one on its day in Beijing)."""
    if isinstance(raw, datetime):
        day = raw.astimezone(SHANGHAI).date() if raw.tzinfo is not None else raw.date()
    elif isinstance(raw, date):
        day = raw
    elif isinstance(raw, (str, int, Decimal)) and not isinstance(raw, bool):
        day = _date_text(unicodedata.normalize("NFKC", str(raw)).strip())
    else:
        raise Bad("须为日期")
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise Bad(f"年份须在{YEARS[0]}至{YEARS[1]}年之间")
    return day


def _date_text(value: str) -> date:
    m = _DATE.match(value) or _COMPACT_DATE.match(value)
    if not m or (m.re is _DATE and not _TIME.match(m.group(4))):
        raise Bad("不是有效的日期（如 2026-12-05、2026年12月5日）")
    y, mo, d = (int(g) for g in m.groups()[:3])
    try:
        return date(y, mo, d)
    except ValueError:
        raise Bad(f"{y}年{mo}月{d}日不存在") from None


def _text(raw: Any, limit: int) -> str:
    if isinstance(raw, Decimal):  # a number typed in a text column of a spreadsheet
        raw = format(raw, "f")
    return text(raw, limit=limit, multiline=False)


def to_fund(raw: Any) -> str:
    value = "".join(_text(raw, 50).split())
    if value not in _FUND_OF:
        raise Bad("须为：" + "、".join(FUNDS))
    return _FUND_OF[value]


# ── rows ────────────────────────────────────────────────────────────────
def _row(cells: Mapping[Any, Any], today: date, errors: dict[str, str]) -> DetailRow | None:
    """One row typed, or None with what is wrong in `errors` (key → message)."""
    typed: dict[str, Any] = dict.fromkeys(LABELS)
    converters: dict[str, Callable[[Any], Any]] = {
        "item": lambda v: _text(v, 200), "day": to_date, "until": to_date, "quantity": to_quantity,
        "unit_price": to_price, "amount": to_money, "fund_paid": to_money, "fund": to_fund,
        "patient": lambda v: mask_name(_text(v, 50)) or None,
        "note": lambda v: _text(v, 300) or None,
    }
    for key, raw in cells.items():
        if key not in LABELS:
            shown = "".join(c for c in str(key) if c.isprintable())[:40]
            errors[shown] = f"不接受「{shown}」"
            continue
        if blank(raw):
            continue
        try:
            typed[key] = converters[key](raw)
        except Bad as exc:
            errors[key] = f"{LABELS[key]}{exc}"
    for key in ("item", "day", "quantity", "fund_paid"):
        if typed[key] is None and key not in errors:
            errors[key] = f"{LABELS[key]}须填写"
    for key in ("day", "until"):
        if typed[key] is not None and typed[key] > today:
            errors[key] = f"{LABELS[key]}不能晚于今天（{today:%Y-%m-%d}）"
    if typed["day"] and typed["until"] and typed["until"] < typed["day"]:
        errors["until"] = "结束日期不能早于日期"
    amount, price, quantity = typed["amount"], typed["unit_price"], typed["quantity"]
    if price is not None and quantity is not None:
        computed = (quantity * price).quantize(CENT, rounding=ROUND_HALF_UP)
        if amount is not None and abs(amount - computed) > CENT:
            errors["amount"] = f"金额与数量×单价不符（按数量×单价应为{computed:,.2f}元）"
        elif computed >= MAX_AMOUNT:
            errors["amount"] = "金额须小于一万亿元"
        amount = computed if amount is None else amount  # within a 分: the record's own figure
    elif amount is None and "amount" not in errors and "unit_price" not in errors:
        errors["amount"] = "须填写金额或单价"
    if amount is not None and amount == 0 and "amount" not in errors:
        errors["amount"] = "金额须大于零"
    paid = typed["fund_paid"]
    if paid is not None and amount is not None and paid > amount and "amount" not in errors:
        errors["fund_paid"] = f"基金支付金额不能大于金额（{amount:,.2f}元）"
    return None if errors else DetailRow(**{**typed, "amount": amount})


def parse_rows(raw: list[Mapping[str, Any]], *, today: date, field: str = "details",
               line_of: Callable[[int], int] | None = None) -> list[DetailRow]:
    """The rows typed, in order, blank rows skipped; or InvalidInput naming every wrong cell of
    every row, each row numbered as people see it (`line_of(i)`, else i + 1)."""
    if not isinstance(raw, list):
        raise InvalidInput("违法明细须为列表。", details={field: "须为列表"})
    if len(raw) > MAX_ROWS:
        message = f"违法明细不能超过{MAX_ROWS}行（本次{len(raw)}行）"
        raise InvalidInput(message + "。", details={field: message})
    line = line_of or (lambda i: i + 1)
    rows: list[DetailRow] = []
    details: dict[str, str] = {}
    shown: list[str] = []
    for i, cells in enumerate(raw):
        where, errors = f"{field}[{i}]", dict[str, str]()
        if not isinstance(cells, Mapping):
            errors = {"": "格式不正确"}
        elif all(blank(v) for v in cells.values()):
            continue
        elif (row := _row(cells, today, errors)) is not None:
            rows.append(row)
        if errors:
            n, ordered = line(i), sorted(errors.items(), key=lambda e: _ORDER.get(e[0], -1))
            details.update({f"{where}.{k}" if k else where: f"第{n}行：{m}" for k, m in ordered})
            shown.append(f"第{n}行 " + "，".join(m for _, m in ordered))
    if shown:
        more = f"；另有{len(shown) - SHOWN_ROWS}行有误" if len(shown) > SHOWN_ROWS else ""
        raise InvalidInput("违法明细有误：" + "；".join(shown[:SHOWN_ROWS]) + more + "。", details=details)
    if not rows:
        raise InvalidInput("请至少填写一行违法明细。", details={field: "请至少填写一行违法明细"})
    return rows


# ── sums ────────────────────────────────────────────────────────────────
def totals(rows: Sequence[DetailRow]) -> Totals:
    """The sums of the rows; the fund's loss by 险种 in FUNDS order, rows without one last."""
    if not rows:
        raise InvalidInput("请至少填写一行违法明细。", details={"details": "请至少填写一行违法明细"})
    zero = Decimal("0.00")
    by_fund: dict[str, Decimal] = {}
    for fund in (*FUNDS, NO_FUND):
        chosen = [r.fund_paid for r in rows if (r.fund or NO_FUND) == fund]
        if chosen:
            by_fund[fund] = sum(chosen, zero)
    return Totals(rows=len(rows), amount=sum((r.amount for r in rows), zero),
                  fund_paid=sum((r.fund_paid for r in rows), zero), by_fund=by_fund,
                  first_day=min(r.day for r in rows), last_day=max(r.until or r.day for r in rows))


def fund_split_text(t: Totals) -> str:
    """"其中职工医保基金12,000.00元、居民医保基金3,000.00元"; "" unless both funds are named."""
    if sum(f in t.by_fund for f in FUNDS) < 2:
        return ""
    parts = [f"{f}{'' if f == NO_FUND else '基金'}{v:,.2f}元" for f, v in t.by_fund.items()]
    return "其中" + "、".join(parts)


# ── JSON column ─────────────────────────────────────────────────────────
def to_json(rows: Sequence[DetailRow]) -> list[dict[str, Any]]:
    """Rows for a JSON column: decimals as strings ("12.50"), dates ISO."""
    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            return str(value)
        return value.isoformat() if isinstance(value, date) else value

    return [{key: plain(getattr(r, key)) for key in LABELS} for r in rows]


def from_json(data: Sequence[Mapping[str, Any]]) -> list[DetailRow]:
    """The rows `to_json` wrote."""
    def maybe(kind: Callable[[str], Any], value: Any) -> Any:
        return None if value is None else kind(value)

    iso, num = date.fromisoformat, Decimal
    return [DetailRow(item=d["item"], day=iso(d["day"]), until=maybe(iso, d.get("until")),
                      quantity=num(d["quantity"]), unit_price=maybe(num, d.get("unit_price")),
                      amount=num(d["amount"]), fund_paid=num(d["fund_paid"]), fund=d.get("fund"),
                      patient=d.get("patient"), note=d.get("note")) for d in data]
