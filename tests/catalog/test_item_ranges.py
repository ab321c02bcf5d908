"""Every basis of every 行政处罚 item of the catalog offers exactly the measures its article says.

The table says, for each (item, basis), which article text the measures come from — the tables of
expected options in test_penalty_text were written by reading the statutes and the quotations,
not by running the reader. Where the legal folder holds the article (条例, 社会保险法), the measures
are the statute's, however the list quotes it: 社会保险法第八十七条 quoted without "属于社会保险服务
机构的，解除服务协议；…依法吊销其执业资格" (000, 001, 004) still offers both, and 001's "责令退回相应的
社会保险费" is the statute's "责令退回骗取的社会保险金"; the lint (`caseflow catalog check`) reports the
quotation. Where it does not (the 办法 that do not exist, 社会救助暂行办法 …), the quotation is read.
"""

from __future__ import annotations

import pytest

from caseflow.catalog.model import PenaltyOption
from caseflow.catalog.service import get_catalog
from tests.catalog.test_penalty_text import (
    EXPECTED_QUOTED,
    EXPECTED_TIAOLI,
    FULL_87,
    RETURN_SIF,
    fine_x,
    without_text,
)

SIF = "《中华人民共和国社会保险法》"
TIAOLI = "《医疗保障基金使用监督管理条例》"
JIANKANG = "《中华人民共和国基本医疗卫生与健康促进法》第一百零四条"
JIUZHU = "《社会救助暂行办法》第六十八条"
HEBEI_26 = "《河北省基本医疗保险服务监督管理办法》第二十六条"
HEBEI_ALL = "《河北省医疗保障基金监管办法》"  # cited as "全文": no measure can be read from it
FAKE_REG = "《中华人民共和国基本医疗保险卫生与健康管理条例》第一章总则"
FAKE_32 = ("《基本医疗保险基金使用监督管理办法》第三十二条", "《医疗保险基金使用监督管理办法》第三十二条")

STATUTE_87 = FULL_87  # 社会保险法第八十七条 as the statute states it
STATUTE_88 = EXPECTED_QUOTED["社会保险法第八十八条"][1]  # the lists quote 第八十八条 in full
RETURN_CORRESPONDING = EXPECTED_QUOTED["社会保险法第八十七条（001，退回相应的社会保险费）"][1]
SIF_84 = EXPECTED_QUOTED["社会保险法第八十四条"][1]
JIUZHU_68 = EXPECTED_QUOTED["社会救助暂行办法第六十八条"][1]
HEBEI_26_ITEM3 = EXPECTED_QUOTED["河北办法第二十六条"][1]
HEBEI_26_ONLY3 = EXPECTED_QUOTED["河北办法第二十六条（000，仅第三项）"][1]
FAKE = EXPECTED_QUOTED["不存在的条例"][1]

