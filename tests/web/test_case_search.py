"""案件查询 finds a case by 当事人 name, 统一社会信用代码, 身份证号, 法定代表人, 案号 (ASCII brackets too) and
案由, and exports the result list to Excel."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Engine

from tests.helpers import PERSON, Org, open_case
from tests.web.conftest import login


@pytest.fixture
def two_cases(engine: Engine, web_org: Org) -> tuple[str, str]:
    return open_case(engine, web_org), open_case(engine, web_org, party=PERSON)


@pytest.mark.parametrize(("q", "which"), [
    ("测试医院", 0), ("91410324ma47t3q8wy", 0), ("刘某", 0), ("410324199003150018", 1), ("张某", 1),
    ("栾医保罚案[2026]2号", 1), ("栾医保罚案〔2026〕1号", 0),
])
def test_a_case_is_found_by_its_party_or_its_number(client: TestClient, two_cases: tuple[str, str],
                                                    q: str, which: int) -> None:
    login(client, "lian")
    found = [r["case_no"] for r in client.get("/api/cases", params={"q": q}).json()["items"]]
    assert found == [two_cases[which]], (q, found)
    page = client.get("/cases", params={"q": q}).text
    assert two_cases[which] in page and two_cases[1 - which] not in page


def test_wildcards_typed_are_taken_literally(client: TestClient, two_cases: tuple[str, str]) -> None:
    login(client, "lian")
    assert client.get("/api/cases", params={"q": "%"}).json()["items"] == []
    assert client.get("/api/cases", params={"q": "_"}).json()["items"] == []


def test_the_result_list_is_exported_to_excel(client: TestClient, two_cases: tuple[str, str]) -> None:
    login(client, "lian")
    r = client.get("/cases.xlsx", params={"q": "测试医院"})
    assert r.status_code == 200 and r.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert r.headers["content-disposition"].startswith("attachment;")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("案号", "当事人", "案由")
    assert [row[0] for row in rows[1:]] == [two_cases[0]] and rows[1][1] == "测试医院"
    assert "导出 Excel" in client.get("/cases").text
