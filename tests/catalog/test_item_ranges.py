"""Every basis of every 行政处罚 item of the catalog offers exactly the measures its article says.

The table says, for each (item, basis), which article text the list quotes — the tables of
expected options in test_penalty_text were written by reading the statutes and the quotations,
not by running the reader. Quotations that differ from the law (001's "责令退回相应的社会保险费")
map to the expectation of what the list actually published: the catalog runs on the published
text and the lint (`caseflow catalog check`) reports the difference.
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

SHORT_87 = EXPECTED_QUOTED["社会保险法第八十七条"][1]
SHORT_88 = EXPECTED_QUOTED["社会保险法第八十八条"][1]
RETURN_CORRESPONDING = EXPECTED_QUOTED["社会保险法第八十七条（001，退回相应的社会保险费）"][1]
SIF_84 = EXPECTED_QUOTED["社会保险法第八十四条"][1]
JIUZHU_68 = EXPECTED_QUOTED["社会救助暂行办法第六十八条"][1]
HEBEI_26_ITEM3 = EXPECTED_QUOTED["河北办法第二十六条"][1]
HEBEI_26_ONLY3 = EXPECTED_QUOTED["河北办法第二十六条（000，仅第三项）"][1]
FAKE = EXPECTED_QUOTED["不存在的条例"][1]

EXPECTED: dict[str, dict[str, list[PenaltyOption]]] = {
    "000-01": {f"{SIF}第八十四条": SIF_84},
    "000-02": {f"{SIF}第八十七条": SHORT_87, JIANKANG: [],
               f"{TIAOLI}第三十七条": EXPECTED_TIAOLI["第三十七条"], JIUZHU: JIUZHU_68},
    "000-03": {f"{SIF}第八十七条": SHORT_87, JIANKANG: [],
               f"{TIAOLI}第四十条": EXPECTED_TIAOLI["第四十条"], JIUZHU: JIUZHU_68,
               # 实施社会保险法若干规定 第二十五条: 责令退回骗取的社会保险金，处骗取金额二倍以上五倍以下的罚款
               "《实施〈中华人民共和国社会保险法〉若干规定》第二十五条": [RETURN_SIF, fine_x("骗取金额", 2, 5)]},
    "000-04": {f"{TIAOLI}第三十八条": EXPECTED_TIAOLI["第三十八条"]},
    "000-05": {f"{SIF}第八十八条": SHORT_88, JIANKANG: [],
               f"{TIAOLI}第四十一条": EXPECTED_TIAOLI["第四十一条"], JIUZHU: JIUZHU_68},
    "000-06": {f"{TIAOLI}第三十九条": EXPECTED_TIAOLI["第三十九条"]},
    "000-07": {HEBEI_26: HEBEI_26_ONLY3},
    "001-01": {f"{SIF}第八十七条": RETURN_CORRESPONDING},
    "001-02": {f"{SIF}第八十七条": RETURN_CORRESPONDING, FAKE_REG: FAKE,
               FAKE_32[0]: RETURN_CORRESPONDING, FAKE_32[1]: RETURN_CORRESPONDING},
    "001-03": {f"{SIF}第八十八条": RETURN_CORRESPONDING, FAKE_REG: FAKE, FAKE_32[1]: RETURN_CORRESPONDING},
    "001-04": {f"{SIF}第八十八条": RETURN_CORRESPONDING, FAKE_REG: FAKE, FAKE_32[1]: RETURN_CORRESPONDING},
    "001-05": {f"{SIF}第八十七条": RETURN_CORRESPONDING},
    "002-01": {f"{SIF}第八十七条": FULL_87, f"{SIF}第八十八条": SHORT_88},
    "003-01": {f"{SIF}第八十四条": SIF_84},
    "003-02": {f"{SIF}第八十七条": FULL_87, HEBEI_26: HEBEI_26_ITEM3, HEBEI_ALL: []},
    "003-03": {f"{SIF}第八十八条": SHORT_88, HEBEI_26: HEBEI_26_ITEM3, HEBEI_ALL: []},
    "004-01": {f"{SIF}第八十四条": SIF_84},
    "004-02": {f"{SIF}第八十七条": SHORT_87, JIANKANG: [],
               f"{TIAOLI}第三十七条": EXPECTED_TIAOLI["第三十七条"]},
    "004-03": {f"{TIAOLI}第三十八条": EXPECTED_TIAOLI["第三十八条"]},
    "004-04": {f"{TIAOLI}第三十九条": EXPECTED_TIAOLI["第三十九条"]},
    "004-05": {f"{SIF}第八十七条": SHORT_87, JIANKANG: [],
               f"{TIAOLI}第四十条": EXPECTED_TIAOLI["第四十条"]},
    "004-06": {f"{SIF}第八十八条": SHORT_88, JIANKANG: [],
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

