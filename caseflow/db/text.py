"""Text as a column can hold it: NFC-normalised, without NUL, other control characters or unpaired
surrogates (which PostgreSQL refuses and no person types), and no longer than the column. Used by
the step inputs' validator, the request bodies and the services that store names and addresses."""

from __future__ import annotations

import unicodedata
from typing import Any


class Bad(ValueError):
    """One value is wrong; the message says how, in Chinese, without the field's name."""


def text(raw: Any, *, limit: int, multiline: bool) -> str:
    """`raw` as stored: a str (or an int, as typed), trimmed; one line unless `multiline`."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise Bad("须为文字")
    value = unicodedata.normalize("NFC", str(raw)) if _encodable(str(raw)) else None
    if value is None:
        raise Bad("含有无法识别的字符")
    if "\x00" in value or any(ord(c) < 32 and c not in "\t\n\r" or c == "\x7f" for c in value):
        raise Bad("含有不可见的控制字符")
    value = value.strip()
    if not multiline:
        value = " ".join(value.split())
    if len(value) > limit:
        raise Bad(f"不能超过{limit}字")
    return value


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # an unpaired surrogate (\ud800) sent as JSON
        return False
    return True


def line(value: str | None, key: str, limit: int, errors: dict[str, str]) -> str | None:
    """One line of text as its column holds it; None (with the problem noted under `key` in
    `errors`) when it cannot be, or when nothing was given."""
    if value is None:
        return None
    try:
        return text(value, limit=limit, multiline=False)
    except Bad as exc:
        errors[key] = str(exc)
        return None
