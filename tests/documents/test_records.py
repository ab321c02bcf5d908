"""Documents as workflow records: issued by their step in its transaction with a gap-free 文号,
refused with the step when content is missing, immutable, versioned on correction, served with a
送达回证, rendered once after commit, and reproducible from their stored data."""

from __future__ import annotations

import hashlib
import io
import threading
from datetime import datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine, delete, select, text, update
from sqlalchemy.exc import DBAPIError

from caseflow.cases.document_acts import reissue_document
from caseflow.db.session import unit_of_work
from caseflow.demo.organisation import DEMO_SETTINGS
from caseflow.demo.scenarios import FULL_PATH
from caseflow.demo.walk import sh
from caseflow.documents import snapshot
from caseflow.documents.models import Delivery, Document, DocumentStatus
from caseflow.documents.service import (
    _store_pdf,
    documents_of,
    issue_document,
    pdf_of,
    render_pending,
    verify,
)
from caseflow.errors import InvalidInput, RuleViolation
from caseflow.numbering.service import current_number
from caseflow.org.models import Agency
from caseflow.org.service import set_agency_settings
from tests.helpers import Org, Runner, open_case, refused, through, walk
from tests.helpers import snapshot as case_snapshot


def _docs(engine: Engine, case_no: str) -> list[Document]:
    from caseflow.cases.service import get_case

    with unit_of_work(engine, write=False) as s:
        case = get_case(db_session=s, case_no=case_no)
        docs = documents_of(db_session=s, case_id=case.id)
        for d in docs:
            s.expunge(d)
        return docs


def _case_id(engine: Engine, case_no: str) -> int:
    from caseflow.cases.service import get_case

    with unit_of_work(engine, write=False) as s:
        return get_case(db_session=s, case_no=case_no).id


def test_walking_the_case_issues_each_document_in_its_step(engine: Engine, org: Org, runner: Runner) -> None:
    case_no = open_case(engine, org)
    walk(runner, case_no, FULL_PATH)
    docs = _docs(engine, case_no)
    issued = [(d.trigger, d.doc_type, d.doc_no) for d in docs]
    assert issued == [
        ("approve_filing", "filing_approval", None),
        ("record_inspection", "inspection_record", None),  # 《行政处罚法》第五十五条: 笔录 of each
        ("record_inquiry", "inquiry_record", None),  # inspection and inquiry
        ("conclude_investigation", "evidence_list", None),  # the 证据清单 the proposal rests on
        ("approve_legal_review", "legal_review_opinion", "栾医保审核〔2026〕1号"),
        ("serve_notice", "hearing_rights_notice", "栾医保听告〔2026〕1号"),  # 90,000 元 > 50,000: hearing
        ("serve_notice", "service_receipt", None),
        ("schedule_hearing", "hearing_summons", "栾医保听通〔2026〕1号"),
        ("schedule_hearing", "service_receipt", None),
        ("decide_penalty", "penalty_decision", "栾医保罚决〔2026〕1号"),
        ("serve_decision", "service_receipt", None),
        ("approve_closure", "closing_approval", None),
    ]
    from tests.helpers import events

    seq_of = {e.trigger: e.seq for e in events(engine, case_no)}
    assert all(d.event_seq == seq_of[d.trigger] for d in docs)
    assert all(d.status is DocumentStatus.pending and d.sha256 is None for d in docs)  # rendered after commit

    decision = next(d for d in docs if d.doc_type == "penalty_decision")
    data = snapshot.decode(decision.data)
    assert data["fine_total"] == snapshot.decode({"$decimal": "60000.00"})
    assert data["payment_due_days"] == 15 and data["agency"]["court"] == "栾川县人民法院"
    assert "栾医保听告〔2026〕1号" in data["procedure"]  # the notice served before, by its 文号
    (served,) = decision.deliveries
    assert served.method == "直接送达" and served.recipient == "刘某（法定代表人）"
    assert served.served_at == sh("2026-07-08 10:00") and served.server_names == ["王调查", "赵取证"]
    receipt = next(d for d in docs if d.id == served.receipt_id)
    assert snapshot.decode(receipt.data)["service"]["served_doc_no"] == "栾医保罚决〔2026〕1号"


def test_a_second_case_takes_the_next_number_of_each_type(engine: Engine, org: Org, runner: Runner) -> None:
    first, second = open_case(engine, org), open_case(engine, org)
    walk(runner, first, through("decide_penalty"))
    walk(runner, second, through("decide_penalty"))
    numbers = [d.doc_no for d in _docs(engine, second) if d.doc_no]
    assert numbers == ["栾医保审核〔2026〕2号", "栾医保听告〔2026〕2号", "栾医保听通〔2026〕2号",
                       "栾医保罚决〔2026〕2号"]


