"""裁量 on the pages (issue 18 §1): the 调查终结 form offers the circumstances of the agency's 裁量基准 and
shows its tiers in this case's amounts; a fine outside the tier the circumstances lead to is refused
without a 裁量说明 — the message under that field, what was typed kept — and goes through with one;
法制审核, the head and the 监督看板 see the 裁量 side by side with the proposal. No administrator's
note (待核实) and no rule code on any of these pages."""

from __future__ import annotations

import html as html_lib
import re
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update

from caseflow.cases import service as case_service
from caseflow.cases.discretion_rows import replace_rows
from caseflow.cases.models import Case
from caseflow.db.session import unit_of_work
from caseflow.demo.scenarios import FRAUD_BASIS_FINE, FRAUD_BASIS_RETURN
from caseflow.legal_time import SHANGHAI
from caseflow.org.models import Agency
from caseflow.web.queries.discretion_stats import discretion_spread, tier_columns
from tests.helpers import Org, Runner, case_walked_to, open_case, through, walk
from tests.web.conftest import case_path, login

EVIDENCE = "当事人于2026年6月8日将30,000.00元退回医疗保障基金专户（银行回单）"
REASON = "当事人虽主动退回，但虚构项目持续四个月、涉及患者12名，按骗取金额5倍处罚。"


