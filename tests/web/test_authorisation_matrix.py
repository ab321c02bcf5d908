"""Each role × each step through the API: only the holders of the step's post (in its section)
may take it; everyone else gets 409 POST_REQUIRED and the case stays as it was; the other agency's
users find neither the case nor the step (404).

The expected holders are written out here, from the 栾川 岗责体系 (seeds/004): 审查岗 and the
sealing 执行岗 sit in 法制审核股, the other posts in 基金监管股, 局负责人 approves.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from caseflow.demo.scenarios import EMERGENCY_SEALING, FULL_PATH
from caseflow.demo.walk import walk
from tests.helpers import Org, open_case, snapshot
from tests.web.conftest import PASSWORD

INVESTIGATORS = {"diaocha1", "diaocha2"}
PENALTY = {
    "submit_filing": {"lian"}, "approve_filing": {"juzhang"},
    "start_investigation": INVESTIGATORS, "record_inspection": INVESTIGATORS,
    "record_inquiry": INVESTIGATORS,
    "conclude_investigation": INVESTIGATORS, "submit_legal_review": INVESTIGATORS,
    "approve_legal_review": {"shencha"}, "approve_penalty": {"juzhang"}, "serve_notice": {"gaozhi"},
    "request_hearing": {"gaozhi"}, "schedule_hearing": {"shencha"}, "conclude_hearing": {"shencha"},
    "decide_penalty": {"jueding"}, "serve_decision": {"songda"}, "record_performance": {"zhixing"},
    "approve_closure": {"juzhang"}, "archive": {"zhixing"},
}
SEALING = {
    "seal_on_the_spot": {"fengcun"},  # 执行岗 of 法制审核股 — not zhixing, 执行岗 of 基金监管股
    "approve_retroactively": {"juzhang"}, "serve_sealing_decision": {"pizhun"},
    "transfer_to_penalty": {"juzhang"}, "release_sealing": {"juzhang"}, "approve_closure": {"juzhang"},
}
AGENCY_USERS = ("lian", "diaocha1", "diaocha2", "shencha", "gaozhi", "jueding", "songda", "zhixing",
                "pizhun", "fengcun", "jianguan", "juzhang", "jjgz", "fzgz")
OTHER_AGENCY = ("ps_lian", "ps_head")


@pytest.fixture
def tokens(client: TestClient, web_org: Org) -> dict[str, str]:
    out = {}
    for user in AGENCY_USERS + OTHER_AGENCY:
        r = client.post("/api/auth/login", json={"username": user, "password": PASSWORD})
        assert r.status_code == 200, (user, r.text)
        out[user] = r.json()["access_token"]
    client.cookies.clear()  # bearer tokens only: no CSRF involved
    return out


@pytest.mark.parametrize(("procedure", "path", "matrix", "officers"), [
    ("penalty_general", FULL_PATH, PENALTY, ("diaocha1", "diaocha2")),
    ("sealing", EMERGENCY_SEALING, SEALING, ("fengcun", "diaocha1")),
], ids=["处罚普通程序", "封存"])
def test_only_the_posts_holders_may_take_each_step(client: TestClient, engine: Engine, web_org: Org,
                                                  tokens: dict[str, str], procedure: str, path: list,
                                                  matrix: dict[str, set[str]], officers: tuple[str, ...],
                                                  ) -> None:
    no = open_case(engine, web_org, procedure=procedure, officers=officers, by=path[0].user,
                   at=path[0].at.replace(hour=8) if path[0].at else None)
    url = f"/api/cases/{quote(no, safe='')}"
    for step in path:
        holders = matrix[step.trigger]
        assert step.user in holders, step
        before = snapshot(engine, no)
        for user in AGENCY_USERS:
            auth = {"Authorization": f"Bearer {tokens[user]}"}
            if user in holders:  # shown as theirs: refused, if at all, by another rule than the post
                actions = client.get(url, headers=auth).json()["available_actions"]
                mine = next(a for a in actions if a["trigger"] == step.trigger)
                assert mine["code"] != "POST_REQUIRED", (step.trigger, user, mine)
                continue
            r = client.post(f"{url}/transitions/{step.trigger}", headers=auth,
                            json={"payload": step.payload, "opinion": step.opinion})
            assert (r.status_code, r.json()["code"]) == (409, "POST_REQUIRED"), (step.trigger, user, r.text)
        for user in OTHER_AGENCY:
            auth = {"Authorization": f"Bearer {tokens[user]}"}
            assert client.get(url, headers=auth).status_code == 404
            r = client.post(f"{url}/transitions/{step.trigger}", headers=auth,
                            json={"payload": step.payload, "opinion": step.opinion})
            bogus = client.post(f"/api/cases/{quote(no + '0', safe='')}/transitions/{step.trigger}",
                                headers=auth, json={"payload": {}})
            assert r.status_code == bogus.status_code == 404  # told apart from no case at all: never
            assert r.json()["code"] == bogus.json()["code"]
        assert snapshot(engine, no) == before, step.trigger
        walk(engine, no, [step])  # the holder takes it, at the scenario's time
