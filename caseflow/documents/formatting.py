"""Jinja filters that write dates, times, money and party labels the way 执法文书 write them.

Money goes through `caseflow.catalog.ranges` (`format_yuan`, `yuan_in_words`) so that documents
and the 审查 record spell amounts identically; it is imported on the first amount, as it loads
cn2an (≈60 ms), which a document without money does not need. Datetimes must be timezone-aware
(the project's convention); they are shown in the configured display zone (Asia/Shanghai).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, tzinfo
from decimal import Decimal
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup

from caseflow.config import get_settings

__all__ = [
    "FILTERS",
    "citations",
    "date_arabic",
    "date_chinese",
    "date_signed",
    "datetime_chinese",
    "id_label",
    "join_or",
    "keep_doc_nos",
    "money",
    "money_full",
    "money_words",
    "number_chinese",
    "quantity",
    "you",
]

_DIGITS = "〇一二三四五六七八九"
ORGANISATION = "organisation"


@lru_cache(maxsize=1)
def _display_zone() -> tzinfo:
    return ZoneInfo(get_settings().display_timezone)


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"时间须带时区：{value!r}")
        return value.astimezone(_display_zone())
    if isinstance(value, date):
        return value
    raise TypeError(f"不是日期：{value!r}")


def _small_number(n: int) -> str:
    """1–31 in Chinese numerals: 一 … 十 … 十九, 二十 … 三十一."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return (head + (_DIGITS[ones] if ones else "")) if n else _DIGITS[0]


def date_chinese(value: date | datetime) -> str:
    """date(2026, 11, 23) → "二〇二六年十一月二十三日" (signature blocks)."""
    d = _local(value)
    year = "".join(_DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{_small_number(d.month)}月{_small_number(d.day)}日"


def date_arabic(value: date | datetime) -> str:
    """date(2026, 11, 23) → "2026年11月23日" (running text)."""
    d = _local(value)
    return f"{d.year}年{d.month}月{d.day}日"


def date_signed(value: date | datetime, numerals: str = "chinese") -> str:
    """The 成文日期 under the signature, as the agency's settings write it
    (`DocumentStyle.date_numerals`): "chinese" → "二〇二六年十二月五日" (the default, what the
    documents have always printed), "arabic" → "2026年12月5日" (GB/T 9704—2012《党政机关公文格式》)."""
    if numerals == "chinese":
        return date_chinese(value)
    if numerals == "arabic":
        return date_arabic(value)
    raise ValueError(f"成文日期的写法须为 chinese 或 arabic：{numerals!r}")


def datetime_chinese(value: datetime) -> str:
    """An aware datetime → "2026年11月23日14时30分" in Asia/Shanghai."""
    if not isinstance(value, datetime):
        raise TypeError(f"不是时间：{value!r}")
    t = _local(value)
    assert isinstance(t, datetime)
    return f"{date_arabic(t)}{t.hour}时{t.minute:02d}分"


def _decimal(value: Decimal | int | str) -> Decimal:
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(f"金额须为 Decimal、整数或字符串：{value!r}")
    return value if isinstance(value, Decimal) else Decimal(str(value))


def money(value: Decimal | int | str) -> str:
    """Decimal("24691.34") → "24,691.34元"."""
    from caseflow.catalog.ranges import format_yuan

    return format_yuan(_decimal(value))


def money_words(value: Decimal | int | str) -> str:
    """Decimal("24691.34") → "贰万肆仟陆佰玖拾壹元叁角肆分"."""
    from caseflow.catalog.ranges import yuan_in_words

    return yuan_in_words(_decimal(value))


def money_full(value: Decimal | int | str) -> str:
    """Decimal("24691.34") → "24,691.34元（大写：贰万肆仟陆佰玖拾壹元叁角肆分）"."""
    return f"{money(value)}（大写：{money_words(value)}）"


def quantity(value: Decimal | int | str) -> str:
    """Decimal("3.0") → "3"; other values as written."""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def id_label(party: Mapping[str, Any]) -> str:
    """The name of the party's identifier: 统一社会信用代码 or 身份证号码."""
    return "统一社会信用代码" if party.get("kind") == ORGANISATION else "身份证号码"


def you(party: Mapping[str, Any]) -> str:
    """How a document addresses the party: 你单位 (organisation) or 你 (individual)."""
    return "你单位" if party.get("kind") == ORGANISATION else "你"


def join_or(values: Iterable[str]) -> str:
    """["甲"] → "甲"; ["甲", "乙"] → "甲或者乙"; ["甲", "乙", "丙"] → "甲、乙或者丙"."""
    items = [v for v in values if v]
    if len(items) <= 1:
        return "".join(items)
    return "、".join(items[:-1]) + "或者" + items[-1]


def citations(bases: Iterable[Mapping[str, Any]]) -> str:
    """[{"citation": "《甲》第一条"}, {"citation": "《乙》第二条"}] → "《甲》第一条、《乙》第二条"."""
    return "、".join(b["citation"] for b in bases)


def number_chinese(n: int) -> str:
    """1 → "一", 12 → "十二" (list numbering （一）（二）…, up to 99)."""
    if not 0 < n < 100:
        raise ValueError(f"序号超出范围：{n}")
    return _small_number(n)


def _kept_together(text: str) -> Markup:
    """Text that must not break across lines ("24,691.34元", "2026年11月23日", a 文号)."""
    return Markup('<span class="nobr">{}</span>').format(text)


# A 文号 or 案号 cited in running text: 机关代字 (up to 8 letters before the bracket), 〔年份〕, 序号号 —
# "栾医保罚告〔2026〕3号", "〔2026〕第3号". The 代字 is not known here, so a run of letters right
# before 〔 is taken as it: at worst a few more characters of the sentence stay on the line with it.
_DOC_NO = re.compile(r"[^\W\d_]{0,8}〔\d{4}〕第?\d+号")


def keep_doc_nos(text: str) -> Markup:
    """Running text with every 文号/案号 in it kept on one line; the rest escaped as usual:
    "已送达（栾医保罚告〔2026〕3号）" → '已送达（<span class="nobr">栾医保罚告〔2026〕3号</span>）'."""
    if isinstance(text, Markup):  # already HTML (a filter's or a macro's output): left as it is
        return text
    text = str(text)
    out, start = Markup(), 0
    for match in _DOC_NO.finditer(text):
        out += text[start:match.start()]
        out += _kept_together(match.group())
        start = match.end()
    return out + text[start:]


def _filter(fn: Callable[[Any], str]) -> Callable[[Any], Markup]:
    return lambda value: _kept_together(fn(value))


def _money_full_html(value: Decimal | int | str) -> Markup:
    return Markup("{}（大写：{}）").format(_kept_together(money(value)), money_words(value))


# The Jinja filters: figures, dates and numbers are wrapped so that a line never breaks inside them.
FILTERS: dict[str, Callable[..., str]] = {
    "cn_num": number_chinese,
    "date_cn": date_chinese,
    "date_signed": date_signed,  # the renderer binds the agency's numerals (DocumentStyle)
    "date_ar": _filter(date_arabic),
    "datetime_cn": _filter(datetime_chinese),
    "money": _filter(money),
    "money_words": money_words,
    "money_full": _money_full_html,
    "nobr": _kept_together,
    "nobr_nos": keep_doc_nos,
    "quantity": quantity,
    "id_label": id_label,
    "you": you,
    "join_or": join_or,
    "citations": citations,
}
