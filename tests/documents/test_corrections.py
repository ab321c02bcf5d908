"""A 更正 corrects the wording of an issued document, never what identifies it or what it decided:
案号, 文号, 机关, 当事人身份, the measures (kind, amount, term, basis) and the dates of acts stay as issued
(《行政处罚法》第四十七条: the record is kept whole; a different decision is made anew, not corrected)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine

from caseflow.cases.document_acts import reissue_document
from caseflow.db.session import unit_of_work
from caseflow.documents import snapshot
from caseflow.errors import InvalidInput, RuleViolation
from tests.documents.test_records import _docs
from tests.helpers import Org, Runner, open_case, through, walk


@pytest.fixture
def decision(engine: Engine, org: Org, runner: Runner) -> tuple[str, Any]:
    case_no = open_case(engine, org)
    walk(runner, case_no, through("decide_penalty"))
    return case_no, _docs(engine, case_no)[-1]


def _correct(engine: Engine, org: Org, doc_id: int, corrections: Any) -> Any:
    with unit_of_work(engine) as s:
        return reissue_document(db_session=s, document_id=doc_id, actor_id=org.users["jueding"],
                                reason="笔误", corrections=corrections).id


@pytest.mark.parametrize("corrections", [
    {"case": {"case_no": "栾医保罚案〔2026〕99号"}},
    {"doc_no": "栾医保罚决〔2026〕99号"},
    {"agency": {"name": "某某县医疗保障局"}},
    {"issued_on": "2026-01-01"},
    {"fine_total": "1.00"},
    {"officers": []},
])
def test_what_identifies_the_document_or_what_it_decided_cannot_be_corrected(
        engine: Engine, org: Org, decision: tuple[str, Any], corrections: dict[str, Any]) -> None:
    case_no, doc = decision
    with pytest.raises(RuleViolation) as info:
        _correct(engine, org, doc.id, corrections)
    assert info.value.code == "CORRECTION_NOT_ALLOWED"
    assert "不能更改" in info.value.message and "第四十七条" in info.value.message
    assert len(_docs(engine, case_no)) == len(_docs(engine, case_no))  # nothing issued
    assert _docs(engine, case_no)[-1].id == doc.id


def test_a_party_is_corrected_in_its_address_not_in_its_identity(engine: Engine, org: Org,
                                                                 decision: tuple[str, Any]) -> None:
    case_no, doc = decision
    party = snapshot.decode(doc.data)["parties"][0]
    for change in ({"name": "另一家医院"}, {"identifier": "91410324MA47T3Q80Y"}):
        with pytest.raises(RuleViolation) as info:
            _correct(engine, org, doc.id, {"parties": [{**party, **change}]})
        assert info.value.code == "CORRECTION_NOT_ALLOWED" and "当事人" in info.value.message
    new_id = _correct(engine, org, doc.id, {"parties": [{**party, "address": "栾川县城关镇2号"}]})
    assert _docs(engine, case_no)[-1].id == new_id


def test_a_measure_keeps_its_kind_and_amount_only_its_wording_is_corrected(
        engine: Engine, org: Org, decision: tuple[str, Any]) -> None:
    case_no, doc = decision
    penalties = snapshot.decode(doc.data)["penalties"]
    changed = [{**penalties[0], "amount": "1.00"}, *penalties[1:]]
    with pytest.raises(RuleViolation) as info:
        _correct(engine, org, doc.id, {"penalties": changed})
    assert info.value.code == "CORRECTION_NOT_ALLOWED"
    reworded = [{**penalties[0], "description": "罚款人民币贰万肆仟元整"}, *penalties[1:]]
    new_id = _correct(engine, org, doc.id, {"penalties": reworded, "facts": "更正后的违法事实。"})
    data = snapshot.decode(_docs(engine, case_no)[-1].data)
    assert _docs(engine, case_no)[-1].id == new_id and data["facts"] == "更正后的违法事实。"
    assert data["penalties"][0]["description"] == "罚款人民币贰万肆仟元整"


def test_corrected_wording_is_text_a_document_can_hold(engine: Engine, org: Org, decision: tuple[str, Any]) -> None:
    _, doc = decision
    for bad in ({"facts": "a\x00b"}, {"facts": "  "}, {"facts": {"x": 1}}, {"evidence": "病历"}, ["facts"]):
        with pytest.raises(InvalidInput):
            _correct(engine, org, doc.id, bad)


def test_concurrent_corrections_of_one_document_make_one_version_and_the_rest_are_told(
        engine: Engine, org: Org, decision: tuple[str, Any]) -> None:
    import threading

    from caseflow.errors import Conflict

    case_no, doc = decision
    start, outcomes = threading.Barrier(8), []

    def correct(i: int) -> None:
        start.wait()
        try:
            outcomes.append(("ok", _correct(engine, org, doc.id, {"facts": f"更正后的违法事实{i}。"})))
        except (Conflict, RuleViolation) as exc:  # lost the race: reload (409), or already superseded
            outcomes.append((exc.code, None))

    threads = [threading.Thread(target=correct, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outcomes) == 8 and [o for o, _ in outcomes].count("ok") == 1, outcomes
    assert {o for o, _ in outcomes} <= {"ok", "CASE_CONFLICT", "CONFLICT", "DOCUMENT_SUPERSEDED"}, outcomes
    versions = [d.version for d in _docs(engine, case_no) if d.doc_no == doc.doc_no]
    assert versions == [1, 2]


def test_concurrent_services_of_one_document_are_each_recorded_or_told_to_reload(
        engine: Engine, org: Org, runner: Runner) -> None:
    """再次送达 by eight people at once: each either records its service (with its 送达回证) or is told
    to reload (409); nothing half-written, never a 500."""
    import threading

    from caseflow.cases.document_acts import deliver_document
    from caseflow.demo.walk import sh
    from caseflow.errors import Conflict
    from tests.helpers import events

    case_no = open_case(engine, org)
    walk(runner, case_no, through("serve_decision"))
    decision = next(d for d in _docs(engine, case_no) if d.doc_type == "penalty_decision")
    before = len(events(engine, case_no))
    start, outcomes = threading.Barrier(8), []

    def deliver() -> None:
        start.wait()
        try:
            with unit_of_work(engine) as s:
                deliver_document(db_session=s, document_id=decision.id, actor_id=org.users["songda"],
                                 at=sh("2026-07-13 10:00"), payload={"method": "直接送达"})
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.code)

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outcomes) == 8 and set(outcomes) <= {"ok", "CASE_CONFLICT"} and "ok" in outcomes, outcomes
    served = next(d for d in _docs(engine, case_no) if d.id == decision.id).deliveries
    assert len(served) == 1 + outcomes.count("ok")  # the step's service and each one recorded
    assert len(events(engine, case_no)) == before + outcomes.count("ok")
