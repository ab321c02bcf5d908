"""workflows/conducts.yaml against the statute texts of ../shared/legal/.

Every check reads the 条例 (and the 社会保险法) as published there: the punishing article and clause
exist (第N款 by paragraph count, （N）项 present), the conduct's name stands in that clause, the
article cited as 违反的规定 says the conduct's key words (no prohibition is invented), the fine's base,
the party and 骗取 agree with the punishing paragraph's words. The words of a name "stand in" a text when,
without 、 and ，, they are a contiguous part of it — or the name takes one element of a list the text
writes out: 串换医用耗材 from "串换药品、医用耗材、诊疗项目和服务设施", 挪用医疗保障基金 from "侵占、挪用医疗保障基金".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from caseflow.catalog.conducts import BASES, PARTIES, Conduct, conduct, conducts, conducts_for, load_conducts
from caseflow.catalog.model import CatalogItem, LegalBasis
from caseflow.catalog.service import get_catalog
from caseflow.config import REPO_ROOT, get_settings
from caseflow.errors import DefinitionError

LEGAL = REPO_ROOT.parent / "shared" / "legal"
TIAOLI = "《医疗保障基金使用监督管理条例》"
SIF = "《中华人民共和国社会保险法》"
NUM = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}
ARTICLE_LINE = re.compile(r"(第[一二三四五六七八九十百零]+条)\s+(.*)")
CITATION = re.compile(r"(《[^》]+》)(第[一二三四五六七八九十百零]+条)(.*)")
CLAUSE = re.compile(r"(?:第([一二三四五六七八九十]+)款)?(?:第（([一二三四五六七八九十]+)）项)?")


# ── the statute, as the legal folder publishes it ────────────────────────────────────────────────────

@dataclass
class Paragraph:
    text: str  # the paragraph's own words (without its items)
    items: list[str] = field(default_factory=list)  # "（一）分解住院、挂床住院；" …

    @property
    def full(self) -> str:
        return self.text + "".join(self.items)


@dataclass
class Article:
    chapter: str
    paragraphs: list[Paragraph]


def _read_statute(file: str) -> dict[str, Article]:
    articles: dict[str, Article] = {}
    chapter = ""
    current: Article | None = None
    for line in (LEGAL / file).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("## "):
            chapter, current = line[3:], None
        elif m := ARTICLE_LINE.fullmatch(line):
            current = articles[m[1]] = Article(chapter, [Paragraph(m[2])])
        elif current is None or not line or line.startswith(("#", "<!--")):
            continue
        elif line.startswith("（"):
            current.paragraphs[-1].items.append(line)
        else:
            current.paragraphs.append(Paragraph(line))
    return articles


STATUTES = {TIAOLI: _read_statute("医疗保障基金使用监督管理条例.md"), SIF: _read_statute("社会保险法.md")}


def provision(law: str, article: str, clause: str) -> tuple[Paragraph, str]:
    """The paragraph a clause is in and the clause's own text; fails where the statute has no such clause.

    第N款 is written only where the article has more than one paragraph; "" (no 款, no 项) only where
    it has one paragraph without items."""
    assert article in STATUTES[law], f"{law}没有{article}"
    paragraphs = STATUTES[law][article].paragraphs
    m = CLAUSE.fullmatch(clause)
    assert m, f"{clause!r} is not a clause"
    para_no, item_no = m.groups()
    if para_no is None:
        assert len(paragraphs) == 1, f"{law}{article}有{len(paragraphs)}款：须写明第几款"
        paragraph = paragraphs[0]
    else:
        assert len(paragraphs) >= 2, f"{law}{article}只有一款：不写第一款"
        assert NUM[para_no] <= len(paragraphs), f"{law}{article}没有第{para_no}款"
        paragraph = paragraphs[NUM[para_no] - 1]
    if item_no is None:
        assert clause or not paragraph.items, f"{law}{article}有项：须写明第几项"
        return paragraph, paragraph.full
    assert NUM[item_no] <= len(paragraph.items), f"{law}{article}{clause}不存在"
    item = paragraph.items[NUM[item_no] - 1]
    assert item.startswith(f"（{item_no}）"), item
    return paragraph, item


def penalty_text(c: Conduct) -> str:
    """The words that set the penalty of `c`'s clause: its paragraph, or the article's first paragraph
    where the paragraph says "按照本条规定处理" (第四十条第二款)."""
    paragraph, _ = provision(c.law, c.article, c.clause)
    if "按照本条规定处理" in paragraph.text:
        return STATUTES[c.law][c.article].paragraphs[0].full
    return paragraph.full


def _bare(text: str) -> str:
    return re.sub("[、，]", "", text)


def words_in(name: str, text: str) -> bool:
    if _bare(name) in _bare(text):
        return True
    for k in range(1, len(name)):
        head, tail = name[:k], name[k:]
        # one verb over a list of objects: 串换 + 药品、医用耗材、诊疗项目和服务设施
        for m in re.finditer(re.escape(head), text):
            segment = re.split("[，；。：]", text[m.end():])[0]
            if tail in re.split("、|和|或者", segment):
                return True
        # a list of verbs over one object: 侵占、挪用 + 医疗保障基金
        for m in re.finditer(re.escape(tail), text):
            segment = re.split("[，；。：]", text[:m.start()])[-1]
            if head in re.split("、|和|或者", segment):
                return True
    return False


def test_the_reading_of_the_statute() -> None:
    tl = STATUTES[TIAOLI]
    assert len(tl["第三十八条"].paragraphs) == 1 and len(tl["第三十八条"].paragraphs[0].items) == 7
    assert [len(p.items) for p in tl["第四十条"].paragraphs] == [4, 0]
    assert [len(p.items) for p in tl["第四十一条"].paragraphs] == [3, 0]
    assert len(tl["第十五条"].paragraphs) == 2 and tl["第二十条"].chapter == "第二章 基金使用"
    assert provision(TIAOLI, "第四十条", "第一款第（三）项")[1] == "（三）虚构医药服务项目；"
    for bad in ("第一款第（四）项", "第三款", ""):  # 第三十八条 has one paragraph, with items
        with pytest.raises(AssertionError):
            provision(TIAOLI, "第三十八条", bad)
    _, item = provision(TIAOLI, "第三十八条", "第（四）项")
    assert words_in("串换药品", item) and words_in("串换服务设施", item)
    assert not words_in("串换挂床住院", tl["第三十八条"].paragraphs[0].full)
    assert words_in("挪用医疗保障基金", provision(TIAOLI, "第四十四条", "")[1])
    assert not words_in("虚构医学文书", provision(TIAOLI, "第四十条", "第一款第（二）项")[1])
    assert not words_in("过度收费", provision(TIAOLI, "第三十八条", "第（三）项")[1])


# ── the file ─────────────────────────────────────────────────────────────────────────────────────────

ALL = conducts()
BY_CODE = {c.code: c for c in ALL}


def test_the_file_loads_once_with_unique_codes() -> None:
    assert conducts() is ALL and len(ALL) > 0
    assert len(BY_CODE) == len(ALL)
    assert conduct("tl38-4-swap-drugs") is BY_CODE["tl38-4-swap-drugs"]
    assert conduct("no-such-conduct") is None


@pytest.mark.parametrize("c", ALL, ids=lambda c: c.code)
def test_the_punishing_clause_exists_and_names_the_conduct(c: Conduct) -> None:
    assert c.law == TIAOLI
    _, text = provision(c.law, c.article, c.clause)
    assert words_in(c.name, text), f"「{c.name}」不在{c.citation}：{text}"
    assert STATUTES[TIAOLI][c.article].chapter == "第四章 法律责任"


# The words the article cited as 违反的规定 says of the conduct, where they are not the conduct's name:
# the duties of 第三十九条 are stated positively (应当建立… / 未建立…), and some prohibitions phrase the
# act otherwise. Each tuple was read off both texts; the test checks every word stands in both.
KEY_WORDS = {
    "tl38-2-unnecessary-services": ("诊疗规范", "必要的医药服务"),
    "tl38-6-out-of-scope-billing": ("医疗保障基金支付", "支付范围"),
    "tl39-1-no-internal-rules": ("建立医疗保障基金使用内部管理制度",),
    "tl39-1-no-fund-staff": ("专门机构或者人员负责医疗保障基金使用管理工作",),
    "tl39-2-records-keeping": ("按照规定保管财务账目、会计凭证、处方、病历、治疗检查记录、费用明细、药品和医用耗材出入库记录等资料",),
    "tl39-3-data-transmission": ("通过医疗保障信息系统", "传送医疗保障基金使用有关数据"),
    "tl39-4-reporting": ("向医疗保障行政部门报告医疗保障基金使用监督管理所需信息",),
    "tl39-5-disclosure": ("向社会公开医药费用、费用结构等信息",),
    "tl39-6-no-consent": ("除急诊、抢救等特殊情形外", "参保人员或者其近亲属、监护人同意",
                          "提供医疗保障基金支付范围以外的医药服务"),
    "tl39-7-refuse-inspection": ("拒绝", "监督检查"),
    "tl39-7-false-information": ("如实提供相关资料和信息", "谎报"),
    "tl41-1-1-lend-card": ("医疗保障凭证", "他人冒名使用"),
    "tl41-1-2-double-benefits": ("享受医疗保障待遇", "重复享受"),
    "tl41-1-3-resell-benefits": ("享受医疗保障待遇的机会转卖药品，接受返还现金、实物或者获得其他非法利益",),
    "tl41-2-use-others-card": ("医疗保障凭证", "就医、购药"),
    "tl44-embezzle": ("侵占", "医疗保障基金"),
    "tl44-misappropriate": ("挪用", "医疗保障基金"),
}
# Where the rule states the duty in the opposite words of the punishing clause: the key words stand in
# the rule only. 第三十九条（七）"提供虚假情况" ↔ 第二十九条第二款 "如实提供相关资料和信息，不得…谎报、瞒报".
OPPOSITE_WORDS = {"tl39-7-false-information"}

# Read off the 条例: no article of 第一章–第三章 prohibits these in words, so the document cites the
# punishing clause only (catch-alls, and the 以骗取为目的 paragraphs whose rule is that of the act found).
NO_RULE = {
    "tl38-7-other-loss",  # 第三十八条（七）造成医疗保障基金损失的其他违法行为
    "tl40-1-1-false-certificates",  # 第四十条（一）提供虚假证明材料
    "tl40-1-1-false-receipts",  # 第四十条（一）串通他人虚开费用单据 (第十五条 only: 如实出具费用单据)
    "tl40-1-4-other-fraud",  # 第四十条（四）其他骗取医疗保障基金支出的行为
    "tl40-2-fraudulent-tl38-act",  # 第四十条第二款
    "tl41-2-fraudulent-tl41-act",  # 第四十一条第二款, its first case
}


def test_the_conducts_without_a_prohibition_article() -> None:
    assert {c.code for c in ALL if c.rule_breached is None} == NO_RULE
    assert set(KEY_WORDS) <= set(BY_CODE) and not set(KEY_WORDS) & NO_RULE


@pytest.mark.parametrize("c", [c for c in ALL if c.rule_breached], ids=lambda c: c.code)
def test_the_rule_breached_says_the_conduct_in_words(c: Conduct) -> None:
    m = CITATION.fullmatch(c.rule_breached or "")
    assert m and m[1] == TIAOLI, c.rule_breached
    _, rule = provision(m[1], m[2], m[3])
    chapter = STATUTES[TIAOLI][m[2]].chapter
    assert chapter not in ("第四章 法律责任", "第五章 附 则"), f"{c.rule_breached} 在{chapter}"
    words = KEY_WORDS.get(c.code, (c.name,))
    for w in words:
        assert words_in(w, rule), f"「{w}」不在{c.rule_breached}：{rule}"
    if c.code in KEY_WORDS and c.code not in OPPOSITE_WORDS:
        _, clause = provision(c.law, c.article, c.clause)
        for w in words:
            assert words_in(w, clause), f"「{w}」不在{c.citation}：{clause}"


@pytest.mark.parametrize("c", ALL, ids=lambda c: c.code)
def test_base_party_and_fraud_agree_with_the_punishing_words(c: Conduct) -> None:
    text = penalty_text(c)
    assert c.base in (*BASES, None) and c.party in PARTIES
    for base in BASES:
        assert (base in text) == (c.base == base), f"{c.citation}：{text}"
    paragraph, _ = provision(c.law, c.article, c.clause)
    if c.party == "单位或者个人":  # no subject: anyone who 违反本条例规定
        assert paragraph.text.startswith("违反本条例规定")
    else:
        assert paragraph.text.startswith(c.party), paragraph.text
    assert c.fraud == ("骗取" in paragraph.text)


@pytest.mark.parametrize("c", ALL, ids=lambda c: c.code)
def test_the_social_insurance_law_is_cited_for_the_same_fraud(c: Conduct) -> None:
    assert bool(c.also) == c.fraud
    for cited in c.also:
        m = CITATION.fullmatch(cited)
        assert m and m[1] == SIF and not m[3], cited
        _, text = provision(SIF, m[2], "")
        if c.party == "个人":
            assert "骗取社会保险待遇" in text
        else:
            assert "社会保险经办机构以及医疗机构、药品经营单位等社会保险服务机构" in text and "骗取社会保险基金支出" in text


# The clauses the file covers, each paragraph and item as the 条例 writes it.
COVERED_ARTICLES = ("第三十七条", "第三十八条", "第三十九条", "第四十条", "第四十一条", "第四十四条")


def test_every_clause_of_the_covered_articles_has_a_conduct() -> None:
    clauses = set()
    for article in COVERED_ARTICLES:
        paragraphs = STATUTES[TIAOLI][article].paragraphs
        for p, paragraph in enumerate(paragraphs, start=1):
            prefix = f"第{'一二三'[p - 1]}款" if len(paragraphs) > 1 else ""
            items = [f"第（{item[1:item.index('）')]}）项" for item in paragraph.items]
            clauses |= {(article, prefix + i) for i in items} or {(article, prefix)}
    assert {(c.article, c.clause) for c in ALL} == clauses


def test_one_entry_per_act_the_clause_names() -> None:
    def names(article: str, clause: str) -> list[str]:
        return [c.name for c in ALL if (c.article, c.clause) == (article, clause)]
    assert names("第三十八条", "第（一）项") == ["分解住院", "挂床住院"]
    assert names("第三十八条", "第（二）项") == ["过度诊疗", "过度检查", "分解处方", "超量开药", "重复开药",
                                             "提供其他不必要的医药服务"]
    assert names("第三十八条", "第（三）项") == ["重复收费", "超标准收费", "分解项目收费"]
    assert names("第三十八条", "第（四）项") == ["串换药品", "串换医用耗材", "串换诊疗项目", "串换服务设施"]
    assert len(names("第四十一条", "第二款")) == 4  # 以骗取为目的…; 冒名就医、购药; 伪造…; 虚构…


def test_the_examples_of_the_brief() -> None:
    fictitious = BY_CODE["tl40-1-3-fictitious-services"]
    assert fictitious.name == "虚构医药服务项目"
    assert fictitious.rule_breached == f"{TIAOLI}第二十条"
    assert fictitious.citation == f"{TIAOLI}第四十条第一款第（三）项"
    assert fictitious.article_citation == f"{TIAOLI}第四十条"
    assert fictitious.also == (f"{SIF}第八十七条",) and fictitious.base == "骗取金额" and fictitious.fraud
    swap = next(c for c in ALL if c.name == "串换药品")
    assert swap.rule_breached == f"{TIAOLI}第十五条第一款"
    assert swap.citation == f"{TIAOLI}第三十八条第（四）项"  # one paragraph: no 第一款
    assert (swap.base, swap.party, swap.fraud, swap.also) == ("造成损失金额", "定点医药机构", False, ())
    assert BY_CODE["tl38-3-overcharge"].name == "超标准收费"
    assert BY_CODE["tl37-fictitious-services"].citation == f"{TIAOLI}第三十七条"


# ── the catalog ──────────────────────────────────────────────────────────────────────────────────────

def _penalty_items_004() -> list[CatalogItem]:
    return [i for i in get_catalog().items.values() if i.key.startswith("004-") and i.power_type == "行政处罚"]


def test_each_penalty_item_of_list_004_gets_the_conducts_of_its_articles() -> None:
    covered = {f"{TIAOLI}{a}" for a in COVERED_ARTICLES}
    items = _penalty_items_004()
    none = sorted(i.key for i in items if not conducts_for(i))
    outside = sorted(i.key for i in items if not any(b.citation in covered for b in i.bases))
    print("list-004 penalty items without a conduct:", none)
    assert none == outside == ["004-01", "004-07"]  # 社会保险法第八十四条; 条例第四十三条
    for item in items:
        got = conducts_for(item)
        cited = {b.citation for b in item.bases}
        assert {c.article_citation for c in got} == cited & covered, item.key
        assert list(got) == [c for c in ALL if c.article_citation in cited]  # file order


def test_conducts_for_real_items() -> None:
    catalog = get_catalog()
    fraud = conducts_for(catalog.item("004-05"))  # 对定点医药机构骗取医疗保障基金支出的处罚
    assert {c.article for c in fraud} == {"第四十条"} and "虚构医药服务项目" in [c.name for c in fraud]
    assert all(c.fraud and c.party == "定点医药机构" for c in fraud)
    general = conducts_for(catalog.item("004-03"))  # 基金使用一般违法行为
    assert {c.article for c in general} == {"第三十八条"} and "串换药品" in [c.name for c in general]
    assert {c.article for c in conducts_for(catalog.item("004-06"))} == {"第四十一条"}
    assert [c.code for c in conducts_for(catalog.item("004-08"))] == ["tl44-embezzle", "tl44-misappropriate"]
    assert conducts_for(catalog.item("004-12")) == ()  # 封存 (第二十七条): no conduct


def test_a_basis_citing_a_paragraph_gives_the_conducts_under_it() -> None:
    item = CatalogItem(key="x-01", source_file="", agency="", seq="1", name="", power_type="行政处罚",
                       published_type="行政处罚", procedure="penalty_general",
                       bases=(LegalBasis(law=TIAOLI, article="第四十一条第二款", text=""),))
    got = conducts_for(item)
    assert got and all(c.clause == "第二款" for c in got)


# ── a malformed file is refused when it loads ────────────────────────────────────────────────────────

GOOD = ("{code: a, name: 虚构医药服务项目, law: 《医疗保障基金使用监督管理条例》, article: 第四十条, "
        "clause: 第一款第（三）项, rule_breached: null, base: 骗取金额, party: 定点医药机构, fraud: true, also: []")


def _file(tmp_path: Path, *entries: str) -> Path:
    path = tmp_path / "conducts.yaml"
    path.write_text("conducts:\n" + "".join(f"  - {e}\n" for e in entries), encoding="utf-8")
    return path


def test_the_real_file_is_where_the_settings_say() -> None:
    assert load_conducts(get_settings().workflows_dir / "conducts.yaml") == ALL


@pytest.mark.parametrize("entries, message", [
    ([GOOD + ", penalty: 罚款}"], "未知字段 penalty"),
    ([GOOD + "}", GOOD + "}"], "code「a」重复"),
    ([GOOD.replace("base: 骗取金额", "base: 违法所得") + "}"], "base 须为"),
    ([GOOD.replace("party: 定点医药机构", "party: 医院") + "}"], "party 须为"),
    ([GOOD.replace(", also: []", "") + "}"], "缺少字段 also"),
    ([GOOD.replace("fraud: true", "fraud: 是") + "}"], "fraud 须为"),
    ([GOOD.replace("clause: 第一款第（三）项", "clause: 第一款第3项") + "}"], "clause 须写作"),
])
def test_a_malformed_entry_is_refused(tmp_path: Path, entries: list[str], message: str) -> None:
    assert load_conducts(_file(tmp_path, GOOD + "}"))[0].citation == f"{TIAOLI}第四十条第一款第（三）项"
    with pytest.raises(DefinitionError, match=re.escape(message)):
        load_conducts(_file(tmp_path, *entries))