def test_missing_content_refuses_the_step_and_uses_no_number(engine: Engine, org: Org, runner: Runner) -> None:
    case_no = open_case(engine, org)
    walk(runner, case_no, through("approve_penalty"))
    with unit_of_work(engine) as s:
        agency = s.get(Agency, org.agency_id)
        set_agency_settings(db_session=s, agency=agency, raw={**DEMO_SETTINGS, "address": "", "phone": ""})
    before = case_snapshot(engine, case_no)
    serve = through("serve_notice")[-1]
    err = refused(engine, runner, case_no, "serve_notice", "gaozhi", serve.at, payload=serve.payload,
                  exc=InvalidInput, code="DOCUMENT_FIELDS_MISSING",
                  phrases=("《行政处罚听证告知书》缺少必填内容：行政机关地址、行政机关联系电话",))
    assert err.details == {"agency.address": "缺少：行政机关地址", "agency.phone": "缺少：行政机关联系电话"}
    assert case_snapshot(engine, case_no) == before
    assert [d.doc_type for d in _docs(engine, case_no)] == [
        "filing_approval", "inspection_record", "inquiry_record", "evidence_list", "legal_review_opinion"]
    with unit_of_work(engine, write=False) as s:
        assert current_number(db_session=s, agency_id=org.agency_id, kind="doc:听告", year=2026) == 0
    with unit_of_work(engine) as s:
        set_agency_settings(db_session=s, agency=s.get(Agency, org.agency_id), raw=DEMO_SETTINGS)
    assert runner.fire(case_no, "serve_notice", "gaozhi", serve.at, payload=serve.payload) == "notice"
    notice = next(d for d in _docs(engine, case_no) if d.doc_type == "hearing_rights_notice")
    assert notice.doc_no == "栾医保听告〔2026〕1号"


def test_hearing_summons_names_place_and_host_or_the_step_is_refused(engine: Engine, org: Org,
                                                                       runner: Runner) -> None:
    case_no = open_case(engine, org)
    walk(runner, case_no, through("request_hearing"))
    refused(engine, runner, case_no, "schedule_hearing", "shencha", "2026-06-17 09:00",
            payload={"hearing_date": "2026-07-06T09:00:00+08:00"}, exc=InvalidInput,
            code="INVALID_INPUT", phrases=("听证地点", "听证主持人"))  # the step's required inputs


def test_left_with_the_party_needs_a_witness_and_the_reason(engine: Engine, org: Org, runner: Runner) -> None:
    case_no = open_case(engine, org)
    walk(runner, case_no, through("decide_penalty"))
    at = "2026-07-08 10:00"
    err = refused(engine, runner, case_no, "serve_decision", "songda", at, payload={"method": "留置送达"},
                  exc=InvalidInput, code="SERVICE_DETAILS_INVALID")
    assert set(err.details) == {"witness", "refusal_reason"}
    runner.fire(case_no, "serve_decision", "songda", at, payload={
        "method": "留置送达", "witness": "刘某某（社区工作人员）", "refusal_reason": "法定代表人拒绝签收"})
    receipt = _docs(engine, case_no)[-1]
    service = snapshot.decode(receipt.data)["service"]
    assert (service["method"], service["witness"], service["refusal_reason"]) == (
        "留置送达", "刘某某（社区工作人员）", "法定代表人拒绝签收")


def test_pending_pdfs_are_rendered_once_and_reproduce_from_their_data(engine: Engine, org: Org,
                                                                       runner: Runner) -> None:
    case_no = open_case(engine, org)
    walk(runner, case_no, through("decide_penalty"))
    case_id = _case_id(engine, case_no)
    # 立案审批表, 现场检查笔录, 询问笔录, 证据清单, 审核意见书, 听证告知书+回证, 听证通知书+回证, 决定书
    assert render_pending(engine, case_id=case_id) == 10
    assert render_pending(engine, case_id=case_id) == 0
    decision = next(d for d in _docs(engine, case_no) if d.doc_type == "penalty_decision")
    _, pdf = pdf_of(engine, document_id=decision.id)
    assert decision.sha256 == hashlib.sha256(pdf).hexdigest() and decision.size == len(pdf)
    with unit_of_work(engine) as s:  # a second renderer losing the race stores nothing
        assert _store_pdf(s, decision.id, b"%PDF-other") is False
    assert verify(decision).ok
    words = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for expected in ("栾医保罚决〔2026〕1号", "测试医院", "60,000.00", "陆万元整", "栾川县人民政府",
                     "栾川县人民法院", "16-645101040000001"):
        assert expected in words.replace("\n", ""), expected


