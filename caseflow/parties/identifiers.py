"""Checks of 统一社会信用代码 (GB 32100-2015) and 居民身份证号 (GB 11643-1999) via python-stdnum."""

from __future__ import annotations

from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError

from caseflow.errors import InvalidInput


def normalise_uscc(value: str, *, field: str = "uscc") -> str:
    """Return the compact code or raise InvalidInput with a Chinese reason."""
    try:
        return uscc.validate(value)
    except InvalidLength as exc:
        reason = "统一社会信用代码应为18位"
        raise InvalidInput(f"{reason}：「{value}」。", details={field: reason}) from exc
    except InvalidChecksum as exc:
        reason = "统一社会信用代码校验位不正确"
        raise InvalidInput(f"{reason}：「{value}」。", details={field: reason}) from exc
    except ValidationError as exc:
        reason = "统一社会信用代码含有不允许的字符或格式不正确"
        raise InvalidInput(f"{reason}：「{value}」。", details={field: reason}) from exc


def normalise_ric(value: str, *, field: str = "id_number") -> str:
    """Return the compact 身份证号 or raise InvalidInput with a Chinese reason."""
    try:
        return ric.validate(value)
    except InvalidLength as exc:
        reason = "居民身份证号应为18位"
        raise InvalidInput(f"{reason}：「{value}」。", details={field: reason}) from exc
    except InvalidChecksum as exc:
        reason = "居民身份证号校验码不正确"
        raise InvalidInput(f"{reason}：「{value}」。", details={field: reason}) from exc
    except InvalidComponent as exc:
        reason = "居民身份证号中的出生日期或地区码无效"
        raise InvalidInput(f"{reason}：「{value}」。", details={field: reason}) from exc
    except ValidationError as exc:
        reason = "居民身份证号格式不正确"
        raise InvalidInput(f"{reason}：「{value}」。", details={field: reason}) from exc
