"""Every route of /openapi.json driven with generated valid and invalid inputs (schemathesis, against
the ASGI app), signed in as a demo role: no 5xx, responses as the schema documents them, invalid
input refused with a 4xx, and every refusal carries a code and a Chinese message."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import negative_data_rejection, response_schema_conformance
from sqlalchemy import Engine

from caseflow.db.session import make_engine
from caseflow.web.app import create_app
from caseflow.web.settings import WebSettings
from tests.helpers import FULL_PATH, Org, Runner, open_case, through, walk
from tests.web.conftest import PASSWORD

# Bounded so the suite stays well inside CI's limit: per operation and mode, on each database
# (CASEFLOW_FUZZ_EXAMPLES=500 for a longer hunt by hand).
EXAMPLES = int(os.environ.get("CASEFLOW_FUZZ_EXAMPLES", "25"))
# Valid input as the 局负责人 (who may take the most steps), invalid input as a 审查岗 reviewer.
ROLE = {GenerationMode.POSITIVE: "juzhang", GenerationMode.NEGATIVE: "shencha"}


@pytest.fixture
def walked(engine: Engine, web_org: Org) -> str:
    """A case walked to 作出决定: there are documents, deliveries and officers to read and act on."""
    runner = Runner(engine, web_org, reload=False)
    case_no = open_case(engine, web_org)
    walk(runner, case_no, through("decide_penalty", FULL_PATH))
    runner.close()
    return case_no


def _token(client: TestClient, username: str) -> str:
    r = client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return str(r.json()["access_token"])


def _operations() -> list[tuple[str, str]]:
    """(method, path) of every operation the API documents (the schema does not depend on data)."""
    spec = create_app(make_engine("sqlite://"), settings=WebSettings(secret_key="schema-only")).openapi()
    return [(m.upper(), path) for path, ops in spec["paths"].items() for m in ops
            if m in ("get", "post", "put", "patch", "delete")]


def _refusal_carries_a_code(response: Any) -> None:
    if response.status_code >= 400:
        body = response.json()
        assert isinstance(body, dict) and body.get("code") and body.get("message"), body


@pytest.mark.parametrize(("method", "path"), _operations())
@pytest.mark.parametrize("mode", list(GenerationMode), ids=lambda m: m.value)
def test_api(method: str, path: str, mode: GenerationMode, app: Any, client: TestClient, walked: str) -> None:
    if path == "/api/auth/logout":
        return  # it would end the session the other calls use
    token = _token(client, ROLE[mode])
    operation = schemathesis.openapi.from_asgi("/openapi.json", app)[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def call(case: Any) -> None:
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance,
                                                 negative_data_rejection])
        _refusal_carries_a_code(response)

    try:
        call()
    except Unsatisfiable:
        assert mode is GenerationMode.NEGATIVE  # nothing it takes can be invalid (no parameters, free text)
