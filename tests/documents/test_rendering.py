"""Every document type renders to a PDF that says what the law requires, with embedded fonts.

Each type is rendered once per module (module-scoped cache). The text is read back with
`pdftotext -layout` and compared with all whitespace removed (line breaks fall anywhere).
Page 1 of each PDF is written to tests/artifacts/documents/<key>.png for a human look.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from stdnum.cn import ric, uscc

from caseflow.documents.fields import missing_fields
from caseflow.documents.renderer import render_html, render_pdf
from caseflow.documents.types import DOC_TYPES, FieldSpec, get_doc_type
from caseflow.errors import InvalidInput, NotFound
from tests.documents import sample_data
from tests.documents.sample_data import sample

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "documents"
POPPLER = all(shutil.which(tool) for tool in ("pdftotext", "pdffonts", "pdftoppm"))
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")

ACCOUNT = ["栾川县财政局非税收入汇缴结算户", "中国农业银行股份有限公司栾川县支行", "16-660101040000123"]
FUND_ACCOUNT = ["栾川县财政局医疗保障基金财政专户", "中国工商银行股份有限公司栾川支行", "1705021309200088765"]
REMEDIES = ["60日内向栾川县人民政府申请行政复议", "6个月内直接向栾川县人民法院提起行政诉讼"]
FINE = "24,691.34元（大写：贰万肆仟陆佰玖拾壹元叁角肆分）"
RETURN = "12,345.67元（大写：壹万贰仟叁佰肆拾伍元陆角柒分）"
ORG = ["栾川县康泰医院有限公司", "统一社会信用代码：91410324MA47T3Q8WY"]
CONTACT = ["河南省洛阳市栾川县城关镇伊河路东段16号", "0379-66812345"]
SEAL = "（印章）"

# What each document must say, beyond its title, 文号 and agency name (checked for all).
EXPECTED: dict[str, list[str]] = {
    "penalty_notice": [
        *ORG, *CONTACT, "骗取医疗保障基金支出12,345.67元", "1.你单位营业执照",
        "《医疗保障基金使用监督管理条例》第四十条第一款的规定，本机关拟对你单位作出如下行政处罚",
        RETURN, FINE, "享有陈述、申辩的权利", "自收到本告知书之日起5个工作日内",
        "（即至2026年10月19日止）", "书面或者口头形式", "二〇二六年十月十二日", SEAL,
    ],
    # 行政处理事先告知书: the 责令退回 alone, why no 行政处罚 (第三十六条), 陈述、申辩 — and no 听证
    "recovery_notice": [
        *ORG, *CONTACT, "本机关拟作出行政处理的事实、理由、依据和处理内容",
        "已超过《中华人民共和国行政处罚法》第三十六条规定的追责期限，本机关依法不再给予行政处罚",
        "本机关拟对你单位作出如下行政处理", RETURN, "自收到本告知书之日起5个工作日内",
        "（即至2026年10月19日止）", "提出陈述、申辩意见", "二〇二六年十月十二日", SEAL,
    ],
    "hearing_rights_notice": [
        *ORG, *CONTACT, FINE, "暂停康复理疗科涉及医疗保障基金使用的医药服务6个月", "陈述、申辩的权利",
        "有要求举行听证的权利", "应当自收到本告知书之日起5个工作日内", "视为放弃听证权利", SEAL,
    ],
    "hearing_summons": [
        *ORG, *CONTACT, "2026年10月15日提出的听证申请", "2026年11月2日9时30分",
        "栾川县医疗保障局三楼会议室公开举行听证", "周文博担任主持人", "陈静担任记录员",
        "委托一至二人代理", "有权申请回避", "视为放弃听证权利", "二〇二六年十月二十日", SEAL,
    ],
    "penalty_decision": [
        "当事人：栾川县康泰医院有限公司", "统一社会信用代码：91410324MA47T3Q8WY",
        "法定代表人（负责人）：王建国", "地址：河南省洛阳市栾川县城关镇君山路88号",
        "经查明：2026年1月1日至2026年6月30日期间", "4.你单位康复理疗科负责人询问笔录",
        "陈述、申辩理由不成立", "依据《医疗保障基金使用监督管理条例》第四十条第一款的规定",
        "本机关决定对你单位作出如下行政处罚", RETURN, FINE,
        "退回的基金退回原医疗保障基金财政专户", "自收到本决定书之日起15日内退回至以下账户", *FUND_ACCOUNT,
        "自收到本决定书之日起15日内，到指定的银行或者通过电子支付系统缴纳罚款人民币" + FINE,
        "罚款依法上缴国库", *ACCOUNT, "第七十二条第一款第（一）项",
        "每日按罚款数额的百分之三加处罚款，加处罚款的数额不得超出罚款的数额", *REMEDIES,
        "本决定不停止执行", "申请人民法院强制执行", "二〇二六年十一月二十三日", SEAL,
    ],
    "no_penalty_decision": [
        "当事人：张丽华", "身份证号码：410324199003150018", "住址：河南省洛阳市栾川县栾川乡双堂村3组15号",
        "经查明：2026年5月", "初次违法", "依据《中华人民共和国行政处罚法》第三十三条第一款的规定",
        "本机关决定对你不予行政处罚", "你如不服本决定", *REMEDIES, "二〇二六年九月八日", SEAL,
    ],
    "recovery_decision": [
        *ORG, "地址：河南省洛阳市栾川县城关镇君山路88号", "经查明：2023年3月1日至2024年3月31日期间",
        "3.你单位住院部负责人询问笔录", "第三十八条第（三）项规定的超标准收费的行为",
        "违法行为在二年内未被发现的，不再给予行政处罚", "有连续或者继续状态，于2024年3月31日终了",
        "追责期限至2026年3月31日届满，本机关于2026年8月20日立案时已超过该期限，依法不再给予你单位行政处罚",
        "依据《医疗保障基金使用监督管理条例》第三十八条的规定，本机关决定对你单位作出如下处理",
        "责令退回人民币8,640.00元（大写：捌仟陆佰肆拾元整）", "退回的基金退回原医疗保障基金财政专户",
        "自收到本决定书之日起15日内退回至以下账户", *FUND_ACCOUNT, *REMEDIES, "本决定不停止执行",
        "经催告后申请人民法院强制执行", "二〇二六年九月十五日", SEAL,
    ],
    "sealing_decision": [
        *ORG, "地址：河南省洛阳市栾川县城关镇君山路88号", "可能被转移、隐匿或者灭失",
        "《医疗保障基金使用监督管理条例》第二十七条第（五）项、《中华人民共和国行政强制法》第二十四条",
        "康复理疗科理疗治疗单6册", "住院费用明细清单412页", "理疗设备使用登记本2本",
        "自2026年8月5日起至2026年9月3日止，共30日", "栾川县康泰医院有限公司病案室（就地封存）",
        *REMEDIES, "封存清单", "（栾医保封决〔2026〕1号附件）", "本清单一式两份，一份交当事人",
        "赵志强（执法证号：41032400123）", "孙晓燕（执法证号：41032400124）", "当事人（签名或者盖章）",
        "刘建设", "二〇二六年八月五日", SEAL,
    ],
    "sealing_release": [
        *ORG, "2026年8月5日作出《封存决定书》（栾医保封决〔2026〕1号）", "不再需要采取封存措施",
        "《中华人民共和国行政强制法》第二十八条第一款第（五）项", "自2026年8月28日起解除",
        "原《封存清单》所列全部物品", "二〇二六年八月二十八日", SEAL,
    ],
    "sealing_extension": [
        *ORG, "2026年8月5日作出《封存决定书》（栾医保封决〔2026〕1号）", "康复理疗科理疗治疗单6册",
        "所附《封存清单》", "自2026年8月5日起至2026年9月3日止，共30日", "延长封存期限的理由：",
        "情况复杂，在原封存期限内难以查清", "《中华人民共和国行政强制法》第二十五条第一款",
        "经本机关负责人批准", "延长30日，延长后的封存期限至2026年10月8日止", "第二十五条第二款",
        *REMEDIES, "二〇二六年八月二十八日", SEAL,
    ],
    # Forms: `pdftotext -layout` interleaves the lines of multi-line cells, so a label and its
    # value are checked separately.
    "service_receipt": [
        "案号：栾医保罚案〔2026〕1号", "《行政处罚决定书》", "栾医保罚决〔2026〕3号", "受送达人",
        "栾川县康泰医院有限公司", "河南省洛阳市栾川县城关镇君山路88号", "送达方式留置送达",
        "签名或者盖章", "赵志强、孙晓燕", "2026年11月24日14时30分", "拒收事由",
        "该单位法定代表人王建国拒绝签收", "刘建设（城关镇君山社区工作人员）", "见证人",
        "留置送达过程已全程录像",
    ],
    "dunning_notice": [
        *ORG, *CONTACT, "2026年11月23日作出《行政处罚决定书》（栾医保罚决〔2026〕3号）",
        "已于2026年11月24日送达你单位", "截至2026年12月14日",
        "加处罚款为人民币3,703.70元（大写：叁仟柒佰零叁元柒角整）", "至迟于2027年1月8日履行",
        "缴纳罚款人民币" + FINE, "合计人民币28,395.04元（大写：贰万捌仟叁佰玖拾伍元零肆分）", *ACCOUNT,
        "退回医疗保障基金人民币" + RETURN, *FUND_ACCOUNT, "加处罚款的数额不得超出罚款的数额",
        "有权进行陈述和申辩", "自收到本催告书之日起3个工作日内", "向栾川县人民法院申请强制执行",
        "第三十五条", "二〇二六年十二月二十一日", SEAL,
    ],
    "filing_approval": [
        "案号：栾医保罚案〔2026〕1号", "案由", "医疗保障经办机构移送", "91410324MA47T3Q8WY", "简要案情",
        "符合立案条件", "承办人意见", "建议立案调查。", "签名：赵志强、孙晓燕2026年8月1日", "审核意见",
        "同意立案。", "负责人审批", "签名：郑国华2026年8月3日",
    ],
    "legal_review_opinion": [
        "基金监管股：", "2026年11月10日送审的", "案号：栾医保罚案〔2026〕1号", "第五十八条",
        "一、执法主体。", "四、适用依据和裁量。", FINE, "审核意见：同意基金监管股提出的处理意见。",
        "审核结论：同意。", "栾川县医疗保障局法制审核股", "审核人：吴雅琴", "二〇二六年十一月十六日",
    ],
    "closing_approval": [
        "案号：栾医保罚案〔2026〕1号", "决定书文号栾医保罚决〔2026〕3号",
        "处理结果责令退回医疗保障基金12,345.67元，罚款24,691.34元。", "执行情况",
        "当事人已于2026年12月30日缴清罚款", "结案理由处罚决定已执行完毕。",
        "签名：赵志强2027年1月5日", "负责人审批", "签名：郑国华年月日",
    ],
    "inquiry_record": [
        "案号：栾医保罚案〔2026〕1号", "询问时间：2026年8月6日9时30分至11时05分（第1次询问）",
        "询问地点：栾川县医疗保障局二楼询问室", "询问人：赵志强执法证号：41032400123",
        "孙晓燕执法证号：41032400124", "记录人：孙晓燕", "被询问人：李红梅性别：女",
        "身份证号码：410324199006120025", "与本案关系：当事人的工作人员", "执法人员已出示执法证件。",
        "问：我们是栾川县医疗保障局的执法人员赵志强、孙晓燕", "你是否申请回避？", "答：听清楚了，不申请回避。",
        "答：没有了。", "以上笔录我已看过（或已向我宣读过），与我所说的相符。", "被询问人（签名）：",
        "被询问人签名：＿＿＿＿＿询问人签名：＿＿＿＿＿记录人签名：＿＿＿＿＿", "第1页共2页", "第2页共2页",
    ],
    "inspection_record": [
        "案号：栾医保罚案〔2026〕1号", "检查时间：2026年8月5日8时40分至11时20分",
        "检查地点：栾川县康泰医院有限公司康复理疗科、病案室", "检查人：赵志强执法证号：41032400123",
        "孙晓燕执法证号：41032400124", "被检查人：栾川县康泰医院有限公司", "王建国", "0379-66823456",
        "在场人员：王建国职务：法定代表人联系电话：13703790066", "李红梅职务：康复理疗科护士长",
        "执法人员已出示执法证件。", "检查情况：", "参保人员刘某等37人次的", "现场采取的措施：",
        "以上笔录已经本人核对，与现场检查情况一致。",
        "被检查人（在场人）签名：＿＿＿＿＿检查人签名：＿＿＿＿＿",
        "第1页共2页", "第2页共2页",
    ],
    "evidence_list": [
        "案号：栾医保罚案〔2026〕1号", "当事人：栾川县康泰医院有限公司",
        "序号证据名称证据种类来源取得方式收集人收集日期页数证明目的",
        "书证", "电子数据", "现场笔录", "视听资料", "证人证言", "李红梅询问笔录", "赵志强、孙晓燕2026年8月6日4",
        "IMG_0801.jpg", "0b7e55d2c9a14f3e", "本清单共列证据5项，书面材料共428页，附电子文件3个。",
        "制表人：赵志强", "制表日期：2026年9月20日", "第1页共1页",
    ],
}


@dataclass(frozen=True)
class Rendered:
    pdf: Path
    text: str  # pdftotext -layout, every whitespace removed
    fonts: list[list[str]]  # pdffonts rows, split on whitespace
    seconds: float


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Rendered]:
    """Renders a type on first use and keeps the result for the module."""
    folder = tmp_path_factory.mktemp("documents")
    cache: dict[str, Rendered] = {}

    def get(key: str) -> Rendered:
        if key not in cache:
            start = time.perf_counter()
            pdf = render_pdf(key, sample(key))
            seconds = time.perf_counter() - start
            path = folder / f"{key}.pdf"
            path.write_bytes(pdf)
            text = _squash(_run("pdftotext", "-layout", str(path), "-"))
            rows = _run("pdffonts", str(path)).splitlines()[2:]
            cache[key] = Rendered(path, text, [r.split() for r in rows], seconds)
        return cache[key]

    return get


def test_every_type_has_a_sample_and_expectations():
    assert set(sample_data.keys()) == set(DOC_TYPES) == set(EXPECTED)


def test_sample_identifiers_are_valid():
    assert uscc.is_valid(sample_data.ORG_USCC)
    assert ric.is_valid(sample_data.PERSON_ID)


@needs_poppler
@pytest.mark.parametrize("key", list(DOC_TYPES))
def test_pdf_states_the_required_elements(key: str, rendered: Callable[[str], Rendered]):
    doc, data = rendered(key), sample(key)
    doc_type = get_doc_type(key)
    wanted = [doc_type.title, data["agency"]["name"], *EXPECTED[key]]
    if doc_type.number_code:
        assert doc_type.number_code in data["doc_no"]
        wanted.append(data["doc_no"])
    missing = [w for w in wanted if _squash(w) not in doc.text]
    assert not missing, f"{key}: not in the PDF: {missing}\n{doc.text}"


@needs_poppler
def test_hearing_rights_only_where_entitled(rendered: Callable[[str], Rendered]):
    assert "要求举行听证的权利" not in rendered("penalty_notice").text
    assert "要求举行听证的权利" in rendered("hearing_rights_notice").text


@needs_poppler
@pytest.mark.parametrize("key", list(DOC_TYPES))
def test_fonts_are_embedded_and_subset(key: str, rendered: Callable[[str], Rendered]):
    fonts = rendered(key).fonts
    assert fonts, "no fonts listed"
    for row in fonts:
        name, emb, sub = row[0], row[-5], row[-4]
        assert (emb, sub) == ("yes", "yes"), row
        assert "CJK" in name, f"fallback font used (missing glyphs?): {row}"


@needs_poppler
@pytest.mark.parametrize("key", list(DOC_TYPES))
def test_page_one_preview(key: str, rendered: Callable[[str], Rendered]):
    doc = rendered(key)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                    str(doc.pdf), str(ARTIFACTS / key)], check=True)
    assert (ARTIFACTS / f"{key}.png").stat().st_size > 1000
    assert doc.seconds < 5, f"{key} took {doc.seconds:.2f}s to render"


# --- required fields -------------------------------------------------------------------------

def _remove(data: dict[str, Any], path: str) -> None:
    """Take the value at `path` away: a list after [*] is emptied, element 0 loses the last key."""
    tokens = re.findall(r"[^.\[\]]+|\[\*\]|\[\d+\]", path)
    node: Any = data
    for i, token in enumerate(tokens):
        last = i == len(tokens) - 1
        if token == "[*]":
            if last:
                node.clear()
                return
            node = node[0]
        elif last:
            node.pop(token, None)
        else:
            node = node[token]


def _required_cases() -> list[tuple[str, FieldSpec]]:
    return [(key, spec) for key, t in DOC_TYPES.items() for spec in t.required
            if spec.applies(sample(key))]


@pytest.mark.parametrize(("key", "spec"), _required_cases(),
                         ids=[f"{k}-{s.path}" for k, s in _required_cases()])
def test_each_missing_required_field_is_named(key: str, spec: FieldSpec):
    data = sample(key)
    _remove(data, spec.path)
    with pytest.raises(InvalidInput) as exc:
        render_html(key, data)
    err = exc.value
    assert err.code == "DOCUMENT_FIELDS_MISSING"
    assert f"缺少：{spec.label}" in err.details.values()
    assert spec.label in err.message


@pytest.mark.parametrize(("key", "change", "path", "label"), [
    ("penalty_decision", lambda d: d["agency"]["payment"].update(account="  "),
     "agency.payment.account", "罚没款缴款账户（国库）账号"),
    ("penalty_decision", lambda d: d["agency"]["fund_return"].update(account=""),
     "agency.fund_return.account", "医疗保障基金财政专户账号"),
    ("penalty_notice", lambda d: d.update(parties=[]), "parties[0].name", "当事人名称或姓名"),
    ("sealing_decision", lambda d: d["sealing"]["items"].append({"name": "处方", "quantity": None}),
     "sealing.items[3].quantity", "封存物品数量"),
    ("sealing_decision", lambda d: d["officers"].pop(), "officers[1].name", "执法人员姓名（至少两名）"),
    ("penalty_notice", lambda d: d.update(hearing_entitled=True),
     "hearing_request_days", "要求听证的期限"),
    ("service_receipt", lambda d: d["service"].pop("witness"), "service.witness", "见证人（留置送达）"),
])
def test_missing_values_are_reported_at_their_path(key, change, path, label):
    data = sample(key)
    change(data)
    assert (path, label) in missing_fields(get_doc_type(key), data)
    with pytest.raises(InvalidInput) as exc:
        render_pdf(key, data)
    assert exc.value.details[path] == f"缺少：{label}"


@pytest.mark.parametrize(("key", "change", "path"), [
    ("penalty_decision", lambda d: d["parties"][0].update(kind="org"), "parties[0].kind"),
    ("service_receipt", lambda d: d["service"].update(method="当面送达"), "service.method"),
    ("legal_review_opinion", lambda d: d["review"].update(conclusion="基本同意"), "review.conclusion"),
])
def test_values_outside_their_choices_are_refused(key, change, path):
    data = sample(key)
    change(data)
    with pytest.raises(InvalidInput) as exc:
        render_html(key, data)
    assert exc.value.code == "DOCUMENT_FIELDS_INVALID"
    assert list(exc.value.details) == [path]
    assert "应为：" in exc.value.message


def test_zero_and_false_are_values_not_gaps():
    data = sample("dunning_notice")
    data["dunning"]["late_fee"] = 0
    assert missing_fields(get_doc_type("dunning_notice"), data) == []
    data = sample("penalty_notice")
    assert data["hearing_entitled"] is False
    assert missing_fields(get_doc_type("penalty_notice"), data) == []


def test_service_without_witness_when_handed_over():
    data = sample("service_receipt")
    data["service"].update(method="直接送达", witness=None, refusal_reason=None)
    assert "见证人" not in render_html("service_receipt", data)


def _project(data: Any, paths: list[list[str]]) -> Any:
    """Only the values the required paths reach (what a minimal caller would send)."""
    if not paths or any(not p for p in paths):
        return data
    if isinstance(data, list):
        return [_project(item, [p[1:] for p in paths]) for item in data]
    out: dict[str, Any] = {}
    for head in dict.fromkeys(p[0] for p in paths):
        if head in data:
            out[head] = _project(data[head], [p[1:] for p in paths if p[0] == head])
    return out


@pytest.mark.parametrize("key", list(DOC_TYPES))
def test_only_required_fields_is_enough(key: str):
    """Every field the templates use beyond `required` is optional for real."""
    full = sample(key)
    specs = [s for s in get_doc_type(key).required if s.applies(full)]
    paths = [re.findall(r"[^.\[\]]+|\*", s.path) for s in specs]
    minimal = _project(full, paths)
    html = render_html(key, minimal)
    assert get_doc_type(key).title in html


def test_text_is_escaped():
    data = sample("penalty_notice")
    data["parties"][0]["name"] = "<b>某医院</b>"
    html = render_html("penalty_notice", data)
    assert "&lt;b&gt;某医院&lt;/b&gt;" in html and "<b>某医院" not in html


def test_unknown_type_is_not_found():
    with pytest.raises(NotFound) as exc:
        render_pdf("penalty_letter", {})
    assert exc.value.code == "DOCUMENT_TYPE_UNKNOWN"
    assert "penalty_letter" in exc.value.message
