"""询问笔录, 现场检查笔录 and 证据清单, read back from the rendered PDF.

《行政处罚法》第四十二条: 执法人员不得少于两人 — a 笔录 names at least two officers, each with the
执法证号 shown (第五十五条: 出示执法证件), or it is not rendered. 第五十五条: 询问或者检查应当制作笔录 —
the person asked, every 问 and 答, and on EVERY page the signature line and "第 X 页 共 Y 页" (each page
is signed). 第四十六条: the 证据清单 lists each piece of evidence with its kind, one row each, and
the totals.

The text is read with pypdf, page by page, and compared with all whitespace removed (a line may
break anywhere). The renderer is deterministic: the same data gives the same bytes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest
from pypdf import PdfReader

from caseflow.documents.formatting import date_arabic, datetime_chinese
from caseflow.documents.renderer import render_html, render_pdf
from caseflow.documents.types import EVIDENCE_KINDS, get_doc_type
from caseflow.errors import InvalidInput
from tests.documents.sample_data import sample

Data = dict[str, Any]

RECORDS = ("inquiry_record", "inspection_record")
SIGNATURES = {
    "inquiry_record": ("被询问人签名：", "询问人签名：", "记录人签名："),
    "inspection_record": ("被检查人（在场人）签名：", "检查人签名：", "记录人签名："),
}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pages(pdf: bytes) -> list[str]:
    """The text of each page, whitespace removed."""
    return [_squash(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _footer(key: str) -> re.Pattern[str]:
    """The footer of a 笔录 page: the signature line, then "第X页共Y页"."""
    a, b, c = (re.escape(s) for s in SIGNATURES[key])
    return re.compile(f"{a}＿+{b}＿+{c}＿+第(\\d+)页共(\\d+)页")


def _body(key: str, pages: list[str]) -> str:
    """The pages' text joined without their footers (so a sentence may run across a page end)."""
    return "".join(_footer(key).sub("", page) for page in pages)


@pytest.fixture(scope="module")
def pdf_pages() -> Callable[[str], list[str]]:
    """The sample of a type rendered once per module, as page texts."""
    cache: dict[str, list[str]] = {}

    def get(key: str) -> list[str]:
        if key not in cache:
            cache[key] = _pages(render_pdf(key, sample(key)))
        return cache[key]

    return get


def _refused(key: str, data: Data) -> InvalidInput:
    with pytest.raises(InvalidInput) as exc:
        render_html(key, data)
    return exc.value


# ── 第四十二条: two officers, each with the 执法证号 ─────────────────────────────────────────────

@pytest.mark.parametrize(("key", "who"), [("inquiry_record", "询问人"), ("inspection_record", "检查人")])
def test_one_officer_is_not_enough(key: str, who: str):
    data = sample(key)
    data["record"]["officers"] = data["record"]["officers"][:1]
    err = _refused(key, data)
    assert err.code == "DOCUMENT_FIELDS_MISSING"
    assert "执法人员" in err.message and who in err.message
    assert err.details == {
        "record.officers[1].name": f"缺少：{who}姓名（执法人员至少两名）",
        "record.officers[1].credential_no": f"缺少：{who}执法证号（执法人员至少两名）",
    }


@pytest.mark.parametrize("key", RECORDS)
def test_every_officer_needs_a_credential_number(key: str):
    data = sample(key)
    data["record"]["officers"] = [dict(o) for o in data["record"]["officers"]]
    data["record"]["officers"][1]["credential_no"] = " "
    err = _refused(key, data)
    assert err.code == "DOCUMENT_FIELDS_MISSING"
    assert list(err.details) == ["record.officers[1].credential_no"]
    assert "执法证号" in err.message