def test_documents_cannot_be_changed_or_deleted(engine: Engine, org: Org, runner: Runner) -> None:
    case_no = open_case(engine, org)
    walk(runner, case_no, through("approve_filing"))
    render_pending(engine, case_id=_case_id(engine, case_no))
    (doc,) = _docs(engine, case_no)
    with pytest.raises(RuntimeError, match="immutable"), unit_of_work(engine) as s:
        s.get(Document, doc.id).reason = "改一下"
    attempts = [
        update(Document).where(Document.id == doc.id).values(data={"facts": "改过的事实"}),
        update(Document).where(Document.id == doc.id).values(pdf=b"%PDF-forged", sha256="0" * 64),
        delete(Document).where(Document.id == doc.id),
    ]
    for stmt in attempts:  # the database refuses too, whatever the client
        with pytest.raises(DBAPIError), unit_of_work(engine) as s:
            s.execute(stmt.execution_options(synchronize_session=False))
    assert _docs(engine, case_no)[0].sha256 == doc.sha256


def test_deliveries_are_append_only(engine: Engine, org: Org, runner: Runner) -> None:
    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_notice"))
    for stmt in (update(Delivery).values(method="公告送达"), delete(Delivery)):
        with pytest.raises(DBAPIError), unit_of_work(engine) as s:
            s.execute(stmt.execution_options(synchronize_session=False))


def test_a_correction_is_a_new_version_with_the_same_number(engine: Engine, org: Org, runner: Runner) -> None:
    case_no = open_case(engine, org)
    walk(runner, case_no, through("decide_penalty"))
    decision = _docs(engine, case_no)[-1]
    with unit_of_work(engine) as s:
        with pytest.raises(RuleViolation) as wrong_post:
            reissue_document(db_session=s, document_id=decision.id, actor_id=org.users["lian"],
                             reason="笔误", corrections={})
        assert wrong_post.value.code == "POST_REQUIRED"
    with unit_of_work(engine) as s, pytest.raises(InvalidInput):
        reissue_document(db_session=s, document_id=decision.id, actor_id=org.users["jueding"],
                         reason=" ", corrections={})
    with unit_of_work(engine) as s:
        new = reissue_document(db_session=s, document_id=decision.id, actor_id=org.users["jueding"],
                               reason="当事人地址笔误", corrections={"parties": [
                                   {**snapshot.decode(decision.data)["parties"][0], "address": "栾川县城关镇2号"}]},
                               at=sh("2026-07-07 15:00"))
        new_id = new.id
    docs = _docs(engine, case_no)
    old, new = docs[-2], docs[-1]
    assert (old.id, new.id) == (decision.id, new_id)
    assert (new.doc_no, new.version, new.supersedes_id, new.series) == (old.doc_no, 2, old.id, old.series)
    assert snapshot.decode(new.data)["parties"][0]["address"] == "栾川县城关镇2号"
    assert snapshot.decode(old.data)["parties"][0]["address"] == "栾川县城关镇1号"  # the old one is kept
    from tests.helpers import events

    last = events(engine, case_no)[-1]
    assert (last.trigger, last.opinion, last.actor_name) == ("reissue_document", "当事人地址笔误", "孙决定")
    assert new.event_seq == last.seq
    with unit_of_work(engine) as s, pytest.raises(RuleViolation) as stale:
        reissue_document(db_session=s, document_id=old.id, actor_id=org.users["jueding"], reason="再改")
    assert stale.value.code == "DOCUMENT_SUPERSEDED"


def test_concurrent_issuers_never_share_or_skip_a_number(engine: Engine, org: Org) -> None:
    """Eight officers issue a 决定书 at the same moment, on eight cases; one more fails and rolls back."""
    cases = [open_case(engine, org) for _ in range(9)]
    ids = [_case_id(engine, c) for c in cases]
    start = threading.Barrier(9)
    errors: list[BaseException] = []

    def issue(case_id: int, fail: bool) -> None:
        try:
            start.wait()
            with unit_of_work(engine) as s:
                agency = s.get(Agency, org.agency_id)
                issue_document(
                    db_session=s, case_id=case_id, agency=agency, doc_type="hearing_summons",
                    data=_summons_data(), trigger="schedule_hearing", event_seq=1,
                    at=sh("2026-06-17 09:00"), actor_id=None, actor_name="测试",
                )
                if fail:
                    raise RuntimeError("the step failed after numbering")
        except RuntimeError:
            pass
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=issue, args=(cid, i == 4)) for i, cid in enumerate(ids)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with unit_of_work(engine, write=False) as s:
        numbers = sorted(s.scalars(select(Document.doc_no).where(Document.doc_type == "hearing_summons")))
        assert current_number(db_session=s, agency_id=org.agency_id, kind="doc:听通", year=2026) == 8
    assert sorted(numbers, key=lambda n: int(n.split("〕")[1][:-1])) == [
        f"栾医保听通〔2026〕{n}号" for n in range(1, 9)]


