"""The 案卷 bound at 归档 (《行政处罚法》第四十七条: 全过程记录，归档保存): every document and every
piece of evidence in force, in binding order, with a 卷内目录 whose 页号 are the bound pages' own;
stored once with its SHA-256, reproducible; and 批准结案 refused while the 评查 finds something the
case must still put right."""

from __future__ import annotations

import hashlib
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine, select

from caseflow.casefile.models import CaseFile
from caseflow.casefile.service import bind_pending, case_file, preview_case_file
from caseflow.cases import evidence_acts
from caseflow.cases.document_acts import deliver_document, reissue_document
from caseflow.db.session import unit_of_work
from caseflow.documents.models import Document
from caseflow.errors import RuleViolation
from tests.cases.test_evidence import ITEM, pdf, png
from tests.helpers import Org, Runner, case_row, open_case, sh, through, walk

pytestmark = pytest.mark.slow


def with_evidence(engine: Engine, org: Org) -> tuple[str, Runner]:
    runner = Runner(engine, org, reload=True)
    case_no = open_case(engine, org)
    walk(runner, case_no, through("record_inquiry"))
    for payload, files in (
        ({**ITEM, "title": "营业执照复印件", "proves": "证明当事人的主体资格"}, [("执照.png", png(5))]),
        (ITEM, [("病历.pdf", pdf())]),
        ({**ITEM, "kind": "视听资料", "title": "现场照片", "obtained_by": "拍照"}, [("照片一.png", png(6)), ("照片二.png", png(7))]),
        ({**ITEM, "title": "误登记的材料"}, [("误传.png", png(8))]),
    ):
        with unit_of_work(engine) as s:
            evidence_acts.add_evidence(db_session=s, case_no=case_no, actor_id=org.users["diaocha1"], payload=payload,
                                       uploads=[evidence_acts.Upload(n, io.BytesIO(b)) for n, b in files],
                                       at=sh("2026-06-05 10:00"))
    with unit_of_work(engine) as s:
        evidence_acts.withdraw_evidence(db_session=s, case_no=case_no, seq=6, actor_id=org.users["diaocha1"],
                                        reason="系他案材料", at=sh("2026-06-05 11:00"))
    return case_no, runner


def stamped_number(page) -> str:  # noqa: ANN001 - a pypdf page
    """The text printed in the top band of the page (where the 页号 is stamped)."""
    top = float(page.mediabox.top)
    found: list[str] = []

    def visit(text, cm, tm, font, size):  # noqa: ANN001
        y = tm[5] * cm[3] + cm[5]
        if text.strip() and y > top - 60:
            found.append(text.strip())

    page.extract_text(visitor_text=visit)
    return " ".join(found)


def test_the_contents_page_numbers_are_the_bound_pages(engine: Engine, org: Org) -> None:
    case_no, runner = with_evidence(engine, org)
    walk(runner, case_no, through("archive")[len(through("record_inquiry")):])
    row = case_row(engine, case_no)
    assert row.archive_no == "2026-0001"
    assert bind_pending(engine, case_id=row.id) == 1
    assert bind_pending(engine, case_id=row.id) == 0  # bound once
    (volume,) = case_file(engine, case_no=case_no)
    assert hashlib.sha256(volume.pdf).hexdigest() == volume.sha256
    reader = PdfReader(io.BytesIO(volume.pdf))
    with unit_of_work(engine, write=False) as s:
        stored = s.scalar(select(CaseFile).where(CaseFile.case_id == row.id))
        numbered, contents = stored.numbered_pages, stored.contents
    assert len(reader.pages) == volume.pages
    before = len(reader.pages) - numbered - 1  # 封面 and 卷内目录 precede page 1; the 备考表 is last
    text = [p.extract_text() or "" for p in reader.pages]
    assert "卷内目录" in text[1].replace(" ", "") and "备考表" in text[-1].replace(" ", "") and "系他案材料" in text[-1]
    titles = [c["title"] for c in contents]
    assert titles[0] == "立案审批表" and "行政处罚决定书" in titles
    assert titles.index("送达回证", titles.index("行政处罚决定书")) == titles.index("行政处罚决定书") + 1
    assert not any("误登记的材料" in t for t in titles)  # withdrawn: not bound
    assert contents[-1]["last_page"] == numbered
    for c in contents:  # each entry starts on the page the 目录 says, which carries that number
        page = text[before + c["first_page"] - 1]
        assert stamped_number(reader.pages[before + c["first_page"] - 1]) == str(c["first_page"]), c
        head = c["title"].split("：", 1)[-1].split("（")[0]
        if not c["title"].startswith("证据"):
            assert head.replace(" ", "") in page.replace(" ", ""), (c, page[:200])
        assert c["first_page"] <= c["last_page"]
    decision = next(c for c in contents if c["title"] == "行政处罚决定书")
    assert decision["doc_no"] == "栾医保罚决〔2026〕1号"


def test_binding_is_reproducible(engine: Engine, org: Org) -> None:
    case_no, _ = with_evidence(engine, org)
    first, again = preview_case_file(engine, case_no=case_no), preview_case_file(engine, case_no=case_no)
    assert first[0].pdf == again[0].pdf and "预览" in (PdfReader(io.BytesIO(first[0].pdf)).pages[0].extract_text() or "")


def test_closure_waits_until_the_corrected_decision_is_served(engine: Engine, org: Org) -> None:
    runner = Runner(engine, org, reload=True)
    case_no = open_case(engine, org)
    walk(runner, case_no, through("record_performance"))
    with unit_of_work(engine) as s:
        decision = s.scalar(select(Document).where(Document.case_id == case_row(engine, case_no).id,
                                                   Document.doc_type == "penalty_decision"))
        new = reissue_document(db_session=s, document_id=decision.id, actor_id=org.users["jueding"],
                               reason="笔误", corrections={"facts": "更正后的违法事实。"}, at=sh("2026-07-20 15:00"))
        new_id = new.id
    with pytest.raises(RuleViolation) as err:
        runner.fire(case_no, "approve_closure", "juzhang", "2026-07-21 09:00")
    assert err.value.code == "CASEFILE_INCOMPLETE" and "第2版" in err.value.message and "送达回证" in err.value.message
    with unit_of_work(engine) as s:
        deliver_document(db_session=s, document_id=new_id, actor_id=org.users["songda"],
                         payload={"method": "直接送达", "recipient": "刘某（法定代表人）"}, at=sh("2026-07-21 10:00"))
    assert runner.fire(case_no, "approve_closure", "juzhang", "2026-07-21 11:00") == "closed"


def test_a_signed_record_is_bound_as_signed(engine: Engine, org: Org) -> None:
    """The 笔录 in the 案卷 is the one the person asked signed: its uploaded scan, once there is one."""
    runner = Runner(engine, org, reload=True)
    case_no = open_case(engine, org)
    walk(runner, case_no, through("record_inquiry"))  # 证据1 现场检查笔录, 证据2 询问笔录
    with unit_of_work(engine) as s:
        evidence_acts.attach_files(db_session=s, case_no=case_no, seq=2, actor_id=org.users["diaocha1"],
                                   uploads=[evidence_acts.Upload("询问笔录签名件.pdf", io.BytesIO(pdf()))],
                                   at=sh("2026-06-05 10:00"))
    (volume,) = preview_case_file(engine, case_no=case_no)
    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(volume.pdf)).pages[1:3])
    assert "询问笔录（刘某）（签名件）" in text.replace("\n", "").replace(" ", "")