@pytest.mark.parametrize(("key", "change", "path"), [
    ("inquiry_record", lambda r: r.update(qa=[]), "record.qa[0].q"),
    ("inquiry_record", lambda r: r["qa"].append({"q": "还有吗？", "a": ""}), "record.qa[6].a"),
    ("inquiry_record", lambda r: r["person"].pop("name"), "record.person.name"),
    ("inquiry_record", lambda r: r.pop("started_at"), "record.started_at"),
    ("inspection_record", lambda r: r.update(findings="  "), "record.findings"),
    ("inspection_record", lambda r: r.pop("subject"), "record.subject.name"),
    ("inspection_record", lambda r: r.pop("place"), "record.place"),
])
def test_a_record_without_its_substance_is_refused(key: str, change: Callable[[Data], Any], path: str):
    data = sample(key)
    change(data["record"])
    err = _refused(key, data)
    assert err.code == "DOCUMENT_FIELDS_MISSING"
    assert path in err.details


def test_evidence_list_needs_an_item_with_seq_title_and_kind():
    data = sample("evidence_list")
    data["evidence_list"]["items"] = []
    assert set(_refused("evidence_list", data).details) == {
        "evidence_list.items[0].seq", "evidence_list.items[0].title", "evidence_list.items[0].kind"}
    data = sample("evidence_list")
    data["evidence_list"]["items"][2]["title"] = ""
    assert list(_refused("evidence_list", data).details) == ["evidence_list.items[2].title"]


def test_evidence_kind_is_one_of_article_46():
    assert EVIDENCE_KINDS == ("书证", "物证", "视听资料", "电子数据", "证人证言", "当事人的陈述",
                              "鉴定意见", "勘验笔录", "现场笔录")
    data = sample("evidence_list")
    data["evidence_list"]["items"][0]["kind"] = "询问笔录"  # a 询问笔录 is 证人证言 or 当事人的陈述
    err = _refused("evidence_list", data)
    assert err.code == "DOCUMENT_FIELDS_INVALID"
    assert list(err.details) == ["evidence_list.items[0].kind"]


def test_the_three_types_carry_no_doc_number_and_no_seal():
    for key, title in [("inquiry_record", "询问笔录"), ("inspection_record", "现场检查笔录"),
                       ("evidence_list", "证据清单")]:
        doc_type = get_doc_type(key)
        assert (doc_type.title, doc_type.number_code, doc_type.sealed) == (title, None, False)


# ── 询问笔录 ────────────────────────────────────────────────────────────────────────────────────

def test_inquiry_record_shows_who_asked_whom_when_and_every_question(pdf_pages):
    data, pages = sample("inquiry_record"), pdf_pages("inquiry_record")
    record, text = data["record"], _body("inquiry_record", pages)
    person = record["person"]
    wanted = [
        "询问笔录", data["agency"]["name"], f"案号：{data['case']['case_no']}",
        "询问时间：2026年8月6日9时30分至11时05分", "（第1次询问）",
        f"询问地点：{record['place']}",
        *[f"{o['name']}执法证号：{o['credential_no']}" for o in record["officers"]],
        f"记录人：{record['recorder']}", f"被询问人：{person['name']}性别：{person['sex']}",
        f"身份证号码：{person['id_number']}联系电话：{person['phone']}",
        f"工作单位及职务：{person['work_unit']}", f"与本案关系：{person['relation']}",
        "执法人员已出示执法证件。",
        # the default opening: who they are, their 执法证号, the cause, the right to 回避
        "问：我们是栾川县医疗保障局的执法人员赵志强、孙晓燕，执法证号分别为41032400123、41032400124，"
        "这是我们的执法证件（出示）。现依法就" + data["case"]["cause"] + "一案向你进行调查询问，请你如实回答。",
        "你是否申请回避？",
        "以上笔录我已看过（或已向我宣读过），与我所说的相符。", "被询问人（签名）：", "（以下空白）",
    ]
    for qa in record["qa"]:
        wanted.append("问：" + qa["q"])
        wanted.append("答：" + qa["a"].replace("\n", ""))
    missing = [w for w in wanted if _squash(w) not in text]
    assert not missing, f"not in the PDF: {missing}\n{text}"
    assert "（印章）" not in text  # a 笔录 is not a decision


