"""The redaction rules (caseflow/publication/redaction.py), one by one: what a publication may show of
a person — a partly masked name — and never their 身份证号, phone, address or medical data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from caseflow.publication.content import content_of, summarise
from caseflow.publication.redaction import RULES, People, mask_name, redact


@pytest.mark.parametrize(("name", "masked"), [
    ("张某", "张*"), ("王小梅", "王*梅"), ("欧阳小梅", "欧阳*梅"), ("李", "李*"),
    ("张某（演示）", "张*（演示）"), ("司马相如", "司马*如"), ("王大小梅", "王**梅"),
])
def test_names_keep_the_surname_and_the_last_character(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize(("text", "shown"), [
    ("身份证号码410324199003150018。", "身份证号码（身份证号码已隐去）。"),
    ("证件号41032419900315001X，", "证件号（身份证号码已隐去），"),
    ("手机13812345678", "手机（电话已隐去）"),
    ("电话138-1234-5678。", "电话（电话已隐去）。"),
    ("座机0379-66812345，", "座机（电话已隐去），"),
    ("（0379）66812345", "（电话已隐去）"),
    ("联系电话：66812345。", "联系电话（已隐去）。"),
    ("医保卡号A1234567，", "医保卡号（已隐去），"),
    ("住院号20260301，", "住院号（已隐去），"),
    ("住址：栾川县潭头镇示范村，", "住址（已隐去），"),
    ("家住城关镇君山路3号。", "家住（已隐去）。"),
    ("诊断为2型糖尿病，", "诊断为（已隐去），"),
    ("患者王小梅住院", "患者王*梅住院"),
    ("患者王小梅、李大明", "患者王*梅、李*明"),
    ("参保人员：赵某某，", "参保人员：赵*某，"),
    ("就诊人钱多多在门诊", "就诊人钱*多在门诊"),
])
def test_each_rule_hides_what_it_names(text: str, shown: str) -> None:
    assert redact(text) == shown


@pytest.mark.parametrize("text", [
    "骗取医疗保障基金支出30,000.00元。",
    "患者住院期间，患者和家属均不知情。",
    "统一社会信用代码91410324MA47T3Q8WY。",
    "2026年1月至4月，共12份病历。",
    "《医疗保障基金使用监督管理条例》第四十条第一款",
])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert redact(text) == text


def test_the_cases_own_people_are_hidden_wherever_they_are_named() -> None:
    people = People.of_parties([
        {"kind": "individual", "name": "张某（演示）", "identifier": "410324199003150018",
         "address": "河南省洛阳市栾川县潭头镇示范村", "phone": "0379 6680 0001"},
        {"kind": "organisation", "name": "栾川县康宁医院", "identifier": "91410324MA47T3Q8WY",
         "address": "栾川县城关镇示范路1号", "phone": "0379-66800000"},
    ])
    text = ("当事人张某（演示）住河南省洛阳市栾川县潭头镇示范村，电话0379 6680 0001；张某承认。"
            "栾川县康宁医院（电话0379-66800000）位于栾川县城关镇示范路1号。")
    out = redact(text, people)
    for secret in ("张某", "410324199003150018", "潭头镇", "6680 0001", "66800000"):
        assert secret not in out, (secret, out)
    assert "张*（演示）" in out and "张*承认" in out
    assert "栾川县康宁医院" in out and "示范路1号" in out  # an organisation's own name and address stay
    assert redact(out, people) == out  # running it again changes nothing


def test_every_rule_says_what_it_hides() -> None:
    assert all(r.what and r.pattern.pattern for r in RULES)
    assert len({r.what for r in RULES}) == len(RULES)


DECISION = {
    "doc_no": "栾医保罚决〔2026〕9号", "issued_on": date(2026, 7, 7),
    "agency": {"name": "栾川县医疗保障局", "address": "栾川县君山东路", "phone": "0379-66812345"},
    "case": {"case_no": "栾医保罚案〔2026〕9号"},
    "parties": [{"kind": "individual", "name": "王小梅", "identifier": "410324199003150018",
                 "address": "栾川县潭头镇", "phone": "13812345678"}],
    "facts": "当事人王小梅（身份证号码410324199003150018）冒名就医。\n\n患者李大明知情。",
    "evidence": ["询问笔录（王小梅）"],
    "bases": [{"citation": "《医疗保障基金使用监督管理条例》第四十一条第二款", "text": "…"}],
    "penalties": [{"kind": "责令退回", "amount": Decimal("2100.00"), "months": None, "target": "party"},
                  {"kind": "罚款", "amount": Decimal("4200.00"), "months": None, "target": "party"}],
    "officers": [{"name": "王调查", "credential_no": "豫41032026002"}],
}


def test_a_persons_decision_publishes_only_the_fixed_content_redacted() -> None:
    c = content_of(DECISION)
    assert (c.party_name, c.party_kind, c.credit_code) == ("王*梅", "individual", None)
    assert c.summary == "当事人王*梅（身份证号码（已隐去））冒名就医。患者李*明知情。"
    assert c.basis == "《医疗保障基金使用监督管理条例》第四十一条第二款"
    assert c.penalty == "责令退回2,100.00元；罚款4,200.00元"
    assert (c.agency_name, c.decided_on, c.doc_no) == ("栾川县医疗保障局", date(2026, 7, 7), "栾医保罚决〔2026〕9号")
    shown = " ".join(str(v) for v in c.fields().values())
    for secret in ("王小梅", "410324199003150018", "潭头镇", "13812345678", "案〔2026〕", "王调查"):
        assert secret not in shown, secret


def test_a_reviewers_summary_is_redacted_too() -> None:
    c = content_of(DECISION, summary="王小梅（电话13812345678）冒名就医。")
    assert c.summary == "王*梅（电话（已隐去））冒名就医。"


def test_an_organisation_is_named_with_its_credit_code() -> None:
    data = dict(DECISION, parties=[{"kind": "organisation", "name": "栾川县康宁医院",
                                   "identifier": "91410324MA47T3Q8WY", "address": "示范路1号"}])
    c = content_of(data)
    assert (c.party_name, c.party_kind, c.credit_code) == ("栾川县康宁医院", "organisation", "91410324MA47T3Q8WY")


def test_a_long_account_of_the_facts_is_cut_after_a_sentence() -> None:
    text = "当事人虚构诊疗项目。" * 80
    short = summarise(text, limit=100)
    assert short.endswith("。……") and len(short) <= 102
