"""The Jinja2 environment of the pages: templates folder, filters for times and money, and the
signed-in user's unread alert count for the navigation bar."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context

from caseflow.alerts.inbox import unread_count
from caseflow.auth.sessions import CSRF_FIELD
from caseflow.db.session import unit_of_work
from caseflow.web import timefmt

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"


_DICT_ATTRIBUTES = frozenset(dir(dict))


class PageEnvironment(Environment):
    """Jinja's environment, with `row.name` on a dict looked up as a key first: the pages' rows are
    dicts, and Jinja's default (the attribute first, a raised AttributeError, then the key) costs an
    exception per lookup — a thousand on a case page. A dict's own methods (`row.items()`) keep
    their meaning."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def make_templates() -> Jinja2Templates:
    env = PageEnvironment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=select_autoescape())
    templates = Jinja2Templates(env=env)
    env.filters["local"] = timefmt.local
    env.filters["moment"] = timefmt.moment
    env.filters["yuan"] = lambda v: f"{v:,.2f}元" if v is not None else "—"
    env.globals["countdown"] = timefmt.countdown
    env.globals["due_text"] = timefmt.due_text
    env.globals["unread_alerts"] = unread_alerts
    env.globals["CSRF_FIELD"] = CSRF_FIELD
    return templates


@pass_context
def unread_alerts(ctx: Context) -> int | None:
    """The viewer's unread alerts, for the 「提醒」 badge: one COUNT, once per request (a page that
    counted already leaves it in `request.state.unread_alerts`). None — no badge — without a
    viewer, and on pages rendered on the event loop (the error handlers), which must not wait for
    the database."""
    request, viewer = ctx.get("request"), ctx.get("viewer")
    if request is None or viewer is None:
        return None
    known = getattr(request.state, "unread_alerts", None)
    if known is not None:
        return int(known)
    try:
        asyncio.get_running_loop()
        return None
    except RuntimeError:  # a worker thread: the usual place a page renders
        pass
    with unit_of_work(request.app.state.engine, write=False) as s:
        n = unread_count(s, user_id=viewer.id)
    request.state.unread_alerts = n
    return n
