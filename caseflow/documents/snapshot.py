"""The rendering data of an issued document as JSON, exactly: dates, aware datetimes and Decimal
amounts are tagged ({"$date": "2026-11-23"}, {"$datetime": "…+00:00"}, {"$decimal": "12345.67"}),
so re-rendering a stored document from its data gives the same values — and the same PDF bytes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

__all__ = ["decode", "encode"]


def encode(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime refused in document data")
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot store {type(value).__name__} in document data")  # floats included


_DECODERS = {"$decimal": Decimal, "$datetime": datetime.fromisoformat, "$date": date.fromisoformat}


def decode(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1:
            (key, raw), = value.items()
            if key in _DECODERS:
                return _DECODERS[key](raw)
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value

