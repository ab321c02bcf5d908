"""One validator for what people enter with a step: a payload becomes typed values from the step's
declared inputs (`caseflow.workflow.inputs`), for the service, the API and the forms alike.

Text is NFC-normalised and refused when it holds NUL, other control characters or unpaired
surrogates, or is longer than its column; dates are real calendar dates (2026-12-05, 2026/12/5,
2026年12月5日); times carry a zone (Beijing unless given); money is a finite amount in 元 exact to
the 分 ("12,680.50" accepted); integers are bounded; a key no input declares is refused. Whether a
required input is given is checked apart (`check_required`), after the step's guards.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from caseflow.db.text import Bad, text
from caseflow.db.types import CENT
from caseflow.errors import InvalidInput
from caseflow.legal_time import SHANGHAI
from caseflow.violations.details import parse_rows
from caseflow.workflow.inputs import InputDef

MAX_AMOUNT = Decimal("1e12")  # the Money column (Numeric(14, 2)) holds less than 10¹² 元
YEARS = (1900, 9999)  # before 1900 is a typing error; a future date is refused by the step's rules
INT_BOUNDS = (-(2**31), 2**31 - 1)  # an INTEGER column
MAX_ROWS = 50
MAX_QA_ROWS = 300  # 问答 of one 询问笔录
MAX_NAMES = 20
NAME_LENGTH = 50
TRUE_WORDS = frozenset({"1", "true", "on", "yes", "是", "y"})
FALSE_WORDS = frozenset({"0", "false", "off", "no", "否", "n", ""})
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*(.*)$")
_TIME = re.compile(r"^[T ]?\s*(\d{1,2})\s*[:：时]\s*(\d{1,2})\s*(?:[:：分]\s*(\d{1,2})(?:\.\d+)?\s*秒?)?\s*分?\s*(.*)$")
_ZONE = re.compile(r"^(Z|[+-]\d{2}:?\d{2})$")

PENALTY_COLUMNS = {"kind": ("处罚种类", "text", 30), "amount": ("金额", "money", None),
                   "months": ("期限（月）", "integer", None), "basis": ("依据", "long_text", 2000),
                   "party_id": ("当事人", "integer", None), "violation": ("违法行为序号", "integer", None)}
ITEM_COLUMNS = {"name": ("资料名称", "text", 200), "quantity": ("数量", "integer", None),
                "unit": ("单位", "text", 20), "note": ("备注", "text", 300)}
FACTOR_COLUMNS = {"factor": ("裁量情节", "text", 60), "evidence": ("证据", "text", 300)}  # 裁量情节
QA_COLUMNS = {"q": ("问", "long_text", 5000), "a": ("答", "long_text", 5000)}  # 询问笔录
# 陈述、申辩 and 听证: what the party argued, and the agency's answer on 复核 (《行政处罚法》第四十五条)
ARGUMENT_COLUMNS = {"argument": ("当事人的意见", "long_text", 5000), "answer": ("复核结论", "text", 10),
                    "reason": ("理由", "long_text", 5000)}
ANSWERS = ("采纳", "部分采纳", "不采纳")
ANSWER_WORDS = {"予以采纳": "采纳", "予以部分采纳": "部分采纳", "部分予以采纳": "部分采纳", "不予采纳": "不采纳"}
BASE_AMOUNT_MESSAGE = ("罚款的计算基数取本案认定的金额，不能随处罚内容另行填写；"
                       "如认定金额有误，请办理「变更认定金额」")


def validate_payload(inputs: Iterable[InputDef], payload: Mapping[str, Any] | None) -> dict[str, Any]:
    """The payload as typed values, or InvalidInput naming every wrong or unknown field."""
    if payload is None:
        return {}
    if not isinstance(payload, Mapping):
        raise InvalidInput("步骤数据须为键值对象。", details={"payload": "须为对象"})
    declared = {i.name: i for i in inputs}
    out: dict[str, Any] = {}
    errors: dict[str, str] = {}
    labels: list[str] = []
    for key, raw in payload.items():
        spec = declared.get(key) if isinstance(key, str) else None
        if spec is None:
            shown = _shown(key)
            errors[shown] = "本步骤不接受此项"
            labels.append(f"本步骤不接受「{shown}」")
            continue
        try:
            out[key] = convert(spec, raw)
        except Bad as exc:
            errors[key] = str(exc)
            labels.append(f"「{spec.label}」{exc}")
        except RowErrors as exc:
            errors.update(exc.errors)
            labels.extend(f"「{spec.label}」第{_row_no(k)}行{m}" for k, m in exc.errors.items())
        except InvalidInput as exc:  # 违法明细: every row's error, numbered as the officer's table
            errors.update(exc.details if isinstance(exc.details, dict) else {key: exc.message})
            labels.append(exc.message.rstrip("。"))
    if errors:
        raise InvalidInput("填写有误：" + "；".join(labels) + "。", details=errors)
    return out


def free_text(raw: Any, *, name: str, label: str, limit: int = 20000) -> str | None:
    """A text typed beside the declared inputs (a step's 意见或理由, a reason): checked like a
    long_text input; None when empty."""
    if raw is None:
        return None
    try:
        return text(raw, limit=limit, multiline=True) or None
    except Bad as exc:
        raise InvalidInput(f"「{label}」{exc}。", details={name: str(exc)}) from None


def check_required(inputs: Iterable[InputDef], payload: Mapping[str, Any],
                   recorded: Callable[[str], Any]) -> None:
    """Refuse a step whose required inputs are neither given nor, for `from_case` ones, recorded — or
    are given blank (a cleared 违法事实 is not the recorded one). The service checks this after the
    step's guards, so a guard that judges the same input (citing its article) answers first."""
    missing = {
        i.name: i.label for i in inputs
        if i.required and _empty(payload.get(i.name))
        and (i.name in payload or not (i.from_case and not _empty(recorded(i.from_case))))
    }
    if missing:
        raise InvalidInput("请填写：" + "、".join(f"「{m}」" for m in missing.values()) + "。",
                           details={k: "必填" for k in missing})


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _shown(key: Any) -> str:
    """A key as it may be shown back: printable characters only, at most 40."""
    return "".join(c for c in str(key) if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF)[:40]


def _row_no(key: str) -> int:
    """penalties[2].amount → 3 (rows are counted from one for people)."""
    return int(key.split("[", 1)[1].split("]", 1)[0]) + 1


class RowErrors(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


# ── one converter per declared type ─────────────────────────────────────
def convert(spec: InputDef, raw: Any) -> Any:
    """The typed value of one input; None for an empty one (the step then uses what it records)."""
    if raw is None or (isinstance(raw, str) and not raw.strip() and spec.type != "flag"):
        return None
    kind = spec.type
    if kind in ("text", "long_text"):
        return text(raw, limit=spec.limit, multiline=kind == "long_text")
    if kind == "date":
        return to_date(raw)
    if kind == "datetime":
        return to_datetime(raw)
    if kind == "money":
        return to_money(raw)
    if kind == "integer":
        return to_int(raw, low=spec.min, high=spec.max)
    if kind == "flag":
        return to_flag(raw)
    if kind == "choice":
        value = text(raw, limit=200, multiline=False)
        if value not in spec.choices and value not in spec.accept:
            raise Bad("须为：" + "、".join(spec.choices))
        return value
    if kind == "names":
        return to_names(raw)
    if kind == "penalties":
        return _rows(raw, spec.name, PENALTY_COLUMNS, extra={"base_amount": BASE_AMOUNT_MESSAGE})
    if kind == "evidence_refs":
        return to_refs(raw)
    if kind == "qa":
        return _pairs(raw, spec.name, QA_COLUMNS, "问和答都须填写", max_rows=MAX_QA_ROWS)
    if kind == "factors":  # a circumstance counts only with the evidence it is found on
        return _pairs(raw, spec.name, FACTOR_COLUMNS, "情节和证据都须填写")
    if kind == "arguments":
        return to_arguments(raw, spec.name, answers=spec.answers)
    if kind == "details":  # 违法明细: typed, checked and masked by caseflow.violations
        if not isinstance(raw, list):
            raise Bad("须为明细行的列表")
        return parse_rows(raw, today=datetime.now(SHANGHAI).date(), field=spec.name)
    return _rows(raw, spec.name, ITEM_COLUMNS)


def _ymd(text_: str) -> tuple[date, str]:
    m = _DATE.match(text_.strip())
    if not m:
        raise Bad("不是有效的日期（如 2026-12-05、2026年12月5日）")
    y, mo, d = (int(g) for g in m.groups()[:3])
    if not YEARS[0] <= y <= YEARS[1]:
        raise Bad(f"年份须在{YEARS[0]}至{YEARS[1]}年之间")
    try:
        return date(y, mo, d), m.group(4).strip()
    except ValueError:
        raise Bad(f"{y}年{mo}月{d}日不存在") from None


def to_date(raw: Any) -> date:
    if isinstance(raw, datetime):
        return _in_range(_aware(raw)).astimezone(SHANGHAI).date()
    if isinstance(raw, date):
        return _in_range(raw)
    if not isinstance(raw, str):
        raise Bad("须为日期")
    day, rest = _ymd(raw)
    if rest:  # a date with a time: the day it falls on in Beijing
        return _with_time(day, rest).astimezone(SHANGHAI).date()
    return day


def to_datetime(raw: Any) -> datetime:
    if isinstance(raw, datetime):
        return _in_range(_aware(raw))
    if isinstance(raw, date):
        return datetime.combine(_in_range(raw), time(), tzinfo=SHANGHAI)
    if not isinstance(raw, str):
        raise Bad("须为日期时间")
    day, rest = _ymd(raw)
    return _with_time(day, rest) if rest else _in_range(datetime.combine(day, time(), tzinfo=SHANGHAI))


def _with_time(day: date, rest: str) -> datetime:
    m = _TIME.match(rest)
    if not m:
        raise Bad("不是有效的时间（如 2026-12-05 10:00）")
    hour, minute, second = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    zone = m.group(4).strip()
    if zone and not _ZONE.match(zone):
        raise Bad("时区写法不正确（如 +08:00）")
    try:
        value = datetime.combine(day, time(hour, minute, second))
        if zone:
            value = datetime.fromisoformat(value.isoformat() + ("+00:00" if zone == "Z" else _colon(zone)))
    except ValueError:
        raise Bad(f"{hour}时{minute}分{second}秒不存在") from None
    return _in_range(_aware(value))


def _colon(zone: str) -> str:
    return zone if ":" in zone else f"{zone[:3]}:{zone[3:]}"


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=SHANGHAI)


def _in_range(value: Any) -> Any:
    if not YEARS[0] <= value.year <= YEARS[1]:
        raise Bad(f"年份须在{YEARS[0]}至{YEARS[1]}年之间")
    if isinstance(value, datetime):
        try:
            value.astimezone(UTC), value.astimezone(SHANGHAI)
        except OverflowError:
            raise Bad("超出可用范围") from None
    return value


def to_money(raw: Any) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float, Decimal)):
        raise Bad("须为金额（单位：元）")
    cleaned = str(raw).strip().lstrip("¥￥").removesuffix("元").replace(",", "").replace("，", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise Bad("须为数字（单位：元），如 12,680.50") from None
    if not value.is_finite() or abs(value) >= MAX_AMOUNT:
        raise Bad("须为小于一万亿元的金额")
    if value < 0:
        raise Bad("不能为负")
    if value != value.quantize(CENT):
        raise Bad("须精确到分")
    return value.quantize(CENT)


def to_int(raw: Any, *, low: int | None = None, high: int | None = None) -> int:
    if isinstance(raw, bool):
        raise Bad("须为整数")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and re.fullmatch(r"\s*[+-]?\d{1,12}\s*", raw):
        value = int(raw)
    else:
        raise Bad("须为整数")
    low = INT_BOUNDS[0] if low is None else low
    high = INT_BOUNDS[1] if high is None else high
    if not low <= value <= high:
        raise Bad(f"须在{low}至{high}之间")
    return value


def to_flag(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str) and raw.strip().lower() in TRUE_WORDS | FALSE_WORDS:
        return raw.strip().lower() in TRUE_WORDS
    raise Bad("须为是或否")


def to_names(raw: Any) -> list[str]:
    if isinstance(raw, str):
        parts: list[Any] = re.split(r"[,，、;；\n]", raw)
    elif isinstance(raw, list):
        parts = raw
    else:
        raise Bad("须为姓名（多个用逗号分隔）")
    names = [n for n in (text(p, limit=NAME_LENGTH, multiline=False) for p in parts) if n]
    if len(names) > MAX_NAMES:
        raise Bad(f"不能超过{MAX_NAMES}人")
    return names


def _pairs(raw: Any, name: str, columns: Mapping[str, tuple[str, str, int | None]], message: str,
           max_rows: int = MAX_ROWS) -> list[dict[str, Any]]:
    """Rows of two columns, both given in every row (问答, 裁量情节 with its evidence)."""
    rows = _rows(raw, name, columns, max_rows=max_rows)
    for i, row in enumerate(rows):
        if any(not row.get(c) for c in columns):
            raise RowErrors({f"{name}[{i}]": message})
    return rows


def to_arguments(raw: Any, name: str, *, answers: bool) -> list[dict[str, Any]]:
    """The party's arguments (当事人提出的事实、理由和证据), each row with the agency's answer on 复核
    (采纳 / 部分采纳 / 不采纳) and, unless it is adopted, the reason; where the step only records what
    the party said (`answers: false`: 收到陈述、申辩, 听证), an answer is refused: the hearing reports,
    the agency answers."""
    rows = _rows(raw, name, ARGUMENT_COLUMNS)
    errors: dict[str, str] = {}
    for i, row in enumerate(rows):
        where = f"{name}[{i}]"
        if not row.get("argument"):
            errors[f"{where}.argument"] = "须填写当事人的意见"
        if not answers:
            for key in ("answer", "reason"):
                if row.get(key):
                    errors[f"{where}.{key}"] = "本步骤只记录当事人的意见，是否采纳由本机关复核后作出结论"
            continue
        answer = ANSWER_WORDS.get(row.get("answer") or "", row.get("answer"))
        if not answer:
            errors[f"{where}.answer"] = "须填写复核结论（" + "、".join(ANSWERS) + "）"
        elif answer not in ANSWERS:
            errors[f"{where}.answer"] = "复核结论须为：" + "、".join(ANSWERS)
        else:
            row["answer"] = answer
            if answer != "采纳" and not row.get("reason"):
                errors[f"{where}.reason"] = f"{answer}的，须写明理由"
    if errors:
        raise RowErrors(errors)
    return rows


def to_refs(raw: Any) -> list[int]:
    """序号 of the case's 证据材料: a list, or "1、2、5" as people write it."""
    parts: list[Any] = re.split(r"[,，、;；\s]+", raw.strip()) if isinstance(raw, str) else raw
    if not isinstance(parts, list):
        raise Bad("须为证据序号（如 1、2、5）")
    refs = {to_int(p, low=1, high=100000) for p in parts if not (isinstance(p, str) and not p.strip())}
    if len(refs) > MAX_QA_ROWS:
        raise Bad(f"不能超过{MAX_QA_ROWS}项")
    return sorted(refs)


def _rows(raw: Any, name: str, columns: Mapping[str, tuple[str, str, int | None]],
          extra: Mapping[str, str] | None = None, max_rows: int = MAX_ROWS) -> list[dict[str, Any]]:
    """A table (拟处罚内容, 封存清单): a list of rows of the declared columns, each typed."""
    if not isinstance(raw, list):
        raise Bad("须为列表")
    if len(raw) > max_rows:
        raise Bad(f"不能超过{max_rows}行")
    out: list[dict[str, Any]] = []
    errors: dict[str, str] = {}
    for i, row in enumerate(raw):
        where = f"{name}[{i}]"
        if not isinstance(row, Mapping):
            errors[where] = "格式不正确"
            continue
        typed: dict[str, Any] = {}
        for key, value in row.items():
            column = columns.get(key) if isinstance(key, str) else None
            if column is None:
                errors[f"{where}.{_shown(key)}"] = (extra or {}).get(key) or f"不接受「{_shown(key)}」"
                continue
            label, kind, limit = column
            try:
                cell = convert(InputDef(key, label, kind, max_length=limit), value)
            except Bad as exc:
                errors[f"{where}.{key}"] = f"{label}{exc}"
                continue
            if cell is not None:
                typed[key] = cell
        out.append(typed)
    if errors:
        raise RowErrors(errors)
    return out