def test_every_question_and_answer_of_a_long_inquiry_and_a_footer_on_each_page():
    data = sample("inquiry_record")
    data["record"]["qa"] = [
        {"q": f"第{i}个问题：2026年{i % 12 + 1}月你科室的第{i}份理疗治疗单是谁填写的？",
         "a": f"第{i}个回答：是护士站按医嘱填写的，治疗师没有签字，这一份记账金额为{i * 37}元。"}
        for i in range(1, 41)
    ]
    pages = _pages(render_pdf("inquiry_record", data))
    total = len(pages)
    assert total >= 3, f"40 问答 on {total} pages"
    for number, page in enumerate(pages, 1):
        footers = _footer("inquiry_record").findall(page)
        assert footers == [(str(number), str(total))], f"page {number}: {page[-120:]}"
        assert page.endswith(f"第{number}页共{total}页"), page[-120:]
    text = _body("inquiry_record", pages)
    positions = []
    for qa in data["record"]["qa"]:
        for said in ("问：" + qa["q"], "答：" + qa["a"]):
            assert said in text, said
            positions.append(text.index(said))
    assert positions == sorted(positions), "问答 out of order"
    assert text.index("答：第40个回答") < text.index("以上笔录我已看过")


def test_inquiry_opening_follows_the_data():
    data = sample("inquiry_record")
    record = data["record"]
    record.update(credentials_shown=False, opening="我们是栾川县医疗保障局的执法人员，请你如实回答。")
    html = render_html("inquiry_record", data)
    assert "（未记录出示执法证件）" in html and "执法人员已出示执法证件" not in html
    assert "我们是栾川县医疗保障局的执法人员，请你如实回答。" in html
    assert "这是我们的执法证件" not in html
    record.pop("opening")
    record.pop("credentials_shown")  # absent: nothing is claimed
    data["case"] = {"case_no": data["case"]["case_no"]}  # no 案由
    html = render_html("inquiry_record", data)
    assert "（未记录出示执法证件）" in html and "这是我们的执法证件" not in html
    assert "现依法就有关问题向你进行调查询问" in html


def test_inquiry_time_span():
    data = sample("inquiry_record")
    record = data["record"]
    html = render_html("inquiry_record", data)
    start = datetime_chinese(record["started_at"])
    assert start == "2026年8月6日9时30分"
    assert f"{start}</span>至<span class=\"nobr\">11时05分" in html
    record["ended_at"] = datetime(2026, 8, 6, 16, 30, tzinfo=timezone.utc)  # 00:30 the next day
    html = render_html("inquiry_record", data)
    assert f"{start}</span>至<span class=\"nobr\">2026年8月7日0时30分" in html


def test_recorder_left_blank_for_handwriting():
    data = sample("inquiry_record")
    data["record"].pop("recorder")
    data["record"]["person"] = {"name": "王建国"}
    html = render_html("inquiry_record", data)
    assert "<th>记录人：</th><td></td>" in html
    assert "<th>身份证号码：</th><td>" in html


# ── 现场检查笔录 ────────────────────────────────────────────────────────────────────────────────

def test_inspection_record_shows_findings_measures_and_who_was_present(pdf_pages):
    data, pages = sample("inspection_record"), pdf_pages("inspection_record")
    record, text = data["record"], _body("inspection_record", pages)
    subject = record["subject"]
    wanted = [
        "现场检查笔录", f"案号：{data['case']['case_no']}", "检查时间：2026年8月5日8时40分至11时20分",
        f"检查地点：{record['place']}",
        *[f"{o['name']}执法证号：{o['credential_no']}" for o in record["officers"]],
        f"被检查人：{subject['name']}", f"地址：{subject['address']}", subject["representative"],
        subject["phone"], "执法人员已出示执法证件。", "检查情况：",
        *[line for line in record["findings"].splitlines()],
        "现场采取的措施：", record["measures"],
        "以上笔录已经本人核对，与现场检查情况一致。", "被检查人（在场人）签名：", "（以下空白）",
        "在场人员：王建国职务：法定代表人联系电话：13703790066", "李红梅职务：康复理疗科护士长",
    ]
    missing = [w for w in wanted if _squash(w) not in text]
    assert not missing, f"not in the PDF: {missing}\n{text}"
    total = len(pages)
    for number, page in enumerate(pages, 1):
        assert _footer("inspection_record").findall(page) == [(str(number), str(total))], page


