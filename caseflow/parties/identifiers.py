"""Checks of 统一社会信用代码 (GB 32100-2015) and 居民身份证号 (GB 11643-1999) via python-stdnum."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError

from caseflow.errors import InvalidInput

SHANGHAI = ZoneInfo("Asia/Shanghai")

# What each stdnum failure means for a person typing the number, per identifier.
USCC_REASONS: dict[type[ValidationError], str] = {
    InvalidLength: "统一社会信用代码应为18位",
    InvalidChecksum: "统一社会信用代码校验位不正确",
    ValidationError: "统一社会信用代码含有不允许的字符或格式不正确",
}
RIC_REASONS: dict[type[ValidationError], str] = {
    InvalidLength: "居民身份证号应为18位",
    InvalidChecksum: "居民身份证号校验码不正确",
    InvalidComponent: "居民身份证号中的出生日期或地区码无效",
    ValidationError: "居民身份证号格式不正确",
}


def _checked(value: str, validate: Callable[[str], str], reasons: dict[type[ValidationError], str],
             field: str) -> str:
    try:
        return validate(value)
    except ValidationError as exc:
        reason = next(text for kind, text in reasons.items() if isinstance(exc, kind))
        raise InvalidInput(f"{reason}：「{value}」。", details={field: reason}) from exc


def normalise_uscc(value: str, *, field: str = "uscc") -> str:
    """Return the compact code or raise InvalidInput with a Chinese reason."""
    return _checked(value, uscc.validate, USCC_REASONS, field)


def normalise_ric(value: str, *, field: str = "id_number", today: date | None = None) -> str:
    """Return the compact 身份证号 or raise InvalidInput with a Chinese reason (stdnum also checks
    that the region code existed on the birth date); a birth date after today is no person's."""
    number = _checked(value, ric.validate, RIC_REASONS, field)
    born = ric.get_birth_date(number)
    if born > (today or datetime.now(SHANGHAI).date()):
        reason = "居民身份证号中的出生日期晚于今天"
        raise InvalidInput(f"{reason}：「{value}」。", details={field: reason})
    return number
