"""违法行为 through the web: an officer registers one from the case page with its 违法明细 in an .xlsx
(the amounts the sums of the rows, split by 险种; the 参保人 never shown in full), a wrong row that
re-renders the page naming its line and registers nothing, refusals for another user and after
调查终结, the API (list, 登记 with JSON rows or a file, 撤回; bad input answered 4xx with the stable
error body), the blank template, and the 拟处罚 rows that name a violation once there are two."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine, func, select

from caseflow.cases import service as case_service
from caseflow.cases.models import CaseEvent, CaseViolation
from caseflow.cases.violations import violation_label
from caseflow.db.session import unit_of_work
from caseflow.violations.importer import TEMPLATE
from tests.helpers import Org, case_walked_to, events, open_case
from tests.web.conftest import PASSWORD, case_path, login

HEADERS = ["参保人", "险种", "项目或药品名称", "日期", "数量", "单价（元）", "金额（元）", "医疗保障基金支付金额（元）"]
ROWS = [["王小梅", "职工医保", "中频脉冲电治疗", date(2026, 3, 5), 3, 12.5, 37.5, 30],
        ["李大山", "居民医保", "针灸治疗", "2026-04-10", 2, 40, 80, 64],
        ["欧阳春花", "职工医保", "推拿治疗", "2026年5月20日", 1, 12000, 12000, 9600]]
PATIENTS = ("王小梅", "李大山", "欧阳春花")
FACTS = "当事人于2026年3月至5月间虚构康复理疗项目，向医保基金申报结算。"
CONDUCT = "虚构医药服务项目"
CLAUSE = "《医疗保障基金使用监督管理条例》第四十条第一款第（三）项"


def xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def label(seq: int, conduct: str) -> str:
    """How the engine names a violation (violation_label)."""
    return violation_label(CaseViolation(seq=seq, conduct=conduct))


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF field in the page"
    return m.group(1)


def section(page: str) -> str:
    start = page.index('id="violations"')
    return page[start:page.index("</section>", start)]


def counts(engine: Engine) -> tuple[int, int]:
    with unit_of_work(engine, write=False) as s:
        return (s.scalar(select(func.count()).select_from(CaseViolation)) or 0,
                s.scalar(select(func.count()).select_from(CaseEvent)) or 0)


@pytest.fixture
def investigating(engine: Engine, web_org: Org) -> str:
    return case_walked_to(engine, web_org, "record_inquiry")


@pytest.fixture
def officer(client: TestClient, investigating: str) -> str:
    """diaocha1 signed in (an officer of the case); the page's CSRF token."""
    login(client, "diaocha1")
    return csrf_of(client.get(f"/cases/{case_path(investigating)}").text)


def register_on_page(client: TestClient, case_no: str, csrf: str, data: bytes | None, *, name: str = "明细.xlsx",
                     as_json: bool = False, **fields: str) -> Any:
    form = {"csrf_token": csrf, "conduct": "tl40-1-3-fictitious-services", "facts": FACTS, **fields}
    files = {"details_file": (name if data is not None else "", data or b"")}  # none chosen: a nameless part
    return client.post(f"/cases/{case_path(case_no)}/violations", data=form, files=files, follow_redirects=False,
                       headers={"Accept": "application/json"} if as_json else {})


def api_add(client: TestClient, case_no: str, csrf: str, body: Any) -> Any:
    return json_post(client, f"/api/cases/{case_path(case_no)}/violations", csrf, body)


def json_post(client: TestClient, url: str, csrf: str, body: Any) -> Any:
    return client.post(url, headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"},
                       content=json.dumps(body, ensure_ascii=False).encode())


def rows_json(**change: Any) -> list[dict[str, Any]]:
    return [{"item": "中频脉冲电治疗", "day": "2026-03-05", "quantity": "3", "unit_price": "12.50",
             "fund_paid": "30.00", "fund": "职工医保", "patient": "王小梅", **change}]


