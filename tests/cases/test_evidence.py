"""证据材料 (《行政处罚法》第四十六条) and the 笔录 made in caseflow (第四十二条、第五十五条): evidence is
collected while the case is under investigation, by its officers, from files judged by their
content; it is never changed or deleted, only withdrawn with a reason; the 决定书 states the items
the officer relied on; a 笔录 needs two officers with valid 执法证 who showed them."""

from __future__ import annotations

import io
import os
import random
from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from caseflow.cases import evidence_acts
from caseflow.cases.evidence import evidence_of
from caseflow.config import get_settings
from caseflow.db.session import unit_of_work
from caseflow.documents import snapshot
from caseflow.documents.models import Document
from caseflow.errors import InvalidInput, RuleViolation
from caseflow.evidence.models import EvidenceFile, EvidenceItem, StoredChunk, StoredFile
from caseflow.evidence.storage import CHUNK_SIZE, default_store
from caseflow.demo.scenarios import INQUIRY
from tests.helpers import Org, Runner, case_row, events, open_case, refused, sh, through, walk

ITEM = {"kind": "书证", "title": "住院病历12份", "source": "调取自栾川县康宁医院病案室", "obtained_by": "复制",
        "collected_on": "2026-06-05", "proves": "证明当事人虚构康复理疗项目的事实"}


def png(seed: int = 0) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (seed % 256, 80, 120)).save(buf, "PNG")
    return buf.getvalue()


def pdf() -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(595, 842)
    w.add_blank_page(595, 842)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + os.urandom(200)


@pytest.fixture
def investigating(engine: Engine, org: Org) -> tuple[str, Runner]:
    runner = Runner(engine, org, reload=True)
    case_no = open_case(engine, org)
    walk(runner, case_no, through("start_investigation"))
    return case_no, runner


def add(engine: Engine, org: Org, case_no: str, user: str = "diaocha1", payload=None, files=(), at="2026-06-05 10:00"):
    uploads = [evidence_acts.Upload(name=n, source=io.BytesIO(b), description=d) for n, b, d in files]
    with unit_of_work(engine) as s:
        item = evidence_acts.add_evidence(db_session=s, case_no=case_no, actor_id=org.users[user],
                                          payload=payload or ITEM, uploads=uploads, at=sh(at))
        return item.seq


def counts(engine: Engine) -> tuple[int, int, int, int]:
    with unit_of_work(engine, write=False) as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in
                     (EvidenceItem, EvidenceFile, StoredFile, StoredChunk))  # type: ignore[return-value]


def test_an_officer_registers_evidence_with_its_files_stored_once_by_content(engine, org, investigating):
    case_no, _ = investigating
    photo = png(1)
    seq = add(engine, org, case_no, files=[("病历第1页.png", photo, "病历首页"), ("扫描件.pdf", pdf(), None),
                                         ("同一张照片.png", photo, None)])
    assert seq == 1
    with unit_of_work(engine, write=False) as s:
        (view,) = evidence_of(s, case_row(engine, case_no).id)
        assert (view.item.kind, view.item.collectors, view.item.collected_on) == ("书证", ["王调查", "赵取证"], date(2026, 6, 5))
        assert [(f.filename, f.mime, f.pages) for f in view.files] == [
            ("病历第1页.png", "image/png", 1), ("扫描件.pdf", "application/pdf", 2), ("同一张照片.png", "image/png", 1)]
        assert view.pages == 4  # counted from the files when none is given
        assert s.scalar(select(func.count()).select_from(StoredFile)) == 2  # the photo stored once
        assert default_store().read(s, view.files[0].sha256) == photo
    last = events(engine, case_no)[-1]
    assert last.trigger == "add_evidence" and last.payload["seq"] == 1 and len(last.payload["files"]) == 3


def test_a_large_file_is_stored_and_read_back_in_chunks(engine, org, investigating):
    case_no, _ = investigating
    # a PDF, larger than three chunks: the bytes after its %%EOF are a fixed pseudo-random tail (random
    # bytes could hold something pypdf takes for a cross-reference and refuse the file now and then)
    big = pdf() + random.Random(93).randbytes(3 * CHUNK_SIZE + 5)
    add(engine, org, case_no, payload={**ITEM, "kind": "电子数据", "title": "结算数据导出"},
        files=[("结算数据.pdf", big, None)])
    with unit_of_work(engine, write=False) as s:
        (f,) = evidence_of(s, case_row(engine, case_no).id)[0].files
        pieces = list(default_store().chunks(s, f.sha256))
    assert [len(p) for p in pieces] == [CHUNK_SIZE] * 3 + [len(big) - 3 * CHUNK_SIZE]
    assert b"".join(pieces) == big


