"""The Jinja2 environment of the pages: templates folder, filters for times and money."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from caseflow.auth.sessions import CSRF_FIELD
from caseflow.web import timefmt

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    env = templates.env
    env.filters["local"] = timefmt.local
    env.filters["yuan"] = lambda v: f"{v:,.2f}元" if v is not None else "—"
    env.globals["countdown"] = timefmt.countdown
    env.globals["due_text"] = timefmt.due_text
    env.globals["CSRF_FIELD"] = CSRF_FIELD
    return templates
