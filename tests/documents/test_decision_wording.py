"""Wording a 法制审核 reviewer accepts in a 决定书: an article quoted in full in the law's own words (or
paraphrased without quotation marks — never a cut quotation), the statute's terms in the 案由, no
telephone of the party in a decision that may be published (《行政处罚法》第四十八条), and the agency's
own contact."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import select

from caseflow.db.session import unit_of_work
from caseflow.documents import snapshot
from caseflow.documents.models import Document
from caseflow.documents.renderer import render_pdf
from tests.documents.sample_data import sample
from tests.helpers import HOSPITAL, Runner, case_row, open_case, through, walk

ARTICLE_40 = ("定点医药机构通过下列方式骗取医疗保障基金支出的，由医疗保障行政部门责令退回，处骗取金额2倍以上5倍以下的罚款；"
              "责令定点医药机构暂停相关责任部门6个月以上1年以下涉及医疗保障基金使用的医药服务，直至由医疗保障经办机构解除服务协议；"
              "有执业资格的，由有关主管部门依法吊销执业资格：（一）诱导、协助他人冒名或者虚假就医、购药，提供虚假证明材料，"
              "或者串通他人虚开费用单据；（二）伪造、变造、隐匿、涂改、销毁医学文书、医学证明、会计凭证、电子信息等有关资料；"
              "（三）虚构医药服务项目；（四）其他骗取医疗保障基金支出的行为。")


def _text(pdf: bytes) -> str:
    return "".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")


def test_the_decision_quotes_the_article_whole_and_leaves_out_the_partys_phone(engine, org):
    runner = Runner(engine, org, reload=True)
    case_no = open_case(engine, org, title="某医院虚构诊疗项目骗取医保基金案",
                        party={**HOSPITAL, "phone": "0379-66800001"})
    walk(runner, case_no, through("decide_penalty"))
    with unit_of_work(engine, write=False) as s:
        doc = s.scalar(select(Document).where(Document.case_id == case_row(engine, case_no).id,
                                              Document.doc_type == "penalty_decision"))
        data = snapshot.decode(doc.data)
    assert data["bases"] == [{"citation": "《医疗保障基金使用监督管理条例》第四十条第一款", "text": ARTICLE_40,
                              "quoted": True}]
    assert data["case"]["cause"] == "某医院虚构诊疗项目骗取医疗保障基金"
    text = _text(render_pdf("penalty_decision", data))
    assert "第四十条第一款规定：“" + ARTICLE_40[:20] in text and "其他骗取医疗保障基金支出的行为。”" in text
    phone = data["parties"][0].get("phone")
    assert phone and phone not in text  # the party's telephone stays out of a decision
    assert f"联系电话：{data['agency']['phone']}" in text


def test_an_officers_wording_is_a_paraphrase_not_a_quotation():
    data = sample("penalty_decision")
    data["bases"] = [{"citation": "《某省医疗保障条例》第十条", "text": "处违法金额1倍的罚款", "quoted": False}]
    text = _text(render_pdf("penalty_decision", data))
    assert "《某省医疗保障条例》第十条规定，处违法金额1倍的罚款。" in text and "“处违法金额" not in text