@pytest.mark.parametrize(("name", "content", "code"), [
    ("照片.jpg", ELF, "FILE_TYPE_NOT_ALLOWED"),  # an executable renamed: judged by its bytes
    ("空.pdf", b"", "FILE_EMPTY"),
    ("坏图.png", png()[:60], "FILE_UNREADABLE"),  # a PNG cut short cannot be printed in the 案卷
])
def test_a_bad_file_is_refused_by_its_content_and_leaves_nothing(engine, org, investigating, name, content, code):
    case_no, _ = investigating
    before = counts(engine)
    with pytest.raises(InvalidInput) as err:
        add(engine, org, case_no, files=[("好的.png", png(2), None), (name, content, None)])
    assert err.value.code == code and name in err.value.message
    assert counts(engine) == before  # not the item, not the good file before it
    assert events(engine, case_no)[-1].trigger == "start_investigation"


def test_size_limits_per_file_and_per_case(engine, org, investigating, monkeypatch):
    case_no, _ = investigating
    monkeypatch.setattr(get_settings(), "evidence_max_file_mib", 1)
    monkeypatch.setattr(get_settings(), "evidence_max_case_mib", 2)
    with pytest.raises(InvalidInput) as err:
        add(engine, org, case_no, files=[("大.pdf", pdf() + b"0" * (CHUNK_SIZE + 1), None)])
    assert err.value.code == "FILE_TOO_LARGE" and "1MB" in err.value.message
    add(engine, org, case_no, files=[("一.pdf", pdf() + b"1" * (CHUNK_SIZE - 2000), None)])
    with pytest.raises(InvalidInput) as err:
        add(engine, org, case_no, files=[("二.pdf", pdf() + b"2" * (CHUNK_SIZE - 2000), None),
                                         ("三.pdf", pdf() + b"3" * (CHUNK_SIZE - 2000), None)])
    assert err.value.code == "CASE_FILES_TOO_LARGE"


def test_only_the_cases_officers_collect_and_only_under_investigation(engine, org):
    runner = Runner(engine, org, reload=True)
    case_no = open_case(engine, org)
    walk(runner, case_no, through("approve_filing")[:1])  # 立案审批 pending
    with pytest.raises(RuleViolation) as err:
        add(engine, org, case_no)
    assert err.value.code == "EVIDENCE_CLOSED" and "立案审批" in err.value.message
    walk(runner, case_no, through("start_investigation")[1:])
    with pytest.raises(RuleViolation) as err:
        add(engine, org, case_no, user="shencha")  # the 法制审核 reviewer is not an investigator of it
    assert err.value.code == "EVIDENCE_NOT_OFFICER"
    walk(runner, case_no, through("conclude_investigation")[len(through("start_investigation")):])
    with pytest.raises(RuleViolation) as err:
        add(engine, org, case_no)  # 先取证、后裁决: after 调查终结, only by 补充调查
    assert err.value.code == "EVIDENCE_CLOSED" and "补充调查" in err.value.message
    runner.fire(case_no, "resume_investigation", "diaocha1", "2026-06-10 15:00", opinion="补充调取结算明细。")
    assert add(engine, org, case_no, at="2026-06-10 16:00") == 3  # after the two 笔录


def test_withdrawal_keeps_the_item_with_its_reason(engine, org, investigating):
    case_no, _ = investigating
    add(engine, org, case_no, files=[("误传.png", png(3), None)])
    with unit_of_work(engine) as s, pytest.raises(InvalidInput):
        evidence_acts.withdraw_evidence(db_session=s, case_no=case_no, seq=1, actor_id=org.users["diaocha1"],
                                        reason="  ")
    with unit_of_work(engine) as s:
        evidence_acts.withdraw_evidence(db_session=s, case_no=case_no, seq=1, actor_id=org.users["diaocha1"],
                                        reason="上传错误，系他案材料", at=sh("2026-06-05 11:00"))
    with unit_of_work(engine) as s, pytest.raises(RuleViolation) as err:
        evidence_acts.withdraw_evidence(db_session=s, case_no=case_no, seq=1, actor_id=org.users["diaocha1"],
                                        reason="再次")
    assert err.value.code == "EVIDENCE_WITHDRAWN"
    with unit_of_work(engine, write=False) as s:
        (view,) = evidence_of(s, case_row(engine, case_no).id)
        assert view.withdrawn is not None and view.withdrawn.reason == "上传错误，系他案材料"
        assert evidence_of(s, case_row(engine, case_no).id, include_withdrawn=False) == []
        item = s.get(EvidenceItem, view.item.id)
        item.title = "改名"
        with pytest.raises(RuntimeError, match="never changed"):
            s.flush()
        s.rollback()
    assert events(engine, case_no)[-1].opinion == "上传错误，系他案材料"


def record(**changes):
    return {**INQUIRY, "acted_at": "2026-06-04 09:00", "ended_at": "2026-06-04 10:00", **changes}


