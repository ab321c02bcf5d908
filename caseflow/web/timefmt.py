"""How times and remaining time read on the pages: 北京时间, and countdowns in Chinese."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from caseflow.legal_time import SHANGHAI


def local(dt: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return dt.astimezone(SHANGHAI).strftime(fmt) if dt else "—"


def span(delta: timedelta) -> str:
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}天{hours}小时" if hours else f"{days}天"
    if hours:
        return f"{hours}小时{mins}分" if mins else f"{hours}小时"
    return f"{mins}分钟"


def countdown(due_at: datetime | None, now: datetime, *, party: bool = False) -> dict[str, str]:
    """{"text": "剩余2天3小时" | "已逾期5小时" | "已届满", "level": "ok" | "soon" | "overdue" | "closed"}.

    A window of the party (`party`) is never overdue: when it ends it has closed (届满)."""
    if due_at is None:
        return {"text": "—", "level": "ok"}
    left = due_at - now
    if left.total_seconds() <= 0:
        if party:
            return {"text": "已届满", "level": "closed"}
        return {"text": f"已逾期{span(left)}", "level": "overdue"}
    if party:
        return {"text": f"剩余{span(left)}", "level": "ok"}
    level = "soon" if left <= timedelta(days=2) else "ok"
    return {"text": f"剩余{span(left)}", "level": level}


def moment(dt: datetime | None) -> str:
    """A limit's end in 北京时间; an end at midnight reads as 24时 of the day before (the whole
    last day counts), as the case page's day periods do."""
    if dt is None:
        return "—"
    here = dt.astimezone(SHANGHAI)
    if (here.hour, here.minute) == (0, 0):
        return f"{(here - timedelta(days=1)):%Y-%m-%d} 24时"
    return here.strftime("%Y-%m-%d %H:%M")


def due_text(due_at: datetime, due_date: date | None) -> str:
    """Day periods end with their whole last day; hour periods at a moment."""
    if due_date is not None:
        return f"{due_date:%Y-%m-%d}（当日24时）"
    return local(due_at)
