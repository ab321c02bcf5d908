"""Reading penalty options from article texts.

The expected tables were written by reading the articles (条例 and 社会保险法 as in
/work/shared/legal, the others as quoted in the seed lists), not by running the reader.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal as D
from pathlib import Path

import pytest

from caseflow.catalog.model import PARTY, PRINCIPAL_OFFICER, RESPONSIBLE_PERSON, PenaltyOption
from caseflow.catalog.penalty_text import (
    extract_options,
    extract_options_with_leftovers,
    parse_number,
    read_article,
)

STATUTE = Path("/work/shared/legal/医疗保障基金使用监督管理条例.md")
SIF_STATUTE = Path("/work/shared/legal/社会保险法.md")

# --------------------------------------------------------------------------- texts

# 《医疗保障基金使用监督管理条例》, as in the statute file (label, items on their own lines).
TIAOLI = {
    "第三十六条": """第三十六条 医疗保障经办机构有下列情形之一的，由医疗保障行政部门责令改正，对直接负责的主管人员和其他直接责任人员依法给予处分：

（一）未建立健全业务、财务、安全和风险管理制度；

（二）未履行服务协议管理、费用监控、基金拨付、待遇审核及支付等职责；

（三）未定期向社会公开医疗保障基金的收入、支出、结余等情况。""",
    "第三十七条": "第三十七条 医疗保障经办机构通过伪造、变造、隐匿、涂改、销毁医学文书、医学证明、会计凭证、电子信息等有关资料或者虚构医药服务项目等方式，骗取医疗保障基金支出的，由医疗保障行政部门责令退回，处骗取金额2倍以上5倍以下的罚款，对直接负责的主管人员和其他直接责任人员依法给予处分。",
    "第三十八条": """第三十八条 定点医药机构有下列情形之一的，由医疗保障行政部门责令改正，并可以约谈有关负责人；造成医疗保障基金损失的，责令退回，处造成损失金额1倍以上2倍以下的罚款；拒不改正或者造成严重后果的，责令定点医药机构暂停相关责任部门6个月以上1年以下涉及医疗保障基金使用的医药服务；违反其他法律、行政法规的，由有关主管部门依法处理：

（一）分解住院、挂床住院；

（二）违反诊疗规范过度诊疗、过度检查、分解处方、超量开药、重复开药或者提供其他不必要的医药服务；

（三）重复收费、超标准收费、分解项目收费；

（四）串换药品、医用耗材、诊疗项目和服务设施；

（五）为参保人员利用其享受医疗保障待遇的机会转卖药品，接受返还现金、实物或者获得其他非法利益提供便利；

（六）将不属于医疗保障基金支付范围的医药费用纳入医疗保障基金结算；

（七）造成医疗保障基金损失的其他违法行为。""",
    "第三十九条": """第三十九条 定点医药机构有下列情形之一的，由医疗保障行政部门责令改正，并可以约谈有关负责人；拒不改正的，处1万元以上5万元以下的罚款；违反其他法律、行政法规的，由有关主管部门依法处理：

（一）未建立医疗保障基金使用内部管理制度，或者没有专门机构或者人员负责医疗保障基金使用管理工作；

（七）拒绝医疗保障等行政部门监督检查或者提供虚假情况。""",
    "第四十条": """第四十条 定点医药机构通过下列方式骗取医疗保障基金支出的，由医疗保障行政部门责令退回，处骗取金额2倍以上5倍以下的罚款；责令定点医药机构暂停相关责任部门6个月以上1年以下涉及医疗保障基金使用的医药服务，直至由医疗保障经办机构解除服务协议；有执业资格的，由有关主管部门依法吊销执业资格：

（一）诱导、协助他人冒名或者虚假就医、购药，提供虚假证明材料，或者串通他人虚开费用单据；

（二）伪造、变造、隐匿、涂改、销毁医学文书、医学证明、会计凭证、电子信息等有关资料；

（三）虚构医药服务项目；

（四）其他骗取医疗保障基金支出的行为。