def test_a_record_needs_two_officers_who_showed_their_credentials(engine, org, investigating):
    case_no, runner = investigating
    refused(engine, runner, case_no, "record_inquiry", "diaocha1", "2026-06-04 11:00",
            payload=record(persons=["王调查"]), code="RECORD_OFFICERS_INVALID", phrases=("只有1人",))
    refused(engine, runner, case_no, "record_inquiry", "diaocha1", "2026-06-04 11:00",
            payload=record(persons=["王调查", "陈审核"]), code="RECORD_OFFICERS_INVALID",
            phrases=("陈审核不是本案当日持有效执法证件的承办人员",))
    refused(engine, runner, case_no, "record_inquiry", "diaocha1", "2026-06-04 11:00",
            payload=record(credentials_shown=False), code="CREDENTIALS_NOT_SHOWN", phrases=("第五十五条",))
    refused(engine, runner, case_no, "record_inquiry", "diaocha1", "2026-06-04 11:00",
            payload=record(ended_at="2026-06-04 08:00"), code="ACT_TIME_OUT_OF_ORDER")
    refused(engine, runner, case_no, "record_inquiry", "diaocha1", "2026-06-04 11:00",
            payload=record(qa=[{"q": "问题", "a": ""}]), exc=InvalidInput, code="INVALID_INPUT")


@pytest.mark.parametrize(("role", "kind"), [("当事人的法定代表人或负责人", "当事人的陈述"), ("证人", "证人证言")])
def test_a_record_becomes_evidence_of_the_kind_the_law_names(engine, org, investigating, role, kind):
    case_no, runner = investigating
    runner.fire(case_no, "record_inquiry", "diaocha1", "2026-06-04 11:00", payload=record(person_role=role))
    with unit_of_work(engine, write=False) as s:
        (view,) = evidence_of(s, case_row(engine, case_no).id)
        doc = s.get(Document, view.item.document_id)
        data = snapshot.decode(doc.data)["record"]
    assert (view.item.kind, view.item.obtained_by, doc.doc_type) == (kind, "询问", "inquiry_record")
    assert [o["credential_no"] for o in data["officers"]] == ["豫41032026002", "豫41032026003"]
    assert data["person"]["name"] == "刘某" and data["qa"][1]["a"].startswith("没有实际提供")


def test_the_decision_states_the_evidence_chosen_at_the_conclusion(engine, org, investigating):
    case_no, runner = investigating
    add(engine, org, case_no)  # 1
    add(engine, org, case_no, payload={**ITEM, "title": "营业执照复印件", "proves": "证明当事人的主体资格"})  # 2
    add(engine, org, case_no, payload={**ITEM, "title": "无关材料", "proves": None})  # 3
    conclude = through("conclude_investigation")[-1]
    refused(engine, runner, case_no, "conclude_investigation", "diaocha1", conclude.at,
            payload={**conclude.payload, "relied_on": [1, 9]}, code="EVIDENCE_NOT_REGISTERED",
            phrases=("第9号不存在或已撤回",))
    runner.fire(case_no, "conclude_investigation", "diaocha1", conclude.at,
                payload={**conclude.payload, "relied_on": "1、2"})
    row = case_row(engine, case_no)
    assert row.relied_evidence == [1, 2]
    assert row.evidence.splitlines() == [
        "住院病历12份（书证，调取自栾川县康宁医院病案室），证明当事人虚构康复理疗项目的事实",
        "营业执照复印件（书证，调取自栾川县康宁医院病案室），证明当事人的主体资格"]
    with unit_of_work(engine, write=False) as s:
        listing = s.scalar(select(Document).where(Document.case_id == row.id, Document.doc_type == "evidence_list"))
        assert [i["title"] for i in snapshot.decode(listing.data)["evidence_list"]["items"]] == [
            "住院病历12份", "营业执照复印件", "无关材料"]


def test_evidence_is_collected_by_the_cases_officers_on_a_day_that_has_come(engine, org, investigating):
    case_no, _ = investigating
    before = counts(engine)
    with pytest.raises(InvalidInput) as err:
        add(engine, org, case_no, payload={**ITEM, "collectors": ["王调查", "路人甲"]})
    assert err.value.details == {"collectors": "路人甲不是本案的承办人员（本案：王调查、赵取证）"}
    with pytest.raises(InvalidInput) as err:
        add(engine, org, case_no, payload={**ITEM, "collected_on": "2026-06-06"}, at="2026-06-05 10:00")
    assert err.value.details == {"collected_on": "收集日期晚于今天"}
    assert counts(engine) == before


def test_the_review_expects_the_partys_licence_and_its_service_agreement(engine, org, investigating):
    """A 定点医药机构's case file proves who the party is and that it is a 定点 one (issue 19 §3)."""
    from caseflow.cases.file_review import review_case_file

    case_no, _ = investigating  # item 004-05: 对定点医药机构骗取医疗保障基金支出的处罚
    add(engine, org, case_no)  # 住院病历: neither

    def codes() -> set[str]:
        with unit_of_work(engine, write=False) as s:
            from caseflow.cases.lookup import get_case

            return {f.code for f in review_case_file(s, get_case(db_session=s, case_no=case_no))}

    assert {"PARTY_IDENTITY_MISSING", "SERVICE_AGREEMENT_MISSING"} <= codes()
    add(engine, org, case_no, payload={**ITEM, "title": "医疗机构执业许可证复印件"})
    assert "PARTY_IDENTITY_MISSING" not in codes() and "SERVICE_AGREEMENT_MISSING" in codes()
    add(engine, org, case_no, payload={**ITEM, "title": "医疗保障定点医疗机构服务协议"})
    assert "SERVICE_AGREEMENT_MISSING" not in codes()