EXPECTED: dict[str, dict[str, list[PenaltyOption]]] = {
    "000-01": {f"{SIF}第八十四条": SIF_84},
    "000-02": {f"{SIF}第八十七条": STATUTE_87, JIANKANG: [],
               f"{TIAOLI}第三十七条": EXPECTED_TIAOLI["第三十七条"], JIUZHU: JIUZHU_68},
    "000-03": {f"{SIF}第八十七条": STATUTE_87, JIANKANG: [],
               f"{TIAOLI}第四十条": EXPECTED_TIAOLI["第四十条"], JIUZHU: JIUZHU_68,
               # 实施社会保险法若干规定 第二十五条: 责令退回骗取的社会保险金，处骗取金额二倍以上五倍以下的罚款
               "《实施〈中华人民共和国社会保险法〉若干规定》第二十五条": [RETURN_SIF, fine_x("骗取金额", 2, 5)]},
    "000-04": {f"{TIAOLI}第三十八条": EXPECTED_TIAOLI["第三十八条"]},
    "000-05": {f"{SIF}第八十八条": STATUTE_88, JIANKANG: [],
               f"{TIAOLI}第四十一条": EXPECTED_TIAOLI["第四十一条"], JIUZHU: JIUZHU_68},
    "000-06": {f"{TIAOLI}第三十九条": EXPECTED_TIAOLI["第三十九条"]},
    "000-07": {HEBEI_26: HEBEI_26_ONLY3},
    # 001 quotes "责令退回相应的社会保险费": the statute says "骗取的社会保险金"; the 办法 it cites do
    # not exist, so their (same) quotation is all there is to read.
    "001-01": {f"{SIF}第八十七条": STATUTE_87},
    "001-02": {f"{SIF}第八十七条": STATUTE_87, FAKE_REG: FAKE,
               FAKE_32[0]: RETURN_CORRESPONDING, FAKE_32[1]: RETURN_CORRESPONDING},
    "001-03": {f"{SIF}第八十八条": STATUTE_88, FAKE_REG: FAKE, FAKE_32[1]: RETURN_CORRESPONDING},
    "001-04": {f"{SIF}第八十八条": STATUTE_88, FAKE_REG: FAKE, FAKE_32[1]: RETURN_CORRESPONDING},
    "001-05": {f"{SIF}第八十七条": STATUTE_87},
    "002-01": {f"{SIF}第八十七条": FULL_87, f"{SIF}第八十八条": STATUTE_88},
    "003-01": {f"{SIF}第八十四条": SIF_84},
    "003-02": {f"{SIF}第八十七条": FULL_87, HEBEI_26: HEBEI_26_ITEM3, HEBEI_ALL: []},
    "003-03": {f"{SIF}第八十八条": STATUTE_88, HEBEI_26: HEBEI_26_ITEM3, HEBEI_ALL: []},
    "004-01": {f"{SIF}第八十四条": SIF_84},
    "004-02": {f"{SIF}第八十七条": STATUTE_87, JIANKANG: [],
               f"{TIAOLI}第三十七条": EXPECTED_TIAOLI["第三十七条"]},
    "004-03": {f"{TIAOLI}第三十八条": EXPECTED_TIAOLI["第三十八条"]},
    "004-04": {f"{TIAOLI}第三十九条": EXPECTED_TIAOLI["第三十九条"]},
    "004-05": {f"{SIF}第八十七条": STATUTE_87, JIANKANG: [],
               f"{TIAOLI}第四十条": EXPECTED_TIAOLI["第四十条"]},
    "004-06": {f"{SIF}第八十八条": STATUTE_88, JIANKANG: [],
               f"{TIAOLI}第四十一条": EXPECTED_TIAOLI["第四十一条"]},
    "004-07": {f"{TIAOLI}第四十三条": EXPECTED_TIAOLI["第四十三条"]},
    "004-08": {f"{TIAOLI}第四十四条": EXPECTED_TIAOLI["第四十四条"]},
}


def test_the_table_covers_every_penalty_item() -> None:
    keys = {i.key for i in get_catalog().items.values() if i.power_type == "行政处罚"}
    assert keys == set(EXPECTED)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_each_basis_offers_what_its_article_says(key: str) -> None:
    item = get_catalog().item(key)
    got = {b.citation: without_text(b.options) for b in item.bases}
    assert got == EXPECTED[key]


SHORTENED_87 = ["000-02", "000-03", "001-01", "001-02", "001-05", "004-02", "004-05"]


@pytest.mark.parametrize("key", SHORTENED_87)
def test_a_shortened_quotation_of_article_87_still_offers_what_the_statute_says(key: str) -> None:
    """社会保险法第八十七条: "属于社会保险服务机构的，解除服务协议；直接负责的主管人员和其他直接责任
    人员有执业资格的，依法吊销其执业资格" — left out of these lists' quotations, in the catalog."""
    basis = next(b for b in get_catalog().item(key).bases if b.citation == f"{SIF}第八十七条")
    assert "解除服务协议" not in basis.text  # the list's quotation, kept as published
    by_kind = {o.kind: o for o in basis.options}
    assert by_kind["解除服务协议"].condition == "属于社会保险服务机构的"
    assert by_kind["解除服务协议"].target == "party"
    assert by_kind["吊销执业资格"].condition == "有执业资格的"
    assert by_kind["吊销执业资格"].target == "responsible_person"
    assert by_kind["吊销执业资格"].text == "依法吊销其执业资格"  # the statute's words

