"""The catalog lint: it reports the errors found by reading the five seed lists, and stays quiet
on the items verified to be correct (so no check is trivially over-broad)."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest
import typer
from typer.testing import CliRunner

from caseflow.catalog.lint import RULES, Finding, check_catalog, on_basis
from caseflow.catalog.lint.agency import other_bureaus
from caseflow.catalog.lint.compare import compact
from caseflow.catalog.lint.laws import KNOWN, NONEXISTENT, UNRELATED, load_known_laws
from caseflow.catalog.lint.statute import compare_with_statute
from caseflow.catalog.lint.violations import fits, kinds
from caseflow.catalog.model import CatalogItem, LegalBasis, PenaltyOption
from caseflow.catalog.service import Catalog, get_catalog
from caseflow.cli.catalog_check import check
from caseflow.config import get_settings

SETTINGS = get_settings()
KNOWN_LAWS = SETTINGS.workflows_dir / "catalog" / "known_laws.yaml"
LEGAL = SETTINGS.seeds_dir.parent / "legal"


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    return check_catalog(SETTINGS.seeds_dir, get_catalog())


def _has(findings: list[Finding], where: str, code: str) -> bool:
    """`where` is an item key ("004-12") or a list number ("003") for a list-level finding."""
    if "-" in where:
        return any(f.key == where and f.code == code for f in findings)
    return any(f.key is None and f.file.startswith(where) and f.code == code for f in findings)


# Every error found by reading the seeds: (item key or list number, rule code).
EXPECTED = [
    # 玉田 (000): 立案责任 texts describing another item's violation
    ("000-02", "WRONG_VIOLATION_IN_FILING_DUTY"),  # 出借凭证 (that is 000-07's)
    ("000-04", "WRONG_VIOLATION_IN_FILING_DUTY"),  # 骗取待遇 for 一般违法行为
    ("000-05", "WRONG_VIOLATION_IN_FILING_DUTY"),  # 骗取医疗救助基金 (社会救助 wording)
    ("000-06", "WRONG_VIOLATION_IN_FILING_DUTY"),  # 违反医药价格管理政策…骗取
    ("000-07", "WRONG_VIOLATION_IN_FILING_DUTY"),  # 违反内部管理规定 (that is 000-06's)
    # 社会保险法第八十七条 quoted without "属于社会保险服务机构的，解除服务协议；…依法吊销其执业资格"
    ("000-02", "ARTICLE_TEXT_INCOMPLETE"),
    ("000-03", "ARTICLE_TEXT_INCOMPLETE"),
    ("000-07", "QUOTATION_DIFFERS"),  # 河北办法第二十六条 cut and reworded vs 平山's
    # the 经办机构 list (001)
    ("001", "SUMMARY_INCOMPLETE"),  # "类(17)项"
    ("001", "AGENCY_NOT_ADMINISTRATIVE_ORGAN"),  # 实施主体 医疗保险经办机构
    ("001-01", "REGISTRATION_CITES_FRAUD_ARTICLE"),  # 登记 item citing 第八十七条
    ("001-01", "QUOTATION_DIFFERS_FROM_STATUTE"),  # 责令退回相应的社会保险费
    ("001-01", "ARTICLE_TEXT_INCOMPLETE"),  # and without 解除服务协议/吊销执业资格
    ("001-02", "NONEXISTENT_REGULATION"),  # 基本医疗保险卫生与健康管理条例, 两个“管理办法”
    ("001-02", "BASIS_WITHOUT_ARTICLE"),  # 第一章总则
    ("001-02", "DUPLICATE_BASIS"),  # one text under two (nonexistent) 办法 names
    ("001-02", "UNREAD_PENALTY_TEXT"),  # 暂停…执业
    ("001-03", "WRONG_VIOLATION_IN_FILING_DUTY"),  # 骗取待遇 item, 立案 about 骗取基金支出
    ("001-03", "NONEXISTENT_REGULATION"),
    ("001-03", "DUPLICATE_BASIS"),  # 管理办法第三十二条 twice
    ("001-03", "QUOTATION_DIFFERS_FROM_STATUTE"),  # 第八十八条 责令退回相应的社会保险费
    ("001-04", "DUPLICATE_BASIS"),
    ("001-04", "DUPLICATE_ITEM"),  # word for word 001-03 under another name
    ("001-05", "QUOTATION_DIFFERS_FROM_STATUTE"),
    ("001-05", "ARTICLE_TEXT_INCOMPLETE"),
    ("001-06", "WRONG_POWER_TYPE"),  # 封存 typed 行政处罚
    ("001-06", "SEALING_CITES_PENALTY_ARTICLE"),  # 第八十七条
    ("001-06", "SEALING_WITHOUT_POWER_BASIS"),
    ("001-06", "WRONG_COERCIVE_MEASURE"),  # 查封（扣押、冻结）清单
    ("001-06", "APPROVAL_NOT_BY_HEAD"),  # 向行政执法人员报告并经批准
    # 平山 (003)
    ("003", "SUMMARY_COUNT_MISMATCH"),  # 共六类, ten categories listed
    ("003-02", "BASIS_WITHOUT_ARTICLE"),  # 《河北省医疗保障基金监管办法》：全文
    ("003-04", "BASIS_WITHOUT_ARTICLE"),
    # 栾川 (004)
    ("004-01", "STEP_TEXT_VARIANT"),  # 在做出生理处罚决定前
    ("004-02", "ARTICLE_TEXT_INCOMPLETE"),  # 社会保险法第八十七条, shortened
    ("004-05", "ARTICLE_TEXT_INCOMPLETE"),  # (also for 条例第四十条 without its item （二）)
    ("004-05", "ARTICLE_TEXT_INCOMPLETE"),  # 条例第四十条 without item （二）
    ("004-08", "STEP_TEXT_VARIANT"),  # 形成调查报告 (not 调查终结报告)
    ("004-12", "OTHER_AGENCY_NAMED"),  # 滑县医疗保障局
    ("004-12", "UNRELATED_LAW_CITED"),  # 价格法第三十四条
    ("004-12", "WRONG_COERCIVE_MEASURE"),  # 查封、扣押决定
]

# Verified correct by reading: (item key or list number, rule code that must not be reported).
ABSENT = [
    ("000", "SUMMARY_COUNT_MISMATCH"),  # 共六类、十八项 is right
    ("000-01", "REGISTRATION_CITES_FRAUD_ARTICLE"),  # cites 第八十四条
    ("000-01", "WRONG_VIOLATION_IN_FILING_DUTY"),
    ("000-03", "WRONG_VIOLATION_IN_FILING_DUTY"),  # 骗取基金支出, as named
    ("001-01", "WRONG_VIOLATION_IN_FILING_DUTY"),  # its 立案 is about 登记
    ("001-04", "WRONG_VIOLATION_IN_FILING_DUTY"),  # general 骗取 name
    ("001-05", "WRONG_VIOLATION_IN_FILING_DUTY"),
    ("002", "SUMMARY_COUNT_MISMATCH"),
    ("003-03", "WRONG_VIOLATION_IN_FILING_DUTY"),  # 骗取待遇, as named
    ("003-04", "SEALING_WITHOUT_POWER_BASIS"),  # 第七十九条
    ("004-03", "QUOTATION_DIFFERS_FROM_STATUTE"),  # 第三十八条: only a "；" is missing
    ("004-03", "ARTICLE_TEXT_INCOMPLETE"),
    ("004-05", "QUOTATION_DIFFERS_FROM_STATUTE"),  # "二倍以上五倍以下" = "2倍以上5倍以下"
    ("004-12", "ARTICLE_TEXT_INCOMPLETE"),  # 第二十七条（五）: an excerpt keeping its number
    ("004-12", "SEALING_WITHOUT_POWER_BASIS"),
    ("004-12", "QUOTATION_DIFFERS"),  # 第七十九条 excerpt
    # 社会保险法 is compared with its text now, not list with list; 003 quotes 第八十七条 in full,
    # 002 too (in half-width marks)
    ("000-02", "QUOTATION_DIFFERS"),
    ("002-01", "ARTICLE_TEXT_INCOMPLETE"),
    ("003-02", "ARTICLE_TEXT_INCOMPLETE"),
    ("003-02", "QUOTATION_DIFFERS_FROM_STATUTE"),
    # the catalog reads 第八十七条 from the statute: 001's "相应的社会保险费" is not a measure of it
    ("001-01", "RANGE_DIFFERS"),
    # the 节录 of 社会保险法 holds 第七十九条, 第八十四条, 第八十七条, 第八十八条: nothing "not in it"
    ("000-08", "ARTICLE_NOT_IN_STATUTE"),
]

# Items with no finding at all.
CLEAN = ["000-01", "000-08", "002-01", "003-01", "004-03", "004-04", "004-06", "004-07"]


@pytest.mark.parametrize(("where", "code"), EXPECTED, ids=lambda v: v)
def test_reports_the_errors_found_by_reading_the_seeds(findings, where, code):
    assert _has(findings, where, code), [f for f in findings if f.key == where]


@pytest.mark.parametrize(("where", "code"), ABSENT, ids=lambda v: v)
def test_stays_quiet_on_what_is_correct(findings, where, code):
    assert not _has(findings, where, code), [f for f in findings if f.key == where]


# Bases verified to be quoted as the statute states them: (item key, citation).
QUOTED_AS_THE_STATUTE = [
    ("000-03", "《医疗保障基金使用监督管理条例》第四十条"),  # with all four items
    ("002-01", "《中华人民共和国社会保险法》第八十七条"),
    ("002-01", "《中华人民共和国社会保险法》第八十八条"),
    ("003-02", "《中华人民共和国社会保险法》第八十七条"),
    ("004-02", "《医疗保障基金使用监督管理条例》第三十七条"),
    ("004-06", "《中华人民共和国社会保险法》第八十八条"),
]


@pytest.mark.parametrize(("key", "citation"), QUOTED_AS_THE_STATUTE, ids=lambda v: v)
def test_no_finding_on_a_basis_quoted_as_the_statute_states_it(findings, key, citation):
    assert on_basis(findings, key, citation) == []


@pytest.mark.parametrize("key", CLEAN)
def test_verified_items_have_no_finding(findings, key):
    assert [f for f in findings if f.key == key] == []


def test_findings_are_well_formed(findings):
    assert findings == sorted(findings, key=Finding.sort_key)
    assert len(set(findings)) == len(findings)
    for f in findings:
        assert f.code in RULES and f.severity in ("error", "warning") and f.reason
        assert f.key is None or f.key.startswith(f.file[:3])


def test_reasons_quote_the_evidence(findings):
    by = {(f.key, f.code): f.reason for f in findings}
    assert "滑县医疗保障局" in by[("004-12", "OTHER_AGENCY_NAMED")]
    assert "000-07" in by[("000-02", "WRONG_VIOLATION_IN_FILING_DUTY")]
    assert "相应的社会保险费" in by[("001-01", "QUOTATION_DIFFERS_FROM_STATUTE")]
    assert "骗取的社会保险金" in by[("001-01", "QUOTATION_DIFFERS_FROM_STATUTE")]
    incomplete = by[("004-05", "ARTICLE_TEXT_INCOMPLETE")]
    assert "（二）" in incomplete and "伪造、变造" in incomplete and "写作（二）" in incomplete
    assert "生理" in by[("004-01", "STEP_TEXT_VARIANT")]
    assert "六类" in by[(None, "SUMMARY_COUNT_MISMATCH")]


# ---------------------------------------------------------------- the parts, on made-up data


def test_comparison_form_ignores_punctuation_markup_and_how_numbers_are_written():
    assert compact("处骗取金额二倍以上五倍以下的罚款；") == compact("处骗取金额2倍以上5倍以下的罚款")
    assert compact("<p>1万元以上五万元以下</p>") == compact("10,000元以上50000元以下")
    assert compact("退回骗取的社会保险金") != compact("退回相应的社会保险费")


def test_statute_comparison_names_left_out_and_renumbered_items():
    statute = "甲有下列行为之一的，处罚款：（一）分解住院；（二）挂床住院；（三）重复收费。乙照此处理。"
    quoted = "甲有下列行为之一的，处罚款：（一）分解住院；（二）重复收费。乙照此处理。"
    wrong, missing = compare_with_statute(statute, quoted, excerpt=False)
    assert wrong == [] and len(missing) == 1
    assert "（二）“挂床住院" in missing[0] and "原文（三）写作（二）" in missing[0]
    # an excerpt keeping the statute's numbers is fine; changed words are not
    assert compare_with_statute(statute, "甲有下列行为之一的，处罚款：（三）重复收费。",
                                excerpt=True) == ([], [])
    wrong, _ = compare_with_statute(statute, statute.replace("罚款", "警告"), excerpt=False)
    assert wrong and "警告" in wrong[0]


def test_other_bureaus_are_found_by_place():
    assert other_bureaus("以事实为依据，报滑县医疗保障局作出决定", "栾川县医疗保障局") == ["滑县医疗保障局"]
    assert other_bureaus("报栾川县医疗保障局批准", "栾川县医疗保障局") == []
    assert other_bureaus("由各县医疗保障局负责", "栾川县医疗保障局") == []


def test_violation_kinds():
    assert kinds("骗取医疗保险待遇") == {"骗取待遇"}
    assert fits(kinds("骗取医疗保险基金支出"), kinds("采取欺骗、隐瞒等手段，骗取医疗保险基金"))
    assert not fits(kinds("骗取医疗保险基金支出"), kinds("骗取医疗保险待遇"))
    assert not fits(kinds("出借医疗保险凭证"), kinds("骗取医疗保障基金支出"))
    assert kinds("先行登记保存") == frozenset()


def test_known_laws_file_is_complete():
    laws = list(load_known_laws(KNOWN_LAWS, LEGAL))
    assert {law.status for law in laws} == {KNOWN, UNRELATED, NONEXISTENT}
    assert all(law.note for law in laws)
    regulation = next(law for law in laws if law.name == "医疗保障基金使用监督管理条例")
    assert "第四十条" in regulation.articles and "（二）伪造" in regulation.articles["第四十条"]


def _item(key: str, bases: tuple[LegalBasis, ...], name: str = "对骗取医疗保障基金支出的处罚"
          ) -> CatalogItem:
    return CatalogItem(key=key, source_file=f"{key[:3]}_x.txt", agency="某县医疗保障局", seq="1",
                       name=name, power_type="行政处罚", published_type="行政处罚",
                       procedure="penalty_general", bases=bases)


def test_ranges_and_law_names_on_a_made_up_catalog(tmp_path):
    fine = PenaltyOption(kind="罚款", base="骗取金额", multiple_min=Decimal(2),
                         multiple_max=Decimal(5))
    basis = LegalBasis("《某某法》", "第一条", "骗取基金支出的，处骗取金额2倍以上5倍以下的罚款。",
                       (fine,))
    other = replace(basis, text="骗取基金支出的，处骗取金额1倍以上5倍以下的罚款。",
                    options=(replace(fine, multiple_min=Decimal(1)),))
    items = {k: _item(k, (b,)) for k, b in [("100-01", basis), ("101-01", basis), ("102-01", other)]}
    found = check_catalog(tmp_path, Catalog(items), known_laws=KNOWN_LAWS, legal_dir=LEGAL)
    codes = {(f.key, f.code) for f in found}
    assert ("102-01", "RANGE_DIFFERS") in codes and ("100-01", "RANGE_DIFFERS") not in codes
    assert ("102-01", "QUOTATION_DIFFERS") in codes
    assert ("100-01", "UNKNOWN_REGULATION") in codes  # 《某某法》 is in no known list


def test_list_totals_are_counted_not_remembered(tmp_path):
    """The same seeds with one declared number changed: the lint sees the new mismatch."""
    catalog = get_catalog()
    edits = {"000": ("（共六类、十八项）", "（共六类、十九项）"),
             "003": ("权责清单（行政处罚类、共3项）", "权责清单（行政处罚类、共4项）")}
    for seed in SETTINGS.seeds_dir.glob("*.txt"):
        old, new = edits.get(seed.name[:3], ("", ""))
        (tmp_path / seed.name).write_text(seed.read_text(encoding="utf-8").replace(old, new),
                                          encoding="utf-8")
    found = check_catalog(tmp_path, catalog, known_laws=KNOWN_LAWS, legal_dir=LEGAL)
    mismatches = {f.file[:3]: f.reason for f in found if f.code == "SUMMARY_COUNT_MISMATCH"}
    assert "十九项" in mismatches["000"] and "18项" in mismatches["000"]
    assert any("写“4项”，表中列出3项" in f.reason for f in found if f.file.startswith("003"))


def test_a_finding_needs_a_known_rule():
    with pytest.raises(ValueError):
        Finding("x.txt", None, "NO_SUCH_RULE", "error", "……")


# ---------------------------------------------------------------- the command


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command()(check)
    return app


def test_command_prints_findings_grouped_by_file_and_counts():
    result = CliRunner().invoke(_app(), [])
    assert result.exit_code == 0, result.output
    assert "004_f06c985c3fd71ad2.txt（栾川县医疗保障局）" in result.output
    assert "[错误] 004-12 OTHER_AGENCY_NAMED 清单写明“滑县医疗保障局”" in result.output
    assert "[警告] （清单） SUMMARY_COUNT_MISMATCH" in result.output
    assert result.output.rstrip().splitlines()[-1].startswith("共 ")


def test_command_json_output_parses():
    result = CliRunner().invoke(_app(), ["--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["counts"]["total"] == len(data["findings"]) > 0
    assert data["counts"]["errors"] + data["counts"]["warnings"] == data["counts"]["total"]
    first = data["findings"][0]
    assert set(first) == {"file", "key", "code", "severity", "reason", "citations", "title"}
    assert any(f["key"] == "004-12" and f["code"] == "OTHER_AGENCY_NAMED" for f in data["findings"])


# ---------------------------------------------------------------- quotations vs. the statute

SIF_87 = "《中华人民共和国社会保险法》第八十七条"
# 社会保险法第八十七条, as the statute (legal/社会保险法.md) ends it after the fine:
LEFT_OUT_87 = "属于社会保险服务机构的，解除服务协议；直接负责的主管人员和其他直接责任人员有执业资格的，依法吊销其执业资格"
SHORTENED_87 = {"000-02": "000", "000-03": "000", "001-01": "001", "001-02": "001",
                "001-05": "001", "004-02": "004", "004-05": "004"}


@pytest.mark.parametrize("key", sorted(SHORTENED_87))
def test_a_quotation_shorter_than_the_statute_is_named_with_what_it_leaves_out(findings, key):
    found = [f for f in on_basis(findings, key, SIF_87) if f.code == "ARTICLE_TEXT_INCOMPLETE"]
    assert len(found) == 1, on_basis(findings, key, SIF_87)
    f = found[0]
    assert f.file.startswith(SHORTENED_87[key]) and f.severity == "error"
    assert SIF_87 in f.reason and LEFT_OUT_87 in f.reason  # the words left out, whole
    assert "解除服务协议（属于社会保险服务机构的）" in f.reason  # and the measures they carry
    assert "吊销执业资格（有执业资格的）" in f.reason


def test_the_json_lint_names_list_item_article_and_left_out_words():
    result = CliRunner().invoke(_app(), ["--json"])
    data = json.loads(result.output)
    f = next(f for f in data["findings"]
             if f["key"] == "004-02" and f["code"] == "ARTICLE_TEXT_INCOMPLETE")
    assert f["file"] == "004_f06c985c3fd71ad2.txt" and f["citations"] == [SIF_87]
    assert LEFT_OUT_87 in f["reason"] and f["title"] == "引文缺少法规原文的内容"


def _basis(law: str, article: str, text: str = "……") -> LegalBasis:
    return LegalBasis(law, article, text)


def test_an_article_missing_from_an_excerpt_is_not_reported_missing_from_the_law(tmp_path):
    """legal/社会保险法.md is a 节录: 第八十条 is not in it, but the law has one. 条例 is whole."""
    items = {"100-01": _item("100-01", (_basis("《中华人民共和国社会保险法》", "第八十条"),
                                        _basis("《医疗保障基金使用监督管理条例》", "第九十九条")))}
    found = check_catalog(tmp_path, Catalog(items), known_laws=KNOWN_LAWS, legal_dir=LEGAL)
    missing = [f for f in found if f.code == "ARTICLE_NOT_IN_STATUTE"]
    assert [f.citations for f in missing] == [("《医疗保障基金使用监督管理条例》第九十九条",)]


def test_statute_text_of_a_paragraph_is_that_paragraph():
    laws = load_known_laws(KNOWN_LAWS, LEGAL)
    second = laws.statute_text("《医疗保障基金使用监督管理条例》", "第四十一条第二款")
    assert second is not None and second.startswith("个人以骗取医疗保障基金为目的")
    whole = laws.statute_text("医疗保障基金使用监督管理条例", "第四十一条")
    assert whole is not None and whole.startswith("个人有下列情形之一的") and second in whole
    assert laws.statute_text("《社会救助暂行办法》", "第六十八条") is None  # no text in legal/


# ---------------------------------------------------------------- 追责时效 (行政处罚法第三十六条)


@pytest.mark.parametrize(("years", "reason", "reported"), [
    (2, None, False),
    (5, "涉及公民生命健康安全且有危害后果（行政处罚法第三十六条）", False),
    (5, None, True),  # five years without a reason
    (5, "  ", True),
    (3, "三年", True),  # the article knows two and five
    (10, None, True),
])
def test_limitation_period_is_two_or_five_years_with_a_reason(tmp_path, years, reason, reported):
    item = replace(_item("100-01", ()), limitation_years=years, limitation_reason=reason)
    found = check_catalog(tmp_path, Catalog({"100-01": item}), known_laws=KNOWN_LAWS,
                          legal_dir=LEGAL)
    limitation = [f for f in found if f.code == "LIMITATION_PERIOD_INVALID"]
    assert bool(limitation) is reported
    if reported:
        assert "行政处罚法第三十六条" in limitation[0].reason


def test_no_item_of_the_catalog_has_a_limitation_finding(findings):
    assert [f for f in findings if f.code == "LIMITATION_PERIOD_INVALID"] == []
