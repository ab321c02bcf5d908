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


def test_tabs_list_the_cases_i_am_on_and_those_that_ended_and_a_return_is_marked(
        client: TestClient, engine: Engine, web_org: Org) -> None:
    from tests.web.test_pages import csrf_of

    on_it, returned, ended = open_case(engine, web_org), open_case(engine, web_org), open_case(engine, web_org)
    other = open_case(engine, web_org, officers=("diaocha2", "zhixing"))
    runner = Runner(engine, web_org, reload=False)
    walk(runner, on_it, through("start_investigation"))
    walk(runner, returned, through("submit_filing"))
    walk(runner, ended, through("submit_filing"))
    runner.fire(ended, "reject_filing", "juzhang", through("approve_filing")[-1].at, opinion="不符合立案条件。")
    runner.close()
    login(client, "juzhang")
    csrf = csrf_of(client.get(f"/cases/{returned}").text)
    client.post(f"/cases/{returned}/actions/return_filing", data={"csrf_token": csrf, "opinion": "请补充线索来源。"})
    login(client, "diaocha1")
    mine = client.get("/?tab=mine").text
    assert on_it in mine and returned in mine and ended not in mine and other not in mine
    done = client.get("/?tab=done").text
    assert ended in done and on_it not in done
    login(client, "lian")
    todo = client.get("/").text
    row = todo[todo.index(returned):]
    row = row[:row.index("</tr>")]
    assert "已退回" in row and "请补充线索来源。" in row


def test_the_worklist_narrows_by_item_and_state(client: TestClient, engine: Engine, web_org: Org) -> None:
    fraud = open_case(engine, web_org)  # 004-05
    login(client, "lian")
    assert fraud in client.get("/", params={"item": "004-05"}).text
    assert fraud not in client.get("/", params={"item": "004-03"}).text
    assert fraud not in client.get("/", params={"state": "investigation"}).text
