"""`caseflow catalog range` and `caseflow catalog list` on the committed catalog.

`range` says, in Chinese, when the lint flags the article it computes under (社会保险法第八十七条
quoted shorter than the statute, a registration item citing the fraud article …) and shows a
referral (处分, 条例第三十七条) as something another authority decides; `list --json` shows each
item's 追责时效 (行政处罚法第三十六条).
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

from caseflow.cli.catalog_commands import app

SIF_87 = "《中华人民共和国社会保险法》第八十七条"


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_range_says_when_the_cited_article_is_flagged():
    text = _run("range", "004-02", "--basis", "第八十七条", "--amount", "10000")
    assert f"注意：清单核查（caseflow catalog check）发现本事项对{SIF_87}的引用有误" in text
    assert "引文缺少法规原文的内容" in text and "依法吊销其执业资格" in text
    # the measures are the statute's: both left-out ones are offered
    assert "  解除服务协议（属于社会保险服务机构的）" in text
    assert "对直接负责的主管人员和其他直接责任人员：吊销执业资格（有执业资格的）" in text


def test_range_json_carries_the_findings_on_the_basis():
    data = json.loads(_run("range", "001-01", "--basis", "第八十七条", "--amount", "100",
                           "--json"))
    assert data["basis_flagged"].startswith("注意：")
    codes = {f["code"] for f in data["basis_findings"]}
    # 001-01 is a registration item (社会保险法第八十四条) citing the fraud article, misquoted
    assert {"REGISTRATION_CITES_FRAUD_ARTICLE", "QUOTATION_DIFFERS_FROM_STATUTE",
            "ARTICLE_TEXT_INCOMPLETE"} <= codes
    assert all(f["key"] == "001-01" and f["citations"] == [SIF_87] for f in data["basis_findings"])


def test_range_is_silent_on_a_basis_quoted_as_the_statute_states_it():
    data = json.loads(_run("range", "004-02", "--basis", "第三十七条", "--amount", "10000",
                           "--json"))
    assert data["basis_flagged"] is None and data["basis_findings"] == []
    assert "注意" not in _run("range", "004-02", "--basis", "第三十七条", "--amount", "10000")


def test_range_shows_discipline_as_a_referral_and_the_ban_on_the_principal():
    """条例第三十七条: "对直接负责的主管人员和其他直接责任人员依法给予处分"; 第四十三条: "其法定代表人
    或者主要负责人5年内禁止从事定点医药机构管理活动，由有关部门依法给予处分"."""
    data = json.loads(_run("range", "004-02", "--basis", "第三十七条", "--amount", "10000",
                           "--json"))
    [discipline] = [m for m in data["measures"] if m["kind"] == "处分"]
    assert discipline["target"] == "responsible_person"
    assert discipline["by_other_authority"] == "任免机关或者监察机关"
    assert discipline["minimum"] is None and "不是本局作出的处罚" in discipline["explanation"]
    text = _run("range", "004-02", "--basis", "第三十七条", "--amount", "10000")
    assert ("对直接负责的主管人员和其他直接责任人员：处分（转由任免机关或者监察机关依法办理，"
            "不由本局作出）") in text
    text = _run("range", "004-07", "--basis", "第四十三条")
    assert "对法定代表人或者主要负责人：禁止从事定点医药机构管理活动" in text
    assert "对法定代表人或者主要负责人：处分（转由有关部门依法办理" in text


def test_list_json_shows_the_limitation_period():
    rows = json.loads(_run("list", "--json"))
    assert len(rows) == 28
    assert all(r["limitation_years"] == 2 and r["limitation_reason"] is None for r in rows)
