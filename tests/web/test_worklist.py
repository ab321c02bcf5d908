"""我的待办 lists the cases that wait for me: a step of the procedure my post takes — not a power I
merely hold (延长, 中止, 终结, 移送 …)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.helpers import Org, Runner, open_case, through, walk
from tests.web.conftest import login


def test_a_case_under_investigation_is_the_investigators_not_the_heads(client: TestClient, engine: Engine,
                                                                       web_org: Org) -> None:
    no = open_case(engine, web_org)
    runner = Runner(engine, web_org, reload=False)
    walk(runner, no, through("start_investigation"))
    runner.close()
    login(client, "juzhang")  # may 延长办案期限, 中止, 终结 — none of which the case waits for
    assert no not in client.get("/").text
    login(client, "diaocha1")
    assert no in client.get("/").text
