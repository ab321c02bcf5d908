"""延长封存期限决定书 (行政强制法 第二十五条第二款: the extension is told to the party in writing,
with the reasons): issued by `extend_sealing` in its transaction with its own 文号, stating the
封存决定书 it extends, the term decided, the extension and the new last day as the deadline engine
counts it and the head's reasons; served with a 送达回证; a missing required field refuses the step
and leaves everything as it was."""

from __future__ import annotations

import copy
import io
import re
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine

from caseflow.db.session import unit_of_work
from caseflow.demo.organisation import DEMO_SETTINGS
from caseflow.demo.scenarios import ONSITE
from caseflow.demo.walk import Step, sh
from caseflow.documents import snapshot
from caseflow.documents.fields import missing_fields
from caseflow.documents.models import Document, DocumentStatus
from caseflow.documents.renderer import render_html
from caseflow.documents.service import documents_of, pdf_of, render_pending, verify
from caseflow.documents.types import get_doc_type
from caseflow.errors import InvalidInput
from caseflow.numbering.service import current_number
from caseflow.org.models import Agency
from caseflow.org.service import set_agency_settings
from caseflow.workflow.registry import get_library
from tests.helpers import Org, Runner, case_row, deadlines, events, open_case, refused, walk

ONSITE_ONLY = {k: v for k, v in ONSITE.items() if k not in ("reason", "basis", "items")}
REASON = "案情复杂，被封存病历与结算数据尚需逐份比对，延长封存三十日。"
SEALED = [
    Step("submit_for_approval", "pizhun", sh("2026-06-01 10:00"),
         payload={k: ONSITE[k] for k in ("reason", "basis", "items")}),
    Step("approve_sealing", "juzhang", sh("2026-06-02 09:00")),
    Step("carry_out_sealing", "fengcun", sh("2026-06-04 10:00"), payload=ONSITE_ONLY),
    Step("serve_sealing_decision", "pizhun", sh("2026-06-04 11:00"),
         payload={"method": "直接送达", "recipient": "刘某（法定代表人）"}),
]
EXTEND = Step("extend_sealing", "juzhang", sh("2026-07-01 09:00"), payload={"days": 30},
              opinion=REASON)


def _open(engine: Engine, org: Org) -> str:
    return open_case(engine, org, procedure="sealing", by="pizhun", officers=("fengcun", "pizhun"),
                     at=sh("2026-06-01 09:00"))


def _docs(engine: Engine, case_no: str) -> list[Document]:
    from caseflow.cases.service import get_case

    with unit_of_work(engine, write=False) as s:
        case = get_case(db_session=s, case_no=case_no)
        docs = documents_of(db_session=s, case_id=case.id)
        for d in docs:
            s.expunge(d)
        return docs


def _settings(engine: Engine, org: Org, **changes: Any) -> None:
    with unit_of_work(engine) as s:
        set_agency_settings(db_session=s, agency=s.get(Agency, org.agency_id),
                            raw={**DEMO_SETTINGS, **changes})


