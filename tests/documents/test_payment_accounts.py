"""Where the money of a decision goes — 《医疗保障基金使用监督管理条例》第四十五条: "退回的基金退回原
医疗保障基金财政专户；罚款、没收的违法所得依法上缴国库。"

Two agency accounts: `payment` (罚款、没收的违法所得, 国库/非税收入) and `fund_return` (医疗保障基金财政
专户). Each is required only by a decision (or 催告书) that sends money to it, and each document names
the right one. The 责令退回 period is the `fund_return` deadline rule's, or the `payment` rule's
where the rule library has no `fund_return` rule.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import Engine

from caseflow.cases.service import get_case
from caseflow.db.session import unit_of_work
from caseflow.demo.organisation import DEMO_SETTINGS
from caseflow.documents import snapshot
from caseflow.cases.document_source import _Source
from caseflow.documents.fields import missing_fields
from caseflow.documents.renderer import render_html
from caseflow.documents.service import documents_of
from caseflow.documents.types import get_doc_type
from caseflow.errors import InvalidInput
from caseflow.org.models import Agency
from caseflow.org.service import set_agency_settings
from caseflow.org.settings import AgencySettings, read_settings
from caseflow.workflow.registry import get_library
from tests.documents.sample_data import sample
from tests.helpers import Org, Runner, case_walked_to

FUND = "原医疗保障基金财政专户"
TREASURY = "依法上缴国库"
FUND_ACCOUNT = sample("penalty_decision")["agency"]["fund_return"]["account"]
TREASURY_ACCOUNT = sample("penalty_decision")["agency"]["payment"]["account"]


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def _paths(key: str, data: dict[str, Any]) -> set[str]:
    return {path for path, _ in missing_fields(get_doc_type(key), data)}


def _without(data: dict[str, Any], kind: str) -> dict[str, Any]:
    data["penalties"] = [p for p in data["penalties"] if p["kind"] != kind]
    return data


# ── settings ────────────────────────────────────────────────────────────────────────────────────

def test_the_agency_has_two_accounts():
    settings = read_settings(DEMO_SETTINGS)
    assert settings.payment.account and settings.fund_return.account
    assert settings.payment.account != settings.fund_return.account
    assert "非税收入" in settings.payment.payee and "医疗保障基金财政专户" in settings.fund_return.payee
    assert AgencySettings.model_fields["fund_return"].title == "医疗保障基金财政专户（责令退回的基金）"
    assert read_settings({}).fund_return.account == ""  # an agency that has not entered it yet


# ── 行政处罚决定书 ───────────────────────────────────────────────────────────────────────────────

def test_decision_sends_the_fund_back_and_the_fine_to_the_treasury():
    text = _text(render_html("penalty_decision", sample("penalty_decision")))
    fund, fine = text.index(FUND_ACCOUNT), text.index(TREASURY_ACCOUNT)
    assert text.index(FUND) < fund < text.index(TREASURY) < fine
    assert "责令退回的医疗保障基金人民币12,345.67元" in text
    assert "自收到本决定书之日起15日内退回至以下账户" in text
    assert "根据《中华人民共和国行政处罚法》第六十七条第三款的规定" in text
    assert "罚款依法上缴国库，请缴至以下指定账户" in text


def test_decision_states_the_fund_return_date_when_known():
    data = sample("penalty_decision")
    data.update(fund_return_due_days=20, fund_return_due=date(2026, 12, 14))
    text = _text(render_html("penalty_decision", data))
    assert "自收到本决定书之日起20日内（即至2026年12月14日止）退回至以下账户" in text


def test_fund_account_is_required_only_with_a_fund_return():
    data = sample("penalty_decision")
    data["agency"]["fund_return"] = {"payee": "", "bank": "", "account": ""}
    assert _paths("penalty_decision", data) == {
        "agency.fund_return.payee", "agency.fund_return.bank", "agency.fund_return.account"}
    with pytest.raises(InvalidInput) as exc:
        render_html("penalty_decision", data)
    assert "医疗保障基金财政专户账号" in exc.value.message
    data = _without(data, "责令退回")
    del data["fund_return_total"]
    text = _text(render_html("penalty_decision", data))
    assert FUND not in text and TREASURY in text


def test_treasury_account_is_required_only_with_a_fine_or_confiscation():
    data = _without(sample("penalty_decision"), "罚款")
    del data["fine_total"]
    data["agency"]["payment"] = {}
    assert _paths("penalty_decision", data) == set()
    text = _text(render_html("penalty_decision", data))
    assert FUND in text and TREASURY not in text and "加处罚款" not in text
    data["penalties"].append({"kind": "没收违法所得", "amount": Decimal("800.00"), "target": "party"})
    assert _paths("penalty_decision", data) == {
        "agency.payment.payee", "agency.payment.bank", "agency.payment.account"}


def test_confiscation_goes_to_the_treasury_without_the_fine_rule():
    data = _without(sample("penalty_decision"), "罚款")
    del data["fine_total"]
    data["penalties"].append({"kind": "没收违法所得", "amount": Decimal("800.00"), "target": "party"})
    data["confiscation_total"] = Decimal("800.00")
    text = _text(render_html("penalty_decision", data))
    assert "没收的违法所得人民币800.00元（大写：捌佰元整），你单位应当自收到本决定书之日起15日内缴纳" in text
    assert "没收的违法所得依法上缴国库，请缴至以下指定账户" in text and TREASURY_ACCOUNT in text
    assert "第六十七条" not in text and "加处罚款" not in text  # 第六十七条 is about 罚款 only


# ── 催告书 ──────────────────────────────────────────────────────────────────────────────────────

def test_dunning_demands_the_fund_return_into_its_own_account():
    text = _text(render_html("dunning_notice", sample("dunning_notice")))
    assert "（一）退回医疗保障基金人民币12,345.67元" in text
    assert "至今未履行退回医疗保障基金和缴纳罚款的义务" in text
    order = [text.index(s) for s in (FUND, FUND_ACCOUNT, TREASURY, TREASURY_ACCOUNT)]
    assert order == sorted(order)


def test_dunning_for_the_fine_alone_names_only_the_treasury_account():
    data = sample("dunning_notice")
    del data["dunning"]["fund_return_due"]
    data["agency"]["fund_return"] = {}
    assert _paths("dunning_notice", data) == set()
    text = _text(render_html("dunning_notice", data))
    assert FUND not in text and "履行方式：根据《医疗保障基金使用监督管理条例》第四十五条的规定，罚款依法上缴国库" in text


def test_dunning_for_the_fund_alone_needs_no_fine():
    data = sample("dunning_notice")
    for key in ("fine", "amount_due", "late_fee", "late_fee_as_of"):
        del data["dunning"][key]
    data["agency"]["payment"] = {}
    assert _paths("dunning_notice", data) == set()
    text = _text(render_html("dunning_notice", data))
    assert "（一）退回医疗保障基金人民币12,345.67元（大写：壹万贰仟叁佰肆拾伍元陆角柒分）。" in text
    assert "至今未履行退回医疗保障基金的义务" in text
    assert TREASURY not in text and "加处罚款" not in text
    data["dunning"]["amount_due"] = Decimal("100.00")  # a fine named: then all of it is required
    assert "dunning.late_fee" in _paths("dunning_notice", data)


# ── the data built from a case ──────────────────────────────────────────────────────────────────

def test_fund_return_period_falls_back_to_the_payment_rule():
    def source(*codes: str) -> _Source:
        library = SimpleNamespace(deadlines=dict.fromkeys(codes))
        return _Source(None, None, None, library, None, None)  # type: ignore[arg-type]

    assert source("payment").fund_return_rule() == "payment"
    assert source("payment", "fund_return").fund_return_rule() == "fund_return"


def _documents(engine: Engine, case_no: str, doc_type: str) -> list[dict[str, Any]]:
    with unit_of_work(engine, write=False) as s:
        case = get_case(db_session=s, case_no=case_no)
        return [snapshot.decode(d.data) for d in documents_of(db_session=s, case_id=case.id)
                if d.doc_type == doc_type]


def test_a_walked_case_fills_both_accounts_and_the_fund_return_period(engine: Engine, org: Org):
    case_no = case_walked_to(engine, org, "serve_decision")  # 责令退回 30,000 元, 罚款 60,000 元
    [decision] = _documents(engine, case_no, "penalty_decision")
    assert decision["agency"]["fund_return"] == DEMO_SETTINGS["fund_return"]
    assert decision["agency"]["payment"] == DEMO_SETTINGS["payment"]
    assert decision["fund_return_total"] == Decimal("30000.00")
    assert decision["fine_total"] == Decimal("60000.00")
    rule = "fund_return" if "fund_return" in get_library().deadlines else "payment"
    assert decision["fund_return_due_days"] == get_library().deadlines[rule].length == 15
    assert decision["confiscation_total"] is None

    runner = Runner(engine, org, reload=True)
    try:
        runner.fire(case_no, "issue_dunning", "zhixing", "2026-07-24 09:00",
                    payload={"method": "直接送达"})
    finally:
        runner.close()
    [dunning] = _documents(engine, case_no, "dunning_notice")
    assert dunning["dunning"]["fund_return_due"] == Decimal("30000.00")
    assert dunning["dunning"]["amount_due"] == Decimal("60000.00")
    text = _text(render_html("dunning_notice", dunning))
    assert DEMO_SETTINGS["fund_return"]["account"] in text
    assert DEMO_SETTINGS["payment"]["account"] in text


def test_the_agency_sets_its_own_fund_return_period(engine: Engine, org: Org):
    if "fund_return" not in get_library().deadlines:
        pytest.skip("no fund_return rule in this rule library: the payment rule's 15 日 apply")
    with unit_of_work(engine) as s:
        agency = s.get(Agency, org.agency_id)
        set_agency_settings(db_session=s, agency=agency,
                            raw={**DEMO_SETTINGS, "limits": {"fund_return": {"length": 30}}})
    case_no = case_walked_to(engine, org, "decide_penalty")
    [decision] = _documents(engine, case_no, "penalty_decision")
    assert (decision["fund_return_due_days"], decision["payment_due_days"]) == (30, 15)
    text = _text(render_html("penalty_decision", decision))
    assert "自收到本决定书之日起30日内退回至以下账户" in text
    assert "第六十七条第三款的规定，你单位应当自收到本决定书之日起15日内" in text
