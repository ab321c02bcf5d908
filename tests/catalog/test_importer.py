"""The 权责清单 importer on the five published seed lists (no database)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from caseflow.catalog.importer import detect_shape, from_dict, read_list, to_dict
from caseflow.catalog.importer.bases import split_bases
from caseflow.catalog.importer.cleaning import clean_block
from caseflow.catalog.importer.responsibilities import split_responsibilities
from caseflow.catalog.model import CatalogItem, LegalBasis, PenaltyOption

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
F000 = SEEDS / "000_5afba2baab88c242.txt"
F001 = SEEDS / "001_e6509d409e33aba2.txt"
F002 = SEEDS / "002_447b1eadcf571c88.txt"
F003 = SEEDS / "003_8a2cd3859b989333.txt"
F004 = SEEDS / "004_f06c985c3fd71ad2.txt"
ALL = [F000, F001, F002, F003, F004]

SSF = "《中华人民共和国社会保险法》"
JKF = "《中华人民共和国基本医疗卫生与健康促进法》"
TL = "《医疗保障基金使用监督管理条例》"
SEALING_NOTE = "清单将封存事项列为行政处罚，按行政强制（封存）程序办理"
PENALTY_STEPS = [
    *("立案责任", "调查责任", "审查责任", "告知责任"),
    *("决定责任", "送达责任", "执行责任", "其他责任"),
]
SEALING_STEPS = ["决定责任", "执行责任", "保管责任", "其他责任"]

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed lists not present")


@pytest.fixture(scope="module")
def lists() -> dict[str, list[CatalogItem]]:
    return {path.name[:3]: read_list(path) for path in ALL}


def by_key(items: list[CatalogItem]) -> dict[str, CatalogItem]:
    return {item.key: item for item in items}


def citations(item: CatalogItem) -> list[tuple[str, str]]:
    return [(b.law, b.article) for b in item.bases]


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from strings(v)


# --- shapes and counts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "shape"),
    [
        (F000, "cell_lines"),
        (F001, "tab_rows"),
        (F002, "tab_rows"),
        (F003, "sectioned"),
        (F004, "post_rows"),
    ],
)
def test_shape_detection(path: Path, shape: str) -> None:
    assert detect_shape(path.read_text(encoding="utf-8")) == shape


@pytest.mark.parametrize(
    ("prefix", "penalties", "coercions"),
    [("000", 7, 1), ("001", 5, 1), ("002", 1, 0), ("003", 3, 1), ("004", 8, 1)],
)
def test_counts(
    lists: dict[str, list[CatalogItem]], prefix: str, penalties: int, coercions: int
) -> None:
    items = lists[prefix]
    assert len(items) == penalties + coercions
    assert sum(i.power_type == "行政处罚" for i in items) == penalties
    assert sum(i.power_type == "行政强制" for i in items) == coercions
    assert len({i.key for i in items}) == len(items)
    assert all(i.key.startswith(prefix + "-") for i in items)


def test_keys(lists: dict[str, list[CatalogItem]]) -> None:
    assert [i.key for i in lists["000"]] == [f"000-0{n}" for n in range(1, 9)]
    assert [i.key for i in lists["001"]] == [f"001-0{n}" for n in range(1, 7)]
    assert [i.key for i in lists["002"]] == ["002-01"]
    # 003: keyed by the 总表's 总序号; seq stays the detail table's own 序号
    assert [(i.key, i.seq) for i in lists["003"]] == [
        ("003-01", "1"),
        ("003-02", "2"),
        ("003-03", "3"),
        ("003-04", "1"),
    ]
    assert [i.key for i in lists["004"]] == [f"004-0{n}" for n in range(1, 9)] + ["004-12"]


def test_only_penalty_and_coercion_items(lists: dict[str, list[CatalogItem]]) -> None:
    for items in lists.values():
        for item in items:
            assert item.published_type in ("行政处罚", "行政强制")
            assert item.power_type in ("行政处罚", "行政强制")
            expected = "sealing" if item.power_type == "行政强制" else "penalty_general"
            assert item.procedure == expected


# --- 000 玉田 --------------------------------------------------------------------------------


def test_000_items(lists: dict[str, list[CatalogItem]]) -> None:
    items = by_key(lists["000"])
    first = items["000-01"]
    assert first.source_file == F000.name
    assert first.seq == "1"
    assert first.name == (
        "对用人单位不办理医疗保险和生育保险登记、未按规定变更登记或注销登记"
        "以及伪造、变造登记证明的处罚"
    )
    assert first.agency == "玉田县医疗保障局"
    assert first.department is None and first.local_code is None
    # the stray "）" after the title is not part of the law
    assert citations(first) == [(SSF, "第八十四条")]
    assert first.bases[0].text.startswith("用人单位不办理社会保险登记的")
    assert first.bases[0].options == ()

    # [bookmark: OLE_LINK2] removed
    assert items["000-02"].name == "对医疗保障经办机构骗取医疗保障基金支出的处罚"
    assert citations(items["000-02"]) == [
        (SSF, "第八十七条"),
        (JKF, "第一百零四条"),
        (TL, "第三十七条"),
        ("《社会救助暂行办法》", "第六十八条"),
    ]
    assert citations(items["000-03"])[-1] == (
        "《实施〈中华人民共和国社会保险法〉若干规定》",
        "第二十五条",
    )
    # title followed by a document number in brackets
    assert citations(items["000-07"]) == [("《河北省基本医疗保险服务监督管理办法》", "第二十六条")]
    assert items["000-07"].bases[0].text.startswith("违反本办法第十条第三项规定的")


def test_000_items_without_seq_keyed_by_position(lists: dict[str, list[CatalogItem]]) -> None:
    items = by_key(lists["000"])
    for n in (6, 7, 8):
        item = items[f"000-0{n}"]
        assert item.seq == ""
        assert any("未填序号" in note for note in item.notes)
    assert items["000-06"].name == "对定点医药机构违反管理规定、拒绝监督检查或者提供虚假情况的处罚"
    sealing = items["000-08"]
    assert sealing.published_type == sealing.power_type == "行政强制"
    assert sealing.procedure == "sealing"
    assert sealing.name == "对可能被转移、隐匿或者灭失的医疗保险基金相关资料进行封存"
    assert citations(sealing) == [
        (SSF, "第七十九条"),
        (TL, "第二十七条"),
        ("《医疗保障行政处罚程序暂行规定》", "第十八条"),
    ]
    assert [s for s, _ in sealing.responsibilities] == SEALING_STEPS
    assert "（五）医疗保障行政部门的名称、印章和日期。" in sealing.responsibilities[1][1]


def test_000_responsibilities_and_accountability(lists: dict[str, list[CatalogItem]]) -> None:
    first = lists["000"][0]
    steps = [step for step, _ in first.responsibilities]
    assert steps == PENALTY_STEPS
    assert first.responsibilities[0] == (
        "立案责任",
        "发现用人单位不办理医疗保险和生育保险登记、未按规定变更登记或注销登记"
        "以及伪造、变造登记证明的违法行为，予以审查，决定是否立案。",
    )
    assert first.responsibilities[7] == ("其他责任", "其他法律法规规章文件规定应履行的责任。")
    assert first.accountability.startswith("因不履行或不正确履行行政职责")
    assert first.accountability.endswith("10、其他违反法律法规规章文件规定的行为。")
    # "1.立案责任：" numbering with dots (item 7) splits the same way
    assert len(lists["000"][6].responsibilities) == 8
    # the published error is kept: item 2's 立案责任 describes another violation
    assert "出借给他人就医" in lists["000"][1].responsibilities[0][1]


# --- 001 经办机构 ------------------------------------------------------------------------


def test_001_items(lists: dict[str, list[CatalogItem]]) -> None:
    items = by_key(lists["001"])
    first = items["001-01"]
    assert first.agency == "医疗保险经办机构"
    assert first.department == "基金监督科"
    assert first.name == (
        "对用人单位不办理医疗保险登记手续、未按规定变更已登记信息、变更登记的证明材料不全"
    )
    # as published: a registration item citing 第八十七条
    assert citations(first) == [(SSF, "第八十七条")]
    assert [s for s, _ in first.responsibilities][:2] == ["立案责任", "调查取证责任"]
    assert len(first.responsibilities) == 8
    assert first.accountability.startswith("1.违法实施行政处罚")
    # four bases on one line, 【法律】/【行政法规】 prefixes dropped, duplicates kept
    assert citations(items["001-02"]) == [
        (SSF, "第八十七条"),
        ("《中华人民共和国基本医疗保险卫生与健康管理条例》", "第一章总则"),
        ("《基本医疗保险基金使用监督管理办法》", "第三十二条"),
        ("《医疗保险基金使用监督管理办法》", "第三十二条"),
    ]
    assert len(items["001-03"].bases) == 4


def test_001_sealing_typed_as_penalty(lists: dict[str, list[CatalogItem]]) -> None:
    sealing = by_key(lists["001"])["001-06"]
    assert sealing.seq == "6"
    assert sealing.name == "对可能转移、隐匿或丢失的医疗保险基金相关资料进行封存"
    assert sealing.published_type == "行政处罚"
    assert sealing.power_type == "行政强制"
    assert sealing.procedure == "sealing"
    assert SEALING_NOTE in sealing.notes
    assert [s for s, _ in sealing.responsibilities] == [
        "调查责任",
        "实施责任",
        "告知责任",
        "执行责任",
        "事后监督责任",
        "其他责任",
    ]
    # no other item of any list is reclassified
    for items in lists.values():
        for item in items:
            if item.key != "001-06":
                assert item.power_type == item.published_type
                assert SEALING_NOTE not in item.notes


def test_agency_argument_overrides(lists: dict[str, list[CatalogItem]]) -> None:
    items = read_list(F001, agency="某县医疗保障局")
    assert {i.agency for i in items} == {"某县医疗保障局"}
    assert [i.key for i in items] == [i.key for i in lists["001"]]


# --- 002 凉州 --------------------------------------------------------------------------------


def test_002_item(lists: dict[str, list[CatalogItem]]) -> None:
    (item,) = lists["002"]
    assert item.key == "002-01"
    assert item.name == "对医保定点医药机构、医保经办机构、参保人骗取医保基金支出的处罚"
    assert item.agency == "凉州区医疗保障局"
    assert item.department == "基金监管股"
    assert item.local_code == "11620602MB1902380J4620236001000"
    assert citations(item) == [(SSF, "第八十七条"), (SSF, "第八十八条")]
    # quoted article texts without their quotation marks
    assert item.bases[0].text.startswith("社会保险经办机构以及医疗机构")
    assert item.bases[0].text.endswith("依法吊销其执业资格。")
    assert item.bases[1].text.startswith("以欺诈、伪造证明材料或者其他手段骗取社会保险待遇的")
    assert item.bases[1].text.endswith("处骗取金额二倍以上五倍以下的罚款。")
    assert [s for s, _ in item.responsibilities][0] == "立案阶段责任"
    assert len(item.responsibilities) == 8
    assert "12. 其他违反法律法规规章规定的行为。" in item.accountability


# --- 003 平山 --------------------------------------------------------------------------------


def test_003_items(lists: dict[str, list[CatalogItem]]) -> None:
    items = by_key(lists["003"])
    assert items["003-01"].name == "对用人单位不办理医疗保险登记的处罚"
    assert items["003-01"].department == "参保登记科"  # 备注 column
    assert items["003-02"].department == "基金监管科"
    assert {i.agency for i in items.values()} == {"平山县医疗保障局"}
    assert citations(items["003-01"]) == [(SSF, "第八十四条")]
    assert citations(items["003-02"]) == [
        (SSF, "第八十七条"),
        ("《河北省基本医疗保险服务监督管理办法》", "第二十六条"),
        ("《河北省医疗保障基金监管办法》", ""),
    ]
    assert items["003-02"].bases[2].text == "全文。"
    # a title quoted inside the article text does not start a new basis
    assert "《中华人民共和国社会保险法》等" in items["003-02"].bases[1].text
    sealing = items["003-04"]
    assert sealing.seq == "1"
    assert sealing.power_type == sealing.published_type == "行政强制"
    assert sealing.name == "对可能被转移、隐匿或者灭失的医疗保险基金收支、管理相关的资料予以封存"
    assert citations(sealing)[0] == (SSF, "第七十九条")
    assert [s for s, _ in sealing.responsibilities] == SEALING_STEPS
    assert all(not i.notes for i in items.values())  # names and counts agree with the 总表


# --- 004 栾川 --------------------------------------------------------------------------------

PENALTY_POSTS = ["立案岗", "调查岗", "审查岗", "告知岗", "决定岗", "送达岗", "执行岗", "其他"]


def test_004_items(lists: dict[str, list[CatalogItem]]) -> None:
    items = by_key(lists["004"])
    assert {i.agency for i in items.values()} == {"栾川县医疗保障局"}
    assert {i.department for i in items.values()} == {"基金监管股"}
    assert all(i.accountability == "" for i in items.values())
    assert items["004-05"].name == "对定点医药机构骗取医疗保障基金支出的处罚"
    assert items["004-05"].seq == "5"
    assert citations(items["004-02"]) == [
        (SSF, "第八十七条"),
        (JKF, "第一百零四条"),
        (TL, "第三十七条"),
    ]
    assert citations(items["004-03"]) == [(TL, "第三十八条")]
    assert citations(items["004-08"]) == [(TL, "第四十四条")]
    # a <p> without its own title continues the previous article
    sealing = items["004-12"]
    assert citations(sealing) == [
        (SSF, "第七十九条"),
        ("《中华人民共和国价格法》", "第三十四条"),
        (TL, "第二十七条"),
    ]
    assert sealing.bases[0].text.endswith(
        "有权采取下列措施：\n（一）查阅、记录、复制与社会保险基金收支、管理和投资运营相关的资料，"
        "对可能被转移、隐匿或者灭失的资料予以封存。"
    )


def test_004_post_map(lists: dict[str, list[CatalogItem]]) -> None:
    items = by_key(lists["004"])
    for key in [f"004-0{n}" for n in range(1, 9)]:
        item = items[key]
        assert [p.post for p in item.post_map] == PENALTY_POSTS
        assert [p.step for p in item.post_map] == [p.removesuffix("岗") for p in PENALTY_POSTS]
        for p in item.post_map:
            assert p.section == ("法制审核股" if p.post == "审查岗" else "基金监管股")
        assert [step for step, _ in item.responsibilities] == PENALTY_POSTS
        assert item.responsibilities[0][1] == (
            "对检查中发现、接到群众举报或经有关部门移送此类违法案件予以审查，决定是否立案。"
        )
    sealing = items["004-12"]
    assert [(p.step, p.post, p.section) for p in sealing.post_map] == [
        ("告知", "告知岗", "基金监管股"),
        ("批准决定", "批准决定岗", "基金监管股"),
        ("执行", "执行岗", "法制审核股"),
        ("事后监管", "事后监管岗", "基金监管股"),
    ]
    assert "滑县医疗保障局" in sealing.responsibilities[1][1]  # kept as published


def test_post_map_only_for_004(lists: dict[str, list[CatalogItem]]) -> None:
    for prefix in ("000", "001", "002", "003"):
        assert all(i.post_map == () for i in lists[prefix])


# --- cleaning ------------------------------------------------------------------------------------


def test_no_markup_survives(lists: dict[str, list[CatalogItem]]) -> None:
    forbidden = ("<p", "</p", "<ol", "</ol", "<li", "[bookmark", "---", "\u00a0", "\u3000", "\t")
    for items in lists.values():
        for item in items:
            for text in strings(to_dict(item)):
                for bad in forbidden:
                    assert bad not in text, (item.key, bad, text[:80])
                assert text == text.strip(), (item.key, text[:80])
                assert "  " not in text, (item.key, text[:80])


def test_clean_block_lists_and_spaces() -> None:
    raw = (
        '<ol style="list-style-type: none"><li>甲</li><li>2. 乙</li></ol>'
        "<p>丙\u00a0 丁</p>[bookmark: X]戊\n---\t---"
    )
    assert clean_block(raw) == "1. 甲\n2. 乙\n丙 丁\n戊"


def test_split_bases_and_responsibilities_inline() -> None:
    bases = split_bases(
        "1.《甲法》（2020年修正）第三条第二款：“文一”; 第四条:“文二” "
        "2.【法律】《乙条例》）第五条：文三"
    )
    assert bases == (
        LegalBasis("《甲法》", "第三条第二款", "文一"),
        LegalBasis("《甲法》", "第四条", "文二"),
        LegalBasis("《乙条例》", "第五条", "文三"),
    )
    assert split_responsibilities("1.立案责任：罚2倍。 2. 调查责任: 两人。 3.其他责任。") == (
        ("立案责任", "罚2倍。"),
        ("调查责任", "两人。"),
        ("其他责任", "其他责任。"),
    )


# --- serialisation -------------------------------------------------------------------------------


def test_round_trip_every_item(lists: dict[str, list[CatalogItem]]) -> None:
    for items in lists.values():
        for item in items:
            d = to_dict(item)
            assert from_dict(d) == item
            assert from_dict(json.loads(json.dumps(d, ensure_ascii=False))) == item
            assert from_dict(yaml.safe_load(yaml.safe_dump(d, allow_unicode=True))) == item


def test_round_trip_with_options_keeps_decimals() -> None:
    option = PenaltyOption(
        kind="罚款",
        base="骗取金额",
        multiple_min=Decimal("2"),
        multiple_max=Decimal("5.0"),
        text="处…罚款",
    )
    months = PenaltyOption(
        kind="暂停联网结算", months_min=3, months_max=12, condition="属于参保人员的"
    )
    item = CatalogItem(
        key="999-01",
        source_file="x.txt",
        agency="某局",
        seq="1",
        name="某项",
        power_type="行政处罚",
        published_type="行政处罚",
        procedure="penalty_general",
        bases=(LegalBasis(law=TL, article="第四十一条", text="…", options=(option, months)),),
        notes=("注",),
    )
    d = to_dict(item)
    assert d["bases"][0]["options"][0]["multiple_max"] == "5.0"
    back = from_dict(json.loads(json.dumps(d)))
    assert back == item
    assert str(back.bases[0].options[0].multiple_max) == "5.0"