定点医药机构以骗取医疗保障基金为目的，实施了本条例第三十八条规定行为之一，造成医疗保障基金损失的，按照本条规定处理。""",
    "第四十一条": """第四十一条 个人有下列情形之一的，由医疗保障行政部门责令改正；造成医疗保障基金损失的，责令退回；属于参保人员的，暂停其医疗费用联网结算3个月至12个月：

（一）将本人的医疗保障凭证交由他人冒名使用；

（二）重复享受医疗保障待遇；

（三）利用享受医疗保障待遇的机会转卖药品，接受返还现金、实物或者获得其他非法利益。

个人以骗取医疗保障基金为目的，实施了前款规定行为之一，造成医疗保障基金损失的；或者使用他人医疗保障凭证冒名就医、购药的；或者通过伪造、变造、隐匿、涂改、销毁医学文书、医学证明、会计凭证、电子信息等有关资料或者虚构医药服务项目等方式，骗取医疗保障基金支出的，除依照前款规定处理外，还应当由医疗保障行政部门处骗取金额2倍以上5倍以下的罚款。""",
    "第四十二条": "第四十二条 医疗保障等行政部门、医疗保障经办机构、定点医药机构及其工作人员收受贿赂或者取得其他非法收入的，没收违法所得，对有关责任人员依法给予处分；违反其他法律、行政法规的，由有关主管部门依法处理。",
    "第四十三条": "第四十三条 定点医药机构违反本条例规定，造成医疗保障基金重大损失或者其他严重不良社会影响的，其法定代表人或者主要负责人5年内禁止从事定点医药机构管理活动，由有关部门依法给予处分。",
    "第四十四条": "第四十四条 违反本条例规定，侵占、挪用医疗保障基金的，由医疗保障等行政部门责令追回；有违法所得的，没收违法所得；对直接负责的主管人员和其他直接责任人员依法给予处分。",
}

# Quoted in the seed lists (cells as published, some with their label, HTML and half-width marks).
SIF_84 = "《中华人民共和国社会保险法》）第八十四条：用人单位不办理社会保险登记的，由社会保险行政部门责令限期改正；逾期不改正的，对用人单位处应缴社会保险费数额一倍以上三倍以下的罚款，对其直接负责的主管人员和其他直接责任人员处五百元以上三千元以下的罚款。"
SIF_87 = "1.《中华人民共和国社会保险法》第八十七条：社会保险经办机构以及医疗机构、药品经营单位等社会保险服务机构以欺诈、伪造证明材料或者其他手段骗取社会保险基金支出的，由社会保险行政部门责令退回骗取的社会保险金，处骗取金额二倍以上五倍以下的罚款。"
SIF_87_FULL = "<p>1. 《中华人民共和国社会保险法》第八十七条： 社会保险经办机构以及医疗机构、药品经营单位等社会保险服务机构以欺诈、伪造证明材料或者其他手段骗取社会保险基金支出的，由社会保险行政部门责令退回骗取的社会保险金，处骗取金额二倍以上五倍以下的罚款；属于社会保险服务机构的，解除服务协议；直接负责的主管人员和其他直接责任人员有执业资格的，依法吊销其执业资格。</p>"
SIF_87_HALFWIDTH = "(2018年12月29日第十三届全国人民代表大会常务委员会第七次会议修正)第八十七条:“社会保险经办机构以及医疗机构、药品经营单位等社会保险服务机构以欺诈、伪造证明材料或者其他手段骗取社会保险基金支出的, 由社会保险行政部门责令退回骗取的社会保险金, 处骗取金额二倍以上五倍以下的罚款; 属于社会保险服务机构的, 解除服务协议; 直接负责的主管人员和其他直接责任人员有执业资格的, 依法吊销其执业资格。”"
SIF_87_001 = "【释义】《中华人民共和国社会保险法》第八十七条：社会保险经办机构以及医疗机构、药品经营单位等社会保险服务机构以欺诈、伪造证明材料或者其他手段骗取社会保险基金支出的，由社会保险行政部门责令退回相应的社会保险费，处骗取金额二倍以上五倍以下的罚款。"
SIF_88 = "以欺诈、伪造证明材料或者其他手段骗取社会保险待遇的，由社会保险行政部门责令退回骗取的社会保险金，处骗取金额二倍以上五倍以下的罚款。"
JIUZHU_68 = "4.《社会救助暂行办法》第六十八条：采取虚报、隐瞒、伪造等手段，骗取社会救助资金、物资或者服务的，由有关部门决定停止社会救助，责令退回非法获取的救助资金、物资，可以处非法获取的救助款额或者物资价值1倍以上3倍以下的罚款。"
HEBEI_26 = "违反本办法第十条第二项规定的，由社会保险行政部门依照《中华人民共和国社会保险法》等有关法律、法规的规定处理；违反本办法第十条第三项规定的，由社会保险行政部门予以警告，责令改正，并可处二百元以上五百元以下的罚款。"
HEBEI_26_000 = "违反本办法第十条第三项规定的（不得将本人的医疗保险凭证出借给他人就医或者出借给医疗机构使用），由社会保险行政部门予以警告，责令改正，并可以处二百元以上五百元以下的罚款。"
JIANKANG_104 = "违反本法规定，以欺诈、伪造证明材料或者其他手段骗取基本医疗保险待遇，或者基本医疗保险经办机构以及医疗机构、药品经营单位等以欺诈、伪造证明材料或者其他手段骗取基本医疗保险基金支出的，由县级以上人民政府医疗保障主管部门依照有关社会保险的法律、行政法规规定给予行政处罚。"
JIANKANG_103 = "“违反本法规定，参加药品采购投标的投标人以低于成本的报价竞标，或者以欺诈、串通投标、滥用市场支配地位等方式竞标的，由县级以上人民政府医疗保障主管部门责令改正，没收违法所得；中标的，中标无效，处中标项目金额千分之五以上千分之十以下的罚款，对法定代表人、主要负责人、直接负责的主管人员和其他责任人员处对单位罚款数额百分之五以上百分之十以下的罚款；情节严重的，取消其二年至五年内参加药品采购投标的资格并予以公告。”"
# 001 cites a "条例" that does not exist; its wording is read all the same.
FAKE_TIAOLI = "基本医疗保险经办机构以及医疗机构、药品经营单位等经办机构，伪造证明材料或者其他手段骗取基本医疗保险基金支出的，由县级以上人民政府医疗保障主管部门给予警告并责令改正；情节严重的，暂停其直接负责的主管人员和其他直接责任人员六个月以下的执业。"

# --------------------------------------------------------------------------- expected

FRAUD_41_2 = ("个人以骗取医疗保障基金为目的，实施了前款规定行为之一，造成医疗保障基金损失的；"
              "或者使用他人医疗保障凭证冒名就医、购药的；或者通过伪造、变造、隐匿、涂改、销毁医学文书、"
              "医学证明、会计凭证、电子信息等有关资料或者虚构医药服务项目等方式，骗取医疗保障基金支出的")


def P(kind: str, **kw: object) -> PenaltyOption:  # noqa: N802 - reads like a table
    return PenaltyOption(kind=kind, **kw)  # type: ignore[arg-type]


def fine_x(base: str, lo: int | str, hi: int | str, **kw: object) -> PenaltyOption:
    return P("罚款", base=base, multiple_min=D(lo), multiple_max=D(hi), **kw)


def fine_yuan(lo: int, hi: int, **kw: object) -> PenaltyOption:
    return P("罚款", amount_min=D(lo), amount_max=D(hi), **kw)


# "对直接负责的主管人员和其他直接责任人员依法给予处分": 处分 is no 行政处罚 (行政处罚法第九条); the
# articles name no authority, the 任免机关 or 监察机关 gives it — a referral, never the bureau's.
DISCIPLINE = P("处分", target=RESPONSIBLE_PERSON, by_other_authority="任免机关或者监察机关")

EXPECTED_TIAOLI: dict[str, list[PenaltyOption]] = {
    "第三十六条": [P("责令改正"), DISCIPLINE],
    "第三十七条": [P("责令退回"), fine_x("骗取金额", 2, 5), DISCIPLINE],
    "第三十八条": [
        P("责令改正"),
        P("约谈"),
        P("责令退回", condition="造成医疗保障基金损失的"),
        fine_x("造成损失金额", 1, 2, condition="造成医疗保障基金损失的"),
        P("暂停医药服务", months_min=6, months_max=12, condition="拒不改正或者造成严重后果的"),
    ],
    "第三十九条": [P("责令改正"), P("约谈"), fine_yuan(10000, 50000, condition="拒不改正的")],
    "第四十条": [
        P("责令退回"),
        fine_x("骗取金额", 2, 5),
        P("暂停医药服务", months_min=6, months_max=12),
        P("解除服务协议", by_other_authority="医疗保障经办机构"),
        P("吊销执业资格", condition="有执业资格的", by_other_authority="有关主管部门"),
    ],
    "第四十一条": [
        P("责令改正"),
        P("责令退回", condition="造成医疗保障基金损失的"),
        P("暂停联网结算", months_min=3, months_max=12, condition="属于参保人员的"),
        fine_x("骗取金额", 2, 5, condition=FRAUD_41_2),
    ],
    "第四十二条": [P("没收违法所得"), DISCIPLINE],  # "对有关责任人员依法给予处分"
    # "其法定代表人或者主要负责人5年内禁止从事定点医药机构管理活动，由有关部门依法给予处分":
    # neither the party nor the 直接责任人员; the 处分 goes to the 有关部门 the article names.
    "第四十三条": [P("禁止从事定点医药机构管理活动", target=PRINCIPAL_OFFICER,
                    months_min=60, months_max=60),
                  P("处分", target=PRINCIPAL_OFFICER, by_other_authority="有关部门")],
    "第四十四条": [P("责令追回"), P("没收违法所得", condition="有违法所得的"), DISCIPLINE],
}

RETURN_SIF = P("责令退回", base="骗取的社会保险金")
FULL_87 = [
    RETURN_SIF,
    fine_x("骗取金额", 2, 5),
    P("解除服务协议", condition="属于社会保险服务机构的"),
    # 87 names no authority for 吊销: by_other_authority stays None (nothing invented).
    P("吊销执业资格", target=RESPONSIBLE_PERSON, condition="有执业资格的"),
]
EXPECTED_QUOTED: dict[str, tuple[str, list[PenaltyOption]]] = {
    "社会保险法第八十四条": (SIF_84, [
        P("责令限期改正"),
        fine_x("应缴社会保险费数额", 1, 3, condition="逾期不改正的"),
        fine_yuan(500, 3000, target=RESPONSIBLE_PERSON, condition="逾期不改正的"),
    ]),
    "社会保险法第八十七条": (SIF_87, [RETURN_SIF, fine_x("骗取金额", 2, 5)]),
    "社会保险法第八十七条（全文）": (SIF_87_FULL, FULL_87),
    "社会保险法第八十七条（半角标点）": (SIF_87_HALFWIDTH, FULL_87),
    "社会保险法第八十七条（001，退回相应的社会保险费）": (SIF_87_001, [
        P("责令退回", base="相应的社会保险费"), fine_x("骗取金额", 2, 5)]),
    "社会保险法第八十八条": (SIF_88, [RETURN_SIF, fine_x("骗取金额", 2, 5)]),
    "社会救助暂行办法第六十八条": (JIUZHU_68, [
        P("停止社会救助"),
        P("责令退回", base="非法获取的救助资金、物资"),
        fine_x("非法获取的救助款额或者物资价值", 1, 3),
    ]),
    "河北办法第二十六条": (HEBEI_26, [
        P("警告", condition="违反本办法第十条第三项规定的"),
        P("责令改正", condition="违反本办法第十条第三项规定的"),
        fine_yuan(200, 500, condition="违反本办法第十条第三项规定的"),
    ]),
    "河北办法第二十六条（000，仅第三项）": (HEBEI_26_000, [
        P("警告"), P("责令改正"), fine_yuan(200, 500)]),
    "健康促进法第一百零四条": (JIANKANG_104, []),
    "健康促进法第一百零三条": (JIANKANG_103, [P("责令改正"), P("没收违法所得")]),
    "不存在的条例": (FAKE_TIAOLI, [P("警告"), P("责令改正")]),
}


def without_text(options: tuple[PenaltyOption, ...]) -> list[PenaltyOption]:
    return [replace(o, text="") for o in options]


# --------------------------------------------------------------------------- tests


@pytest.mark.parametrize("article", list(TIAOLI))
def test_tiaoli_articles(article: str) -> None:
    options, leftovers = extract_options_with_leftovers(TIAOLI[article])
    assert without_text(options) == EXPECTED_TIAOLI[article]
    assert leftovers == ()


@pytest.mark.parametrize("name", list(EXPECTED_QUOTED))
def test_quoted_articles(name: str) -> None:
    text, expected = EXPECTED_QUOTED[name]
    assert without_text(extract_options(text)) == expected


def test_statute_file_matches_the_table() -> None:
    if not STATUTE.exists():
        pytest.skip("statute file not present")
    body = STATUTE.read_text(encoding="utf-8").split("## 第五章")[0]
    articles = {m.group(1): m.group(0) for m in re.finditer(
        r"^(第[一二三四五六七八九十]+条) .*?(?=^第[一二三四五六七八九十]+条 |\Z)", body, re.M | re.S)}
    for article, expected in EXPECTED_TIAOLI.items():
        assert without_text(extract_options(articles[article])) == expected, article


def _statute_articles(path: Path) -> dict[str, str]:
    body = path.read_text(encoding="utf-8")
    return {m.group(1): m.group(0) for m in re.finditer(
        r"^(第[一二三四五六七八九十]+条) .*?(?=^第[一二三四五六七八九十]+条 |^## |\Z)", body, re.M | re.S)}


def test_social_insurance_law_file_matches_the_table() -> None:
    """社会保险法 as published (the 节录 in the legal folder): 第八十七条 in full offers 解除服务协议
    and 吊销执业资格 — the options every item citing it gets, however the list quotes it."""
    if not SIF_STATUTE.exists():
        pytest.skip("statute file not present")
    articles = _statute_articles(SIF_STATUTE)
    assert without_text(extract_options(articles["第八十七条"])) == FULL_87
    assert without_text(extract_options(articles["第八十八条"])) == [RETURN_SIF, fine_x("骗取金额", 2, 5)]
    assert without_text(extract_options(articles["第八十四条"])) == EXPECTED_QUOTED["社会保险法第八十四条"][1]


def test_text_is_the_clause_read() -> None:
    options = extract_options(SIF_84)
    assert [o.text for o in options] == [
        "由社会保险行政部门责令限期改正",
        "对用人单位处应缴社会保险费数额一倍以上三倍以下的罚款",
        "对其直接负责的主管人员和其他直接责任人员处五百元以上三千元以下的罚款",
    ]
    assert extract_options(TIAOLI["第三十八条"])[1].text == "并可以约谈有关负责人"


def test_targets() -> None:
    party, persons = extract_options(SIF_84)[1:]
    assert party.target == PARTY and persons.target == RESPONSIBLE_PERSON


def test_the_five_year_ban_targets_the_legal_representative_or_principal() -> None:
    """条例第四十三条: "其法定代表人或者主要负责人5年内禁止从事定点医药机构管理活动" — not the
    定点医药机构 (the party) and not its 直接负责的主管人员和其他直接责任人员."""
    ban = extract_options(TIAOLI["第四十三条"])[0]
    assert ban.kind == "禁止从事定点医药机构管理活动" and (ban.months_min, ban.months_max) == (60, 60)
    assert ban.target == PRINCIPAL_OFFICER == "principal_officer"
    assert ban.by_other_authority is None


@pytest.mark.parametrize("article", ["第三十七条", "第四十四条"])
def test_discipline_of_the_responsible_persons_is_a_referral(article: str) -> None:
    """条例第三十七条、第四十四条: "对直接负责的主管人员和其他直接责任人员依法给予处分" — an option
    the catalog shows, given by the 任免机关或者监察机关, never by the 医疗保障行政部门."""
    options = [o for o in extract_options(TIAOLI[article]) if o.kind == "处分"]
    assert len(options) == 1
    discipline = options[0]
    assert discipline.target == RESPONSIBLE_PERSON
    assert discipline.by_other_authority == "任免机关或者监察机关"
    assert discipline.text == "对直接负责的主管人员和其他直接责任人员依法给予处分"
    # the fine and the 追回/退回 of the same article stay the bureau's own
    assert all(o.by_other_authority is None for o in extract_options(TIAOLI[article])
               if o.kind != "处分")


def test_skipped_and_offence() -> None:
    reading = read_article(TIAOLI["第三十七条"])
    assert reading.offence.startswith("医疗保障经办机构通过伪造")
    assert reading.offence.endswith("骗取医疗保障基金支出的")
    assert reading.skipped == ()  # its 处分 is an option now (a referral)
    assert [s for s, _ in read_article(TIAOLI["第三十八条"]).skipped] == ["由有关主管部门依法处理"]
    assert [s for s, _ in read_article(TIAOLI["第四十条"]).skipped] == ["按照本条规定处理"]
    assert [s for s, _ in read_article(JIANKANG_104).skipped] == [
        "由县级以上人民政府医疗保障主管部门依照有关社会保险的法律、行政法规规定给予行政处罚"]


def test_leftovers_are_exposed() -> None:
    _, leftovers = extract_options_with_leftovers(JIANKANG_103)
    assert leftovers == (
        # "中标无效" between the condition and the fines is not understood: the clause is left whole.
        "中标的，中标无效，处中标项目金额千分之五以上千分之十以下的罚款，对法定代表人、主要负责人、"
        "直接负责的主管人员和其他责任人员处对单位罚款数额百分之五以上百分之十以下的罚款",
        "情节严重的，取消其二年至五年内参加药品采购投标的资格并予以公告",
    )
    _, leftovers = extract_options_with_leftovers(FAKE_TIAOLI)
    assert leftovers == ("情节严重的，暂停其直接负责的主管人员和其他直接责任人员六个月以下的执业",)


@pytest.mark.parametrize("text", [
    "第四十五条 退回的基金退回原医疗保障基金财政专户；罚款、没收的违法所得依法上缴国库。",
    "全文。",
    "对可能被转移、隐匿或者灭失的资料等予以封存",
    "违反规定的，处5000元以下的罚款。",  # an upper bound alone is not read
    "逾期不改正的，处以1.5倍至3倍的罚款。",  # a multiple of nothing named
    "处骗取金额五倍以上二倍以下的罚款。",  # a reversed range is a misprint
    "情节严重的，由医疗保障行政部门处以暂扣执照。",
    "拒不改正的，暂停相关责任部门3个月至6个月的全部业务。",  # 暂停 of something unknown
])
def test_unknown_wording_gives_no_option(text: str) -> None:
    options, leftovers = extract_options_with_leftovers(text)
    assert options == ()
    assert leftovers


def test_fractional_and_percent_multiples() -> None:
    assert without_text(extract_options("处中标项目金额千分之五以上千分之十以下的罚款")) == [
        fine_x("中标项目金额", "0.005", "0.01")]
    assert without_text(extract_options("对直接负责的主管人员和其他直接责任人员处对单位罚款数额百分之五以上百分之十以下的罚款")) == [
        fine_x("对单位罚款数额", "0.05", "0.1", target=RESPONSIBLE_PERSON)]
    assert without_text(extract_options("逾期不改正的，处骗取金额1.5倍至3倍的罚款。")) == [
        fine_x("骗取金额", "1.5", 3)]


@pytest.mark.parametrize(("text", "value"), [
    ("2", "2"), ("1.5", "1.5"), ("1万", "10000"), ("5万", "50000"), ("1.5万", "15000"),
    ("一", "1"), ("二", "2"), ("十", "10"), ("十二", "12"), ("二十", "20"), ("五百", "500"),
    ("三千", "3000"), ("一百零五", "105"), ("一万", "10000"), ("五十万", "500000"),
    ("两千五百", "2500"),
])
def test_parse_number(text: str, value: str) -> None:
    assert parse_number(text) == D(value)


@pytest.mark.parametrize("text", ["", "五元", "abc", "1.2.3"])
def test_parse_number_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)
