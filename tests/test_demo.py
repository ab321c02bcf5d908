"""The README's main command: the demo seeds its agency and cases on an empty database — among them
a case of two violations whose 明细 are imported from .xlsx files, decided and served (issue 19)."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from sqlalchemy import select

from caseflow.cases.models import Case
from caseflow.db.session import unit_of_work
from caseflow.demo import runner
from caseflow.documents import snapshot
from caseflow.documents.models import Document
from caseflow.documents.renderer import render_pdf


def _text(pdf: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"—\d+—", "", "".join(text.split()))


def _decision(engine, case_no: str) -> str:
    with unit_of_work(engine, write=False) as s:
        case_id = s.scalar(select(Case.id).where(Case.case_no == case_no))
        doc = s.scalars(select(Document).where(Document.case_id == case_id,
                                               Document.doc_type == "penalty_decision")).one()
        return _text(render_pdf(doc.doc_type, snapshot.decode(doc.data)))


def test_demo_seeds_eight_cases_with_their_timelines(engine):
    numbers = runner.seed(engine)
    assert len(numbers) == 8
    rows = runner.timelines(engine)
    states = {no: summary.rsplit(" — ", 1)[1] for no, summary, _ in rows}
    assert states[numbers[0]] == "归档"
    assert states[numbers[1]] == "结案"
    assert states[numbers[2]] == "法制审核"
    assert "当场实施" in states[numbers[5]]
    assert states[numbers[6]] == "执行"  # two violations: its 决定书 served
    assert states[numbers[7]] == "执行"  # the time-barred case: its 行政处理决定书 served
    assert len(rows) == 9  # and the penalty case the sealing case was transferred into
    assert runner.demo_exists(engine)

    # The 决定书 of the two violations, read as text (《行政处罚法》第五十九条; 《条例》第四十条第一款):
    text = _decision(engine, numbers[6])
    for phrase in (
        # one block per violation: its period, conduct, amounts with the split by fund, rule and clause
        "（一）虚构医药服务项目。", "（二）诱导、协助他人冒名或者虚假就医、购药。",
        "经核算，违规费用共计人民币7,800.00元，骗取医疗保障基金人民币6,240.00元（其中职工医保基金",
        "违反了《医疗保障基金使用监督管理条例》第二十条的规定，属于《医疗保障基金使用监督管理条例》"
        "第四十条第一款第（三）项规定的虚构医药服务项目的情形",
        "违反了《医疗保障基金使用监督管理条例》第十五条第一款的规定",
        "第四十条第一款第（一）项规定的诱导、协助他人冒名或者虚假就医、购药的情形",
        # the short 明细 in the text, the long one annexed, patients masked
        "明细如下：", "王*梅", "违法明细见附件。", "附件：违法明细表（虚构医药服务项目，共24条）",
        # evidence with what it proves
        "营业执照复印件（书证，当事人提交），证明当事人的主体资格",
        "医疗保障定点医疗机构服务协议（书证，调取自栾川县医疗保障中心），证明当事人系定点医疗机构",
        # the discretion reasoning names the benchmark and its 条目, once
        "依据《河南省医疗保障行政处罚裁量基准》第1项，予以从轻处罚（骗取金额的2至3倍）。",
        # the arguments answered
        "当事人提出：冒名住院系患者家属自行持他人医保凭证办理", "不予采纳", "予以采纳",
        # penalties per violation, then the 合计
        "（一）对虚构医药服务项目的行为：1.责令退回人民币6,240.00元", "2.罚款人民币12,480.00元",
        "（二）对诱导、协助他人冒名或者虚假就医、购药的行为：1.责令退回人民币9,788.40元",
        "以上合计：责令退回医疗保障基金人民币16,028.40元", "并处罚款人民币32,056.80元",
    ):
        assert phrase in text, phrase
    assert "王小梅" not in text  # 参保人 never named in full
    assert text.count("予以从轻处罚") == 1