def test_inspection_without_present_persons_leaves_a_line():
    data = sample("inspection_record")
    data["record"].pop("present")
    data["record"].pop("measures")
    html = render_html("inspection_record", data)
    assert "<th>在场人员：</th><td colspan=\"3\"></td>" in html
    assert "现场采取的措施" not in html


# ── 证据清单 ────────────────────────────────────────────────────────────────────────────────────

def test_evidence_list_shows_each_row_in_its_columns_and_the_totals(pdf_pages):
    data, (text, *more) = sample("evidence_list"), pdf_pages("evidence_list")
    assert not more, "the sample list fits one page"
    items = data["evidence_list"]["items"]
    head = ["证据清单", f"案号：{data['case']['case_no']}", f"当事人：{data['parties'][0]['name']}",
            f"案由：{data['case']['cause']}",
            "序号证据名称证据种类来源取得方式收集人收集日期页数证明目的"]
    missing = [w for w in head if _squash(w) not in text]
    assert not missing, missing
    at = text.index("证明目的")
    for item in items:
        row = [str(item["seq"]), item["title"], item["kind"], item["source"], item["obtained_by"],
               "、".join(item["collectors"]), date_arabic(item["collected_on"]),
               "" if item["pages"] is None else str(item["pages"]), item["proves"]]
        for cell in row:
            found = text.find(_squash(cell), at)
            assert found >= 0, f"row {item['seq']}: {cell!r} not after position {at}\n{text}"
            at = found + len(_squash(cell))
        for f in item.get("files", []):
            assert f"附：文件{f['filename']}（SHA-256{f['sha256'][:16]}…）" in text
            assert f["sha256"] not in text  # only its head
    assert "本清单共列证据5项，书面材料共428页，附电子文件3个。" in text
    assert "制表人：赵志强" in text and "制表日期：2026年9月20日" in text
    assert text.endswith("第1页共1页")


def test_evidence_list_totals_without_pages_or_files():
    data = sample("evidence_list")
    items = data["evidence_list"]["items"]
    for item in items:
        item.update(pages=None, files=[])
    data["evidence_list"].pop("prepared_by")
    html = render_html("evidence_list", data)
    assert "本清单共列证据5项。" in html
    assert "制表人：<span class=\"blank wide\"></span>" in html


def test_a_long_evidence_list_repeats_its_header_and_numbers_its_pages():
    data = sample("evidence_list")
    base = data["evidence_list"]["items"]
    data["evidence_list"]["items"] = [{**base[i % len(base)], "seq": i + 1} for i in range(30)]
    pages = _pages(render_pdf("evidence_list", data))
    assert len(pages) >= 2
    for number, page in enumerate(pages, 1):
        assert "序号证据名称证据种类" in page
        assert page.endswith(f"第{number}页共{len(pages)}页")
    assert "本清单共列证据30项" in pages[-1]


# ── the rest of the documents, and determinism ──────────────────────────────────────────────────

def test_other_documents_keep_their_footers():
    pages = _pages(render_pdf("service_receipt", sample("service_receipt")))
    assert "签名：＿" not in pages[0] and "页共" not in pages[0]
    assert pages[0].endswith("—1—")


@pytest.mark.parametrize("key", [*RECORDS, "evidence_list"])
def test_the_same_data_renders_to_the_same_bytes(key: str):
    assert render_pdf(key, sample(key)) == render_pdf(key, sample(key))