def csrf_of(page: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert m, "no CSRF field in the page"
    return m.group(1)


def form_of(page: str, trigger: str) -> str:
    form = page[page.index(f'id="step-{trigger}"'):]
    return form[:form.index("</form>")]


def visible(page: str) -> str:
    """The page's text as a person reads it (no tags, no attributes)."""
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", page))


def no_admin_notes(page: str) -> None:
    assert "待核实" not in page and "原文未取得" not in page
    assert "DISCRETION_" not in visible(page) and "remedied_harm" not in visible(page)


def conclusion(csrf: str, fine: str, **extra: str) -> dict[str, str]:
    return {
        "csrf_token": csrf, "facts": "当事人虚构诊疗项目骗取医疗保障基金支出30,000.00元。",
        "violation_from": "2026-01-05", "violation_until": "2026-04-28", "amount_defrauded": "30000.00",
        "reasons": "违反《医疗保障基金使用监督管理条例》第十五条第一款。",
        "penalties[0].kind": "责令退回", "penalties[0].amount": "30000.00", "penalties[0].basis": FRAUD_BASIS_RETURN,
        "penalties[1].kind": "罚款", "penalties[1].amount": fine, "penalties[1].basis": FRAUD_BASIS_FINE,
        "factors[0].factor": "remedied_harm", "factors[0].evidence": EVIDENCE, **extra}


@pytest.fixture
def investigating(engine: Engine, web_org: Org) -> str:
    """A case of 栾川 (河南省: the 河南 benchmark) in 调查取证, 骗取金额 30,000.00元 recorded."""
    return case_walked_to(engine, web_org, "record_inquiry")


def test_the_conclusion_form_offers_the_benchmark(client: TestClient, investigating: str) -> None:
    login(client, "diaocha1")
    page = client.get(f"/cases/{case_path(investigating)}").text
    no_admin_notes(page)
    form = form_of(page, "conclude_investigation")
    # The circumstances, grouped, by name; their codes are the values
    assert '<optgroup label="法定从轻或者减轻（《行政处罚法》第三十二条）">' in form
    assert '<optgroup label="从轻">' in form and '<optgroup label="从重">' in form
    assert re.search(r'<option value="remedied_harm"[^>]*>主动消除或者减轻违法行为危害后果</option>', form)
    assert ">初次违法</option>" in form and ">拒不配合调查，或者隐匿、销毁证据</option>" in form
    assert form.count('name="factors[') == 6 and 'name="factors[2].evidence"' in form  # three rows
    assert "data-factors-add" in form and 'src="/static/discretion.js"' in form
    assert 'name="discretion_reason"' in form
    # The tiers in this case's amounts (骗取金额 30,000.00元), beside the lawful ranges
    tiers = page[page.index('class="benchmark"'):]
    tiers = visible(tiers[:tiers.index("</table>")])
    assert "本案骗取金额 30,000.00元" in tiers
    rows = re.findall(r"(从轻|一般|从重)\s.*?(\d[\d,.]*)–([\d,.]+)", tiers, re.S)
    assert rows == [("从轻", "60,000.00", "90,000.00"), ("一般", "90,000.00", "120,000.00"),
                    ("从重", "120,000.00", "150,000.00")]
    assert "推荐" not in tiers  # nothing recorded yet: the hint instead
    assert "选择裁量情节后，提交时按裁量基准确定档次" in page


def test_a_fine_outside_the_tier_needs_a_reason(client: TestClient, engine: Engine, investigating: str,
                                               renders: list[int | None]) -> None:
    login(client, "diaocha1")
    url = f"/cases/{case_path(investigating)}/actions/conclude_investigation"
    csrf = csrf_of(client.get(f"/cases/{case_path(investigating)}").text)
    r = client.post(url, data=conclusion(csrf, "150000.00"), follow_redirects=False)
    assert r.status_code == 409
    form = form_of(r.text, "conclude_investigation")
    assert "须填写裁量说明" in form and "「从轻」档（2至3倍，即60,000.00至90,000.00元）" in form
    reason = form[form.index('<label class="wide">裁量说明'):]
    reason = reason[:reason.index("</label>")]
    assert '<div class="ferr">偏离裁量基准推荐档次，须填写裁量说明</div>' in reason and "autofocus" in reason
    # What was typed stays
    assert re.search(r'<option value="remedied_harm"[^>]*selected>', form)
    assert f'value="{EVIDENCE}"' in form and 'value="150000.00"' in form
    no_admin_notes(r.text)

    r = client.post(url, data=conclusion(csrf, "150000.00", discretion_reason=REASON), follow_redirects=False)
    assert r.status_code == 303, visible(r.text)[:2000]
    with unit_of_work(engine, write=False) as s:
        record = case_service.get_case(db_session=s, case_no=investigating).discretion
    (fine,) = record["penalties"]
    assert (fine["tier"], fine["multiple"], fine["within"]) == ("从轻", "5.00", False)
    assert record["reason"] == REASON and record["factors"][0]["evidence"] == EVIDENCE

    page = client.get(f"/cases/{case_path(investigating)}").text
    tiers = page[page.index('class="benchmark"'):]
    tiers = tiers[:tiers.index("</table>")]
    assert re.search(r'<tr class="recommended"><td class="nowrap">从轻 <span class="tag rec">推荐</span>', tiers)
    assert tiers.count("推荐") == 1
    no_admin_notes(page)


def _concluded(client: TestClient, engine: Engine, web_org: Org, case_no: str) -> None:
    """调查终结 through the form (罚款 5倍, 裁量说明 given), then to 法制审核."""
    login(client, "diaocha1")
    csrf = csrf_of(client.get(f"/cases/{case_path(case_no)}").text)
    r = client.post(f"/cases/{case_path(case_no)}/actions/conclude_investigation",
                    data=conclusion(csrf, "150000.00", discretion_reason=REASON), follow_redirects=False)
    assert r.status_code == 303, visible(r.text)[:2000]
    runner = Runner(engine, web_org, reload=True)
    runner.fire(case_no, "submit_legal_review", "diaocha1", datetime.now(SHANGHAI) + timedelta(minutes=1))


def test_review_head_and_dashboard_see_the_discretion(client: TestClient, engine: Engine, web_org: Org,
                                                      investigating: str, renders: list[int | None]) -> None:
    _concluded(client, engine, web_org, investigating)
    login(client, "shencha")
    page = client.get("/review").text
    no_admin_notes(page)
    card = visible(page[page.index('class="card review"'):])
    for seen in ("主动消除或者减轻违法行为危害后果", EVIDENCE, "第1项「从轻」档", "5倍", "超出推荐档次",
                 "骗取金额的2至3倍，即60,000.00至90,000.00元", REASON, "150,000.00元"):
        assert seen in card, seen
    assert "《行政处罚法》第三十二条第（一）项" in card  # the circumstance's basis (the law's own)

    Runner(engine, web_org, reload=True).fire(investigating, "approve_legal_review", "shencha",
                                              datetime.now(SHANGHAI) + timedelta(minutes=2), opinion="同意。")
    login(client, "juzhang")  # the head, in 负责人审批: the 裁量 beside the proposal
    page = client.get(f"/cases/{case_path(investigating)}").text
    assert 'id="step-approve_penalty"' in page
    no_admin_notes(page)
    section = visible(page[page.index("<h2>案情与处罚</h2>"):page.index('id="actions"')])
    assert "第1项「从轻」档" in section and REASON in section and "综合考虑当事人主动消除或者减轻违法行为危害后果等情节" in section

    page = client.get("/dashboard").text
    no_admin_notes(page)
    spread = visible(page[page.index('class="card spread"'):])
    spread = spread[:spread.index("尚无") if "尚无" in spread else None]
    assert re.search(r"第1项 骗取医疗保障基金支出的罚款\s+河南省医疗保障行政处罚裁量基准\s+"
                     r"《医疗保障基金使用监督管理条例》第四十条\s+1\s", spread)
    assert re.search(r"从轻\s.*最低倍数.*\s1\s+5倍\s+5倍\s+5倍\s+1\s", spread, re.S)


def test_without_a_benchmark_only_the_reason_is_asked(client: TestClient, engine: Engine, investigating: str,
                                                      web_org: Org) -> None:
    with unit_of_work(engine) as s:  # the agency applies 甘肃's benchmark, whose values are not entered
        s.execute(update(Agency).where(Agency.id == web_org.agency_id)
                  .values(settings={"discretion": {"province": "甘肃省"}}))
    login(client, "diaocha1")
    page = client.get(f"/cases/{case_path(investigating)}").text
    form = form_of(page, "conclude_investigation")
    assert "本机关未设置适用的裁量基准" in form and 'name="factors[' not in form
    assert 'name="discretion_reason"' in form and 'class="benchmark"' not in page


def _fine(tier: str, multiple: str, *, within: bool = True, basis: str = FRAUD_BASIS_FINE) -> dict[str, object]:
    return {"kind": "罚款", "basis": basis, "item": 1, "tier": tier, "multiple": multiple, "within": within}


def test_the_spread_counts_each_case_once_by_its_latest_discretion(engine: Engine, web_org: Org) -> None:
    bench = "河南省医疗保障行政处罚裁量基准"
    records = [  # (state, decision, the 裁量 recorded)
        ("decided", "penalty", [_fine("从轻", "2.00"), _fine("从轻", "2.50")]),  # two parties: one case
        ("notice", None, [_fine("一般", "3.00")]),
        ("legal_review", None, [_fine("从轻", "5.00", within=False)]),
        ("filing_revoked", None, [_fine("从重", "5.00")]),  # came to nothing: not counted
        ("decided", "no_penalty", [_fine("从重", "4.00")]),  # 不予行政处罚: not counted
        ("notice", None, [_fine("一般", "3.50", basis="《中华人民共和国社会保险法》第八十七条：…")]),
    ]
    for state, decision, fines in records:
        no = case_walked_to(engine, web_org, "record_inquiry")
        with unit_of_work(engine) as s:
            case = s.scalars(select(Case).where(Case.case_no == no)).one()
            case.state, case.decision_kind = state, decision
            case.discretion = {"benchmark": bench, "penalties": fines}
            replace_rows(s, case)  # the board's rows, as record_discretion writes them
    with unit_of_work(engine, write=False) as s:
        rows = discretion_spread(db_session=s, agency_id=web_org.agency_id)
    assert [(r.basis, r.cases, r.decided, r.tiers, r.outside) for r in rows] == [
        ("《中华人民共和国社会保险法》第八十七条", 1, 0, {"一般": 1}, 0),
        ("《医疗保障基金使用监督管理条例》第四十条", 3, 1, {"从轻": 2, "一般": 1}, 1),
    ]
    fund = rows[1]
    assert (fund.name, fund.low, fund.middle, fund.high) == (
        "骗取医疗保障基金支出的罚款", Decimal("2.00"), Decimal("2.75"), Decimal("5.00"))
    assert tier_columns(rows) == ["从轻", "一般"]


def test_an_item_the_benchmark_does_not_cover_gets_no_tier(client: TestClient, engine: Engine, web_org: Org) -> None:
    no = open_case(engine, web_org, item="004-03")  # 条例第三十八条: not an entry of the 河南 benchmark
    runner = Runner(engine, web_org, reload=True)
    walk(runner, no, through("record_inquiry"))
    login(client, "diaocha1")
    page = client.get(f"/cases/{case_path(no)}").text
    form = form_of(page, "conclude_investigation")
    assert ">初次违法</option>" in form  # the circumstances still go into the documents
    assert "不在河南省医疗保障行政处罚裁量基准所列条目内，不推荐裁量档次" in form and "data-recommend" not in form
    assert 'class="benchmark"' not in page