def _summons_data() -> dict[str, object]:
    return {
        "issued_on": sh("2026-06-17 09:00").date(),
        "agency": {"name": "栾川县医疗保障局", "address": "栾川县", "phone": "0379-1"},
        "case": {"case_no": "x", "cause": "测试"},
        "parties": [{"kind": "organisation", "name": "测试医院", "identifier": "91410324MA47T3Q8WY"}],
        "hearing": {"held_on": datetime.fromisoformat("2026-07-06T09:00:00+08:00"), "place": "会议室",
                    "host": "陈审核"},
    }


def test_sqlite_and_postgres_triggers_exist(engine: Engine) -> None:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            names = set(conn.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
            assert {"documents_no_update", "documents_no_delete", "deliveries_no_update"} <= names
        else:
            names = set(conn.scalars(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")))
            assert {"documents_immutable", "deliveries_append_only"} <= names


def test_a_corrected_decision_is_served_again_with_its_own_receipt(engine: Engine, org: Org,
                                                                     runner: Runner) -> None:
    from caseflow.cases.document_acts import deliver_document
    from tests.helpers import events

    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_decision"))
    decision = next(d for d in _docs(engine, case_no) if d.doc_type == "penalty_decision")
    with unit_of_work(engine) as s:
        v2 = reissue_document(db_session=s, document_id=decision.id, actor_id=org.users["jueding"],
                              reason="金额大写笔误", at=sh("2026-07-09 09:00")).id
    with unit_of_work(engine) as s, pytest.raises(RuleViolation) as not_server:
        deliver_document(db_session=s, document_id=v2, actor_id=org.users["lian"], payload={})
    assert "送达岗" in not_server.value.message
    with unit_of_work(engine) as s:
        # Entered when the 回执 came back: 邮寄送达 is served on the day signed for (民诉法第九十一条).
        deliver_document(db_session=s, document_id=v2, actor_id=org.users["songda"], at=sh("2026-07-13 10:00"),
                         payload={"method": "邮寄送达", "signed_at": "2026-07-11T15:00:00+08:00",
                                  "service_note": "EMS 1234567890"})
    docs = _docs(engine, case_no)
    corrected = next(d for d in docs if d.id == v2)
    (served,) = corrected.deliveries
    assert (served.method, served.served_at, served.recipient) == ("邮寄送达", sh("2026-07-11 15:00"), "测试医院")
    receipt = next(d for d in docs if d.id == served.receipt_id)
    assert snapshot.decode(receipt.data)["service"]["served_doc_no"] == corrected.doc_no
    assert len(next(d for d in docs if d.id == decision.id).deliveries) == 1  # the first service stays
    assert events(engine, case_no)[-1].trigger_name == "送达行政处罚决定书"
    with unit_of_work(engine) as s, pytest.raises(RuleViolation) as old_version:  # only the current one
        deliver_document(db_session=s, document_id=decision.id, actor_id=org.users["songda"], payload={})
    assert old_version.value.code == "DOCUMENT_SUPERSEDED" and "第2版" in old_version.value.message
    assert len(next(d for d in _docs(engine, case_no) if d.id == decision.id).deliveries) == 1


def test_a_decision_not_yet_served_by_its_step_cannot_be_delivered_aside(engine: Engine, org: Org,
                                                                          runner: Runner) -> None:
    """The first service of the 决定书 is the 送达 step (it moves the case on and starts 履行期限);
    a separate delivery is only for serving it again."""
    from caseflow.cases.document_acts import deliver_document
    from tests.helpers import events

    case_no = open_case(engine, org)
    walk(runner, case_no, through("decide_penalty"))
    decision = next(d for d in _docs(engine, case_no) if d.doc_type == "penalty_decision")
    before = len(events(engine, case_no))
    with unit_of_work(engine) as s, pytest.raises(RuleViolation) as refused:
        deliver_document(db_session=s, document_id=decision.id, actor_id=org.users["songda"], payload={})
    assert refused.value.code == "DOCUMENT_NOT_YET_SERVED" and "送达处罚决定书" in refused.value.message
    assert not next(d for d in _docs(engine, case_no) if d.id == decision.id).deliveries
    assert len(events(engine, case_no)) == before
