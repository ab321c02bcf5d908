"""A step's documents previewed as drafts before it is taken: exactly what the step would issue with
the values typed so far, marked 草稿 and without 文号, the 送达回证 blank for the party to sign — and
nothing kept: no event, no document, no number taken."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import Engine

from caseflow.cases.drafts import NO_NUMBER, draft_documents
from caseflow.documents.renderer import render_pdf_many
from caseflow.documents.types import DOC_TYPES
from caseflow.numbering.service import current_number
from caseflow.db.session import unit_of_work
from tests.documents.test_records import _docs
from tests.helpers import Org, Runner, events, open_case, through, walk


def test_the_notice_is_drafted_before_it_is_served_and_nothing_is_kept(engine: Engine, org: Org,
                                                                      runner: Runner) -> None:
    case_no = open_case(engine, org)
    serve = through("serve_notice")[-1]
    walk(runner, case_no, through("serve_notice")[:-1])
    before_events, before_docs = len(events(engine, case_no)), len(_docs(engine, case_no))
    def numbers() -> list[int]:
        with unit_of_work(engine, write=False) as s:
            return [current_number(db_session=s, agency_id=org.agency_id, kind=f"doc:{t.number_code}", year=2026)
                    for t in DOC_TYPES.values() if t.number_code]

    numbers_before = numbers()
    drafts = draft_documents(engine=engine, case_no=case_no, trigger="serve_notice", actor_id=org.users["gaozhi"],
                             payload=serve.payload, at=serve.at)
    kinds = [d.doc_type for d in drafts]
    assert kinds[-1] == "service_receipt" and kinds[0] in ("hearing_rights_notice", "penalty_notice")
    notice, receipt = drafts[0].data, drafts[-1].data
    assert notice["draft"] is True and notice["doc_no"] == NO_NUMBER
    assert receipt["service"]["served_at"] is None  # the party writes the date when signing
    assert receipt["service"]["served_doc_no"] == NO_NUMBER  # it serves the draft, not a number
    assert len(events(engine, case_no)) == before_events and len(_docs(engine, case_no)) == before_docs
    assert numbers() == numbers_before
    pdf = PdfReader(io.BytesIO(render_pdf_many([(d.doc_type, d.data) for d in drafts])))
    text = "".join(p.extract_text() for p in pdf.pages).replace(" ", "").replace("\u3000", "")
    assert len(pdf.pages) >= 2 and "草稿" in text and "文号于出具时编定" in text
    runner.fire(case_no, "serve_notice", serve.user, serve.at, payload=serve.payload)  # the step itself still goes


def test_a_step_the_rules_refuse_has_no_draft(engine: Engine, org: Org, runner: Runner) -> None:
    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_notice")[:-1])
    serve = through("serve_notice")[-1]
    import pytest

    from caseflow.errors import RuleViolation

    with pytest.raises(RuleViolation) as info:
        draft_documents(engine=engine, case_no=case_no, trigger="serve_notice", actor_id=org.users["lian"],
                        payload=serve.payload, at=serve.at)
    assert info.value.code == "POST_REQUIRED"


def test_the_reviewers_points_are_printed_in_the_legal_review_opinion(engine: Engine, org: Org,
                                                                     runner: Runner) -> None:
    """法制审核 (《行政处罚法》第五十八条): the reviewer answers the 审核要点 on the form; the 意见书 states them."""
    from caseflow.documents import snapshot

    case_no = open_case(engine, org)
    walk(runner, case_no, through("submit_legal_review"))
    step = through("approve_legal_review")[-1]
    runner.fire(case_no, "approve_legal_review", step.user, step.at, opinion=step.opinion,
                payload={**step.payload, "point_evidence": "病历、结算单据与询问笔录相互印证，证据确实充分。",
                         "point_discretion": "按骗取金额的二倍处罚，在法定幅度内。"})
    opinion = next(d for d in _docs(engine, case_no) if d.doc_type == "legal_review_opinion")
    points = snapshot.decode(opinion.data)["review"]["points"]
    assert points == [{"item": "证据", "finding": "病历、结算单据与询问笔录相互印证，证据确实充分。"},
                      {"item": "裁量", "finding": "按骗取金额的二倍处罚，在法定幅度内。"}]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf_many([(
        opinion.doc_type, snapshot.decode(opinion.data))]))).pages).replace(" ", "")
    assert "证据。病历、结算单据与询问笔录相互印证" in text