def _words(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


# ── issued and served by the step ────────────────────────────────────────
def test_extending_issues_the_decision_and_serves_it(engine: Engine, org: Org,
                                                     runner: Runner) -> None:
    case_no = _open(engine, org)
    walk(runner, case_no, [*SEALED, EXTEND])
    docs = _docs(engine, case_no)
    assert [(d.trigger, d.doc_type, d.doc_no) for d in docs] == [
        ("carry_out_sealing", "sealing_decision", "栾医保封决〔2026〕1号"),
        ("serve_sealing_decision", "service_receipt", None),
        ("extend_sealing", "sealing_extension", "栾医保延封决〔2026〕1号"),
        ("extend_sealing", "service_receipt", None),
    ]
    ext, receipt = docs[2], docs[3]
    assert ext.title == "延长封存期限决定书" and ext.status is DocumentStatus.pending
    assert ext.event_seq == receipt.event_seq == events(engine, case_no)[-1].seq

    data = snapshot.decode(ext.data)
    old, new = deadlines(engine, case_no, "sealing_term")
    assert data["extension"] == {
        "sealed_doc_no": "栾医保封决〔2026〕1号", "sealed_on": date(2026, 6, 4),
        "items": [{"name": "2026年度住院病历", "quantity": 46, "unit": "份"},
                  {"name": "医保结算单据", "quantity": 3, "unit": "盒"}],
        "place": ONSITE["place"], "from": date(2026, 6, 4), "term_days": 30,
        "to": old.due_date, "days": 30, "new_to": new.due_date, "reason": REASON,
        "basis": "《中华人民共和国行政强制法》第二十五条第一款",
    }
    # the engine's own count: 06-04 + 30 日 = 07-04 (Sat) → 07-06; + 30 日 from there = 08-05
    assert (old.due_date, new.due_date) == (date(2026, 7, 6), date(2026, 8, 5))
    assert data["issued_on"] == date(2026, 7, 1) and data["parties"][0]["name"] == "测试医院"
    assert data["agency"]["review_bodies"] == ["栾川县人民政府"] and data["agency"]["court"] == "栾川县人民法院"

    (served,) = ext.deliveries
    assert (served.method, served.recipient, served.place) == ("直接送达", "测试医院", "栾川县城关镇1号")
    assert served.served_at == sh("2026-07-01 09:00") and served.server_names == ["冯封存", "郑批准"]
    assert served.receipt_id == receipt.id
    service = snapshot.decode(receipt.data)["service"]
    assert (service["served_doc_title"], service["served_doc_no"]) == (
        "延长封存期限决定书", "栾医保延封决〔2026〕1号")


def test_the_pdf_says_what_article_25_requires(engine: Engine, org: Org, runner: Runner) -> None:
    case_no = _open(engine, org)
    walk(runner, case_no, [*SEALED, EXTEND])
    render_pending(engine, case_id=case_row(engine, case_no).id)
    ext = next(d for d in _docs(engine, case_no) if d.doc_type == "sealing_extension")
    _, pdf = pdf_of(engine, document_id=ext.id)
    words = _words(pdf)
    for expected in (
        "栾川县医疗保障局", "延长封存期限决定书", "栾医保延封决〔2026〕1号", "当事人：测试医院",
        "统一社会信用代码：91410324MA47T3Q8WY", "地址：栾川县城关镇1号",
        "本机关于2026年6月4日作出《封存决定书》（栾医保封决〔2026〕1号）",
        "2026年度住院病历46份、医保结算单据3盒予以封存", "所附《封存清单》",
        "自2026年6月4日起至2026年7月6日止，共30日", "延长封存期限的理由：" + REASON,
        "《中华人民共和国行政强制法》第二十五条第一款", "经本机关负责人批准",
        "延长30日，延长后的封存期限至2026年8月5日止", "继续存放于当事人病案室",
        "第二十五条第二款的规定，特此书面告知", "60日内向栾川县人民政府申请行政复议",
        "6个月内直接向栾川县人民法院提起行政诉讼", "二〇二六年七月一日", "（印章）",
    ):
        assert expected in words, expected
    assert verify(ext).ok  # re-rendered from its stored data: the same bytes


def test_new_end_is_counted_as_the_deadline_engine_counts_it(engine: Engine, org: Org,
                                                              runner: Runner) -> None:
    """Sealed 09-01: the term ends 10-08 (after 国庆); 10-08 + 30 日 = 11-07 (Sat) → 11-09."""
    case_no = open_case(engine, org, procedure="sealing", by="pizhun", officers=("fengcun", "pizhun"),
                        at=sh("2026-08-31 09:00"))
    walk(runner, case_no, [
        Step("submit_for_approval", "pizhun", sh("2026-08-31 10:00"), payload=SEALED[0].payload),
        Step("approve_sealing", "juzhang", sh("2026-08-31 15:00")),
        Step("carry_out_sealing", "fengcun", sh("2026-09-01 10:00"), payload=ONSITE_ONLY),
        Step("serve_sealing_decision", "pizhun", sh("2026-09-01 11:00")),
    ])
    runner.fire(case_no, "extend_sealing", "juzhang", "2026-09-28 09:00", payload={"days": 20},
                opinion="情况复杂，需调取参保人员就诊记录核对。")
    ext = snapshot.decode(_docs(engine, case_no)[-2].data)["extension"]
    _, new = deadlines(engine, case_no, "sealing_term")
    assert (ext["to"], ext["days"], ext["new_to"]) == (date(2026, 10, 8), 20, new.due_date)
    assert new.due_date == date(2026, 10, 28)  # 10-08 + 20 日, a Wednesday


def test_service_details_are_taken_from_the_step(engine: Engine, org: Org, runner: Runner) -> None:
    case_no = _open(engine, org)
    walk(runner, case_no, SEALED)
    err = refused(engine, runner, case_no, "extend_sealing", "juzhang", EXTEND.at,
                  payload={"days": 30, "method": "留置送达"}, opinion=REASON,
                  exc=InvalidInput, code="SERVICE_DETAILS_INVALID")
    assert set(err.details) == {"witness", "refusal_reason"}
    runner.fire(case_no, "extend_sealing", "juzhang", EXTEND.at, opinion=REASON, payload={
        "days": 30, "method": "留置送达", "recipient": "刘某（法定代表人）",
        "witness": "李某（社区工作人员）", "refusal_reason": "法定代表人拒绝签收",
        "served_at": "2026-07-01T08:30:00+08:00"})
    ext = next(d for d in _docs(engine, case_no) if d.doc_type == "sealing_extension")
    (served,) = ext.deliveries
    assert (served.method, served.recipient, served.witness, served.served_at) == (
        "留置送达", "刘某（法定代表人）", "李某（社区工作人员）", sh("2026-07-01 08:30"))


# ── refused: nothing changes, no number is used ──────────────────────────
def test_missing_content_refuses_the_extension_and_changes_nothing(engine: Engine, org: Org,
                                                                   runner: Runner) -> None:
    case_no = _open(engine, org)
    walk(runner, case_no, SEALED)
    _settings(engine, org, court="", review_bodies=[])
    err = refused(engine, runner, case_no, "extend_sealing", "juzhang", EXTEND.at,
                  payload=EXTEND.payload, opinion=REASON, exc=InvalidInput,
                  code="DOCUMENT_FIELDS_MISSING",
                  phrases=("《延长封存期限决定书》缺少必填内容：行政复议机关、行政诉讼管辖法院",))
    assert err.details == {"agency.review_bodies[0]": "缺少：行政复议机关",
                           "agency.court": "缺少：行政诉讼管辖法院"}
    # not extended: the term still runs to its first end, the case records no extension
    [term] = deadlines(engine, case_no, "sealing_term")
    assert (term.status.value, term.due_date) == ("open", date(2026, 7, 6))
    assert case_row(engine, case_no).sealing_extended_at is None
    assert [d.doc_type for d in _docs(engine, case_no)] == ["sealing_decision", "service_receipt"]
    with unit_of_work(engine, write=False) as s:
        assert current_number(db_session=s, agency_id=org.agency_id, kind="doc:延封决", year=2026) == 0

    _settings(engine, org)
    assert runner.fire(case_no, EXTEND.trigger, EXTEND.user, EXTEND.at, payload=EXTEND.payload,
                       opinion=REASON) == "sealed"
    assert _docs(engine, case_no)[-2].doc_no == "栾医保延封决〔2026〕1号"  # the first number, unused before


# ── the document type on its own (render checks, no database) ───────────
SAMPLE: dict[str, Any] = {
    "doc_no": "栾医保延封决〔2026〕1号", "issued_on": date(2026, 8, 28),
    "agency": {"name": "栾川县医疗保障局", "review_bodies": ["栾川县人民政府"], "court": "栾川县人民法院"},
    "parties": [{"kind": "individual", "name": "张丽华", "identifier": "410324199003150018",
                 "address": "河南省洛阳市栾川县栾川乡双堂村3组15号"}],
    "extension": {"sealed_doc_no": "栾医保封决〔2026〕1号", "sealed_on": date(2026, 8, 5),
                  "items": [{"name": "理疗治疗单", "quantity": 6, "unit": "册"}],
                  "place": "病案室2号柜", "from": date(2026, 8, 5), "term_days": 30,
                  "to": date(2026, 9, 3), "days": 15, "new_to": date(2026, 9, 18),
                  "reason": "被封存资料需送检验，情况复杂。\n检验结果预计九月中旬作出。"},
}
REQUIRED = [s.path for s in get_doc_type("sealing_extension").required]


@pytest.mark.parametrize("path", REQUIRED)
def test_each_required_field_is_named_when_missing(path: str) -> None:
    data = copy.deepcopy(SAMPLE)
    head, _, key = path.rpartition(".")
    node: Any = data
    for part in filter(None, head.split(".")):
        node = node[part.removesuffix("[*]").removesuffix("[0]")]
        if isinstance(node, list):
            node = node[0]
    key = key.removesuffix("[*]")
    if isinstance(node.get(key), list):
        node[key] = []
    else:
        node.pop(key)
    label = next(s.label for s in get_doc_type("sealing_extension").required if s.path == path)
    assert label in [lab for _, lab in missing_fields(get_doc_type("sealing_extension"), data)]
    with pytest.raises(InvalidInput) as exc:
        render_html("sealing_extension", data)
    assert exc.value.code == "DOCUMENT_FIELDS_MISSING" and label in exc.value.message


def _text(data: dict[str, Any]) -> str:
    return re.sub(r"<(?!/?p>)[^>]+>", "", render_html("sealing_extension", data))  # keeps <p> only


def test_an_individual_and_a_reason_in_paragraphs() -> None:
    html = _text(SAMPLE)
    assert "对你的理疗治疗单6册予以封存" in html and "你如不服本决定" in html
    assert "<p>延长封存期限的理由：被封存资料需送检验，情况复杂。</p>\n<p>检验结果预计九月中旬作出。</p>" in html
    assert "延长15日，延长后的封存期限至2026年9月18日止" in html


def test_only_the_required_fields_are_enough() -> None:
    ext = SAMPLE["extension"]
    minimal = {**{k: SAMPLE[k] for k in ("doc_no", "issued_on", "agency", "parties")},
               "extension": {k: ext[k] for k in ("sealed_doc_no", "to", "days", "new_to", "reason")}}
    html = _text(minimal)
    assert "作出《封存决定书》（" in html and "对你的有关物品予以封存" in html
    assert "封存期限至2026年9月3日止。" in html and "存放地点和保管要求不变" in html
    assert "依据《中华人民共和国行政强制法》第二十五条第一款的规定" in html


def test_the_step_asks_for_the_days_and_the_service() -> None:
    inputs = get_library().procedure("sealing").inputs_of("extend_sealing")
    names = [i.name for i in inputs]
    assert names[0] == "days" and {"method", "recipient", "witness", "refusal_reason"} <= set(names)
    # the reasons are the step's required opinion; the form says where they go
    assert "意见或理由" in inputs[0].hint
