"""The application as each `caseflow serve --workers N` process builds it (uvicorn's factory).

Settings come from the environment the serve command prepared (database URL, a session key
shared by all the workers); each process warms WeasyPrint up in the background.
"""

from __future__ import annotations

import threading

from fastapi import FastAPI

from caseflow.db.session import default_engine
from caseflow.web.app import create_app


def app_from_environment() -> FastAPI:
    from caseflow.documents.renderer import warm_up

    threading.Thread(target=warm_up, name="pdf-warm-up", daemon=True).start()
    return create_app(default_engine())