# ── the page ─────────────────────────────────────────────────────────────
def test_an_officer_registers_a_violation_with_its_xlsx_and_the_page_shows_the_sums(
        client: TestClient, engine: Engine, investigating: str, officer: str) -> None:
    page = client.get(f"/cases/{case_path(investigating)}").text
    own = section(page)
    assert "本案尚未登记违法行为" in own and 'id="violation-add"' in own
    assert page.index('id="violations"') < page.index('id="evidence"')
    assert f'<option value="tl40-1-3-fictitious-services" title="{CLAUSE}">{CONDUCT}</option>' in own
    assert 'name="details_file" accept=".xlsx,.csv"' in own and 'href="/violations/details-template.xlsx"' in own
    assert "有违法明细的，按明细最早日期自动计算" in own and "不需填写金额" in own

    r = register_on_page(client, investigating, officer, xlsx(ROWS))
    assert r.status_code == 303, r.text
    assert r.headers["location"].endswith("?done=add_violation#violations")
    page = client.get(r.headers["location"]).text
    assert f"已办理「登记违法行为：{label(1, CONDUCT)}」" in page
    row = section(page)[section(page).index('id="violation-1"'):]
    row = row[:row.index("</tr>")]
    assert CONDUCT in row and f"处罚依据：{CLAUSE}" in row and "违反：《医疗保障基金使用监督管理条例》" in row
    assert "2026-03-05" in row and "至 2026-05-20" in row
    assert "12,117.50" in row and "9,694.00" in row and "<div>其中职工医保基金9,630.00元</div><div>居民医保基金64.00元</div>" in row
    assert re.search(r'<td class="num small"><a href="/api/cases/[^"]+/violations/1/details.xlsx"[^>]*>3</a></td>', row)
    assert "撤回" in row  # the officer may withdraw it while the case is investigated
    assert "涉案金额 12117.50元" in page  # the case's amounts are the violation's

    listed = client.get(f"/api/cases/{case_path(investigating)}/violations")
    assert listed.status_code == 200
    [v] = listed.json()
    assert v["amount_involved"] == "12117.50" and v["amount_loss"] == "9694.00" and v["amount_defrauded"] == "9694.00"
    assert v["rows"] == 3 and v["period_from"] == "2026-03-05" and v["period_until"] == "2026-05-20"

    # the 参保人 are kept masked: never in full on the page, in the API, in the record or its trail
    with unit_of_work(engine, write=False) as s:
        stored = s.scalars(select(CaseViolation.details)).one()
        trail = [e.payload for e in s.scalars(select(CaseEvent))]
    assert [d["patient"] for d in stored] == ["王*梅", "李*山", "欧**花"]
    for text in (page, listed.text, json.dumps(stored, ensure_ascii=False), json.dumps(trail, ensure_ascii=False)):
        assert not any(p in text for p in PATIENTS)


def test_the_pages_script_gets_json_and_a_wrong_row_registers_nothing(
        client: TestClient, engine: Engine, investigating: str, officer: str) -> None:
    before = counts(engine)
    bad = [ROWS[0], ["李大山", "居民医保", "针灸治疗", "2026-04-10", 0, 40, 80, 64], ROWS[2]]
    r = register_on_page(client, investigating, officer, xlsx(bad))
    assert r.status_code == 422
    own = section(r.text)
    assert "明细文件中有错误，违法行为未登记" in own and "<li>第3行：数量须大于零</li>" in own
    assert f">{FACTS}</textarea>" in own  # what was typed stays
    assert 'selected>虚构医药服务项目</option>' in own
    assert "李大山" not in r.text
    r = register_on_page(client, investigating, officer, xlsx(bad), as_json=True)
    assert r.status_code == 422 and r.json()["details"] == {"details[1].quantity": "第3行：数量须大于零"}
    assert r.json()["message"].startswith("明细文件中有错误，违法行为未登记")  # the rows listed once, not twice
    # no file for a conduct whose fine is a multiple of the amount: refused, saying why
    r = register_on_page(client, investigating, officer, None)
    assert r.status_code == 409 and "须逐行列明违法明细" in section(r.text)
    r = register_on_page(client, investigating, officer, b"PK\x03\x04 broken", name="坏.xlsx", as_json=True)
    assert r.status_code == 422 and "已损坏" in r.json()["message"] and r.json()["details"] == {}  # said once
    assert counts(engine) == before

    r = register_on_page(client, investigating, officer, xlsx(ROWS), as_json=True)
    assert r.status_code == 200 and r.json()["location"].endswith("?done=add_violation#violations")


def test_withdrawing_on_the_page_strikes_the_row_and_the_totals_follow(
        client: TestClient, engine: Engine, investigating: str, officer: str) -> None:
    assert register_on_page(client, investigating, officer, xlsx(ROWS)).status_code == 303
    assert register_on_page(client, investigating, officer, xlsx(ROWS[:1]),
                            conduct="提供虚假证明材料").status_code == 303
    page = client.get(f"/cases/{case_path(investigating)}").text
    total = section(page)[section(page).index("<tfoot>"):]
    assert "合计" in total and "12,155.00" in total and "9,724.00" in total  # 12117.50 + 37.50; 9694 + 30

    url = f"/cases/{case_path(investigating)}/violations/1/withdraw"
    r = client.post(url, data={"csrf_token": officer, "reason": " "})
    assert r.status_code == 422 and "请填写撤回理由" in section(r.text)
    r = client.post(url, data={"csrf_token": officer, "reason": "经核实为重复登记"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("done=withdraw_violation#violations")
    page = client.get(r.headers["location"]).text
    own = section(page)
    row = own[own.index('id="violation-1"'):]
    row = row[:row.index("</tr>")]
    assert 'class="withdrawn"' in row and "已撤回：经核实为重复登记" in row and "撤回</summary>" not in row
    total = own[own.index("<tfoot>"):]
    assert "认定中的 1 项" in total and "37.50" in total and "12,155.00" not in total
    assert events(engine, investigating)[-1].opinion == "经核实为重复登记"
    r = client.post(url, data={"csrf_token": officer, "reason": "再撤一次"}, headers={"Accept": "application/json"})
    assert r.status_code == 409 and r.json()["code"] == "VIOLATION_WITHDRAWN"


def test_only_the_cases_officers_may_register_violations(
        client: TestClient, engine: Engine, investigating: str) -> None:
    csrf = login(client, "shencha")
    page = client.get(f"/cases/{case_path(investigating)}").text
    own = section(page)
    assert 'id="violation-add"' not in own and "违法行为由本案承办人员在调查取证阶段登记和撤回" in own
    before = counts(engine)
    r = register_on_page(client, investigating, csrf_of(page), xlsx(ROWS))
    assert r.status_code == 409 and "不是本案的承办人员" in r.text
    r = api_add(client, investigating, csrf, {"conduct": CONDUCT, "facts": FACTS, "details": rows_json()})
    assert r.status_code == 409 and r.json()["code"] == "VIOLATION_NOT_OFFICER"
    assert counts(engine) == before


def test_after_the_investigation_is_concluded_violations_are_closed(
        client: TestClient, engine: Engine, web_org: Org) -> None:
    no = case_walked_to(engine, web_org, "conclude_investigation")
    csrf = login(client, "diaocha1")
    page = client.get(f"/cases/{case_path(no)}").text
    own = section(page)
    assert 'id="violation-add"' not in own and "「变更认定金额」" in own and "补充调查" in own
    assert "（未逐项认定）" in own  # the amounts its 调查终结 gave alone
    before = counts(engine)
    r = register_on_page(client, no, csrf_of(page), xlsx(ROWS))
    assert r.status_code == 409 and "不能登记违法行为" in r.text
    r = api_add(client, no, csrf, {"conduct": CONDUCT, "facts": FACTS, "details": rows_json()})
    assert r.status_code == 409 and r.json()["code"] == "VIOLATION_CLOSED"
    assert counts(engine) == before


def test_a_case_whose_item_punishes_no_conduct_has_no_section(
        client: TestClient, engine: Engine, web_org: Org) -> None:
    no = open_case(engine, web_org, procedure="sealing", by="pizhun", officers=("fengcun", "zhixing"))
    login(client, "fengcun")
    page = client.get(f"/cases/{case_path(no)}")
    assert page.status_code == 200 and 'id="violations"' not in page.text and 'id="evidence"' in page.text


# ── the API ──────────────────────────────────────────────────────────────
def test_the_api_lists_registers_and_withdraws(client: TestClient, investigating: str, officer: str) -> None:
    base = f"/api/cases/{case_path(investigating)}/violations"
    assert client.get(base).json() == []
    r = json_post(client, base, officer, {"conduct": CONDUCT, "facts": FACTS,
                                          "details": rows_json() + rows_json(day="2026-04-01", fund="居民医保")})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["seq"] == 1 and body["punished_by"] == CLAUSE and body["amount_loss"] == "60.00"
    assert body["fund_split"] == "其中职工医保基金30.00元、居民医保基金30.00元" and body["withdrawn"] is None

    r = client.post(base, headers={"X-CSRF-Token": officer},
                    data={"data": json.dumps({"conduct": "tl40-1-1-false-receipts", "facts": "虚开费用单据。"},
                                             ensure_ascii=False)},
                    files={"details_file": ("明细.xlsx", xlsx(ROWS))})
    assert r.status_code == 201, r.text
    assert r.json()["seq"] == 2 and r.json()["conduct"] == "串通他人虚开费用单据" and r.json()["rows"] == 3

    r = json_post(client, f"{base}/2/withdraw", officer, {"reason": "另案处理"})
    assert r.status_code == 200 and r.json()["withdrawn"]["reason"] == "另案处理"
    assert [(v["seq"], v["withdrawn"] is None) for v in client.get(base).json()] == [(1, True), (2, False)]
    r = json_post(client, f"{base}/2/withdraw", officer, {"reason": "再撤"})
    assert r.status_code == 409 and r.json()["code"] == "VIOLATION_WITHDRAWN"
    assert json_post(client, f"{base}/1/withdraw", officer, {}).status_code == 422
    assert json_post(client, f"{base}/0/withdraw", officer, {"reason": "x"}).status_code == 422

    login(client, "ps_lian")  # another agency
    assert client.get(base).status_code == 404


@pytest.mark.parametrize(("body", "status", "key"), [
    ({"conduct": CONDUCT, "facts": FACTS, "details": "一行"}, 422, "details"),
    ({"conduct": CONDUCT, "facts": FACTS, "details": {"item": "x"}}, 422, "details"),
    ({"conduct": CONDUCT, "facts": FACTS, "details": rows_json(day="2026-02-30")}, 422, "details[0].day"),
    ({"conduct": CONDUCT, "facts": FACTS, "details": [5, None]}, 422, "details[0]"),
    ({"conduct": CONDUCT, "facts": FACTS, "details": rows_json(quantity=True)}, 422, "details[0].quantity"),
    ({"conduct": "串换药品", "facts": FACTS, "details": rows_json()}, 409, "conduct"),
    ({"conduct": 5, "facts": FACTS}, 409, "conduct"),
    ({"conduct": ["虚构医药服务项目"], "facts": FACTS}, 422, "conduct"),
    ({"facts": FACTS, "details": rows_json()}, 422, "conduct"),
    ({"conduct": CONDUCT, "facts": FACTS, "details": rows_json(), "amount_loss": "1"}, 422, None),
    ([1, 2], 422, "body"),
    ("text", 422, "body"),
])
def test_bad_input_to_the_api_is_refused_with_the_error_body(
        client: TestClient, engine: Engine, investigating: str, officer: str, body: Any, status: int,
        key: str | None) -> None:
    before = counts(engine)
    r = json_post(client, f"/api/cases/{case_path(investigating)}/violations", officer, body)
    assert r.status_code == status, r.text
    err = r.json()
    assert set(err) >= {"code", "message", "details"} and err["message"]
    if key is not None:
        assert key in err["details"], err
    assert counts(engine) == before


def test_bad_bodies_and_files_are_refused_not_crashed(client: TestClient, engine: Engine, investigating: str,
                                                       officer: str) -> None:
    base = f"/api/cases/{case_path(investigating)}/violations"
    before = counts(engine)
    data = {"data": json.dumps({"conduct": CONDUCT, "facts": FACTS}, ensure_ascii=False)}
    for name, content in (("坏.xlsx", b"PK\x03\x04" + b"\x00" * 200), ("old.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100),
                          ("a.csv", b""), ("a.csv", "名称,数量\n甲,1\n".encode()), ("a.bin", b"\x00\x01\x02" * 50)):
        r = client.post(base, headers={"X-CSRF-Token": officer}, data=data, files={"details_file": (name, content)})
        assert r.status_code == 422 and r.json()["code"] == "INVALID_INPUT", (name, r.text)
        assert "details_file" in r.json()["details"]
    r = client.post(base, headers={"X-CSRF-Token": officer},
                    data=data, files=[("details_file", ("a.xlsx", xlsx(ROWS))), ("details_file", ("b.xlsx", xlsx(ROWS)))])
    assert r.status_code == 422 and "一个明细文件" in r.json()["message"]
    r = client.post(base, headers={"X-CSRF-Token": officer}, data={**data, "details_file": "不是文件"})
    assert r.status_code == 422 and r.json()["details"] == {"details_file": "须为文件"}
    r = client.post(base, headers={"X-CSRF-Token": officer}, data={"data": "{oops"})
    assert r.status_code == 422 and r.json()["details"] == {"data": "不是合法的 JSON"}
    r = client.post(base, headers={"X-CSRF-Token": officer}, files={"details_file": ("a.xlsx", xlsx(ROWS))})
    assert r.status_code == 422 and r.json()["details"] == {"data": "必填"}
    r = client.post(base, headers={"X-CSRF-Token": officer, "Content-Type": "application/json"}, content=b"{oops")
    assert r.status_code == 422 and r.json()["details"] == {"body": "不是合法的 JSON"}
    r = client.post(base, headers={"X-CSRF-Token": officer, "Content-Type": "text/plain"}, content=b"hello")
    assert r.status_code == 422
    # both typed rows and a file: one or the other
    both = {"data": json.dumps({"conduct": CONDUCT, "facts": FACTS, "details": rows_json()}, ensure_ascii=False)}
    r = client.post(base, headers={"X-CSRF-Token": officer}, data=both, files={"details_file": ("a.xlsx", xlsx(ROWS))})
    assert r.status_code == 422 and "二者选一" in r.json()["message"]
    r = client.post(base, json={"conduct": CONDUCT, "facts": FACTS, "details": rows_json()})  # no CSRF token
    assert r.status_code == 403
    assert counts(engine) == before


# ── the template and the 拟处罚 rows ─────────────────────────────────────────
def test_the_template_downloads_as_a_valid_xlsx_under_its_chinese_name(client: TestClient, officer: str) -> None:
    r = client.get("/violations/details-template.xlsx")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    disposition = r.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E8%BF%9D%E6%B3%95%E6%98%8E%E7%BB%86" in disposition  # 违法明细…
    book = load_workbook(io.BytesIO(r.content))
    assert [c.value for c in book.worksheets[0][1]] == list(TEMPLATE)
    assert book.sheetnames == ["违法明细", "填写说明"]
    client.post("/logout")
    client.cookies.clear()
    assert client.get("/violations/details-template.xlsx", follow_redirects=False).status_code in (303, 401)


def test_the_penalty_rows_name_a_violation_only_when_there_are_two(
        client: TestClient, engine: Engine, investigating: str, officer: str) -> None:
    def form() -> str:
        page = client.get(f"/cases/{case_path(investigating)}").text
        f = page[page.index('id="step-conclude_investigation"'):]
        return f[:f.index("</form>")]

    assert 'name="penalties[0].violation"' not in form()
    assert register_on_page(client, investigating, officer, xlsx(ROWS)).status_code == 303
    assert 'name="penalties[0].violation"' not in form()  # one: the engine takes it
    assert register_on_page(client, investigating, officer, xlsx(ROWS[:1]),
                            conduct="提供虚假证明材料").status_code == 303
    f = form()
    assert 'name="penalties[2].violation"' in f and "<span>违法行为</span>" in f
    assert '<option value="">整案</option>' in f
    first, second = label(1, CONDUCT), label(2, "提供虚假证明材料")
    assert f'<option value="1" title="{first}" >{first}</option>' in f and f">{second}</option>" in f
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=investigating)
        assert case.amount_loss is not None and f"{case.amount_loss:.2f}" == "9724.00"


# ── generated input ──────────────────────────────────────────────────────
VIOLATION_OPERATIONS = [("GET", "/api/cases/{case_no}/violations"), ("POST", "/api/cases/{case_no}/violations"),
                        ("POST", "/api/cases/{case_no}/violations/{seq}/withdraw")]


@pytest.mark.parametrize(("method", "path"), VIOLATION_OPERATIONS)
@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_generated_input_never_breaks_the_violation_routes(
        method: str, path: str, mode: str, app: Any, client: TestClient, investigating: str) -> None:
    """As the API's fuzz test drives every route: no 5xx, responses as documented, invalid input
    refused with a 4xx that carries a code and a message."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import negative_data_rejection, response_schema_conformance

    r = client.post("/api/auth/login", json={"username": "diaocha1", "password": PASSWORD})
    token = r.json()["access_token"]
    operation = schemathesis.openapi.from_asgi("/openapi.json", app)[path][method]

    @given(case=operation.as_strategy(generation_mode=GenerationMode(mode)))
    @settings(max_examples=25, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
    def call(case: Any) -> None:
        if len(str((case.path_parameters or {}).get("case_no", ""))) % 2 == 0:
            case.path_parameters["case_no"] = investigating  # half the time the real case
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance,
                                                 negative_data_rejection])
        if response.status_code >= 400:
            body = response.json()
            assert isinstance(body, dict) and body.get("code") and body.get("message"), body

    try:
        call()
    except Unsatisfiable:
        assert mode == "negative"


def test_amounts_changed_after_the_conclusion_from_a_corrected_spreadsheet(
        client: TestClient, engine: Engine, web_org: Org, investigating: str, officer: str) -> None:
    """变更认定金额 on the page: the step's form is multipart, takes the corrected 明细 as a file and the
    amounts become its sums (never a figure typed beside it)."""
    from caseflow.demo.scenarios import FRAUD_BASIS_FINE, FRAUD_BASIS_RETURN
    from caseflow.demo.walk import sh
    r = register_on_page(client, investigating, officer, xlsx(ROWS))
    assert r.status_code == 303, re.findall(r'role="alert"[^>]*>([^<]*)', r.text)
    with unit_of_work(engine) as s:  # 调查终结 with 2 × 9,694.00 (从轻: the fund returned)
        case_service.fire(db_session=s, case_no=investigating, trigger="conclude_investigation",
                          actor_id=web_org.users["diaocha1"], at=sh("2026-06-10 09:00"), payload={
                              "facts": FACTS, "factors": [{"factor": "remedied_harm", "evidence": "银行回单"}],
                              "penalties": [{"kind": "责令退回", "amount": "9694.00", "basis": FRAUD_BASIS_RETURN},
                                            {"kind": "罚款", "amount": "19388.00", "basis": FRAUD_BASIS_FINE}]})
    page = client.get(f"/cases/{case_path(investigating)}").text
    form = page[page.index('<form id="step-amend_amounts"'):]
    form = form[:form.index("</form>")]
    assert 'enctype="multipart/form-data"' in form and 'name="details_file"' in form
    fewer = xlsx(ROWS[:2])  # the 推拿治疗 row disproved: 30.00 + 64.00 = 94.00
    r = client.post(f"/cases/{case_path(investigating)}/actions/amend_amounts", follow_redirects=False,
                    data={"csrf_token": officer, "violation": "1", "opinion": "推拿治疗经核实已实际提供",
                          "penalties[0].kind": "责令退回", "penalties[0].amount": "94.00",
                          "penalties[0].basis": FRAUD_BASIS_RETURN,
                          "penalties[1].kind": "罚款", "penalties[1].amount": "188.00",
                          "penalties[1].basis": FRAUD_BASIS_FINE},
                    files={"details_file": ("改正后的明细.xlsx", fewer)})
    assert r.status_code == 303, r.text
    with unit_of_work(engine, write=False) as s:
        case = case_service.get_case(db_session=s, case_no=investigating)
        assert f"{case.amount_defrauded:.2f}" == "94.00" and len(case.violations[0].details) == 2
    bad = xlsx([[*ROWS[0][:4], 0, *ROWS[0][5:]]])  # 数量 0 on the file's line 2
    r = client.post(f"/cases/{case_path(investigating)}/actions/amend_amounts",
                    data={"csrf_token": officer, "violation": "1", "opinion": "再改"},
                    files={"details_file": ("明细.xlsx", bad)})
    assert r.status_code == 422 and "第2行" in r.text


def test_a_violations_details_download_as_the_template_and_import_again(
        client: TestClient, engine: Engine, investigating: str, officer: str) -> None:
    """The 明细 as recorded — 参保人 masked — in the template's own layout: read, or corrected and
    imported again (变更认定金额); a violation that has none is not found."""
    from caseflow.violations.importer import import_details

    assert register_on_page(client, investigating, officer, xlsx(ROWS)).status_code == 303
    r = client.get(f"/api/cases/{case_path(investigating)}/violations/1/details.xlsx")
    assert r.status_code == 200 and r.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert "filename*=UTF-8''" in r.headers["content-disposition"]
    rows = import_details(r.content, "明细.xlsx", today=date(2026, 12, 5))
    assert [(x.patient, x.item, str(x.amount), str(x.fund_paid)) for x in rows] == [
        ("王*梅", "中频脉冲电治疗", "37.50", "30.00"), ("李*山", "针灸治疗", "80.00", "64.00"),
        ("欧**花", "推拿治疗", "12000.00", "9600.00")]
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert not any(p in str(c.value) for row in sheet.iter_rows() for c in row for p in PATIENTS)
    assert client.get(f"/api/cases/{case_path(investigating)}/violations/9/details.xlsx").status_code == 404

