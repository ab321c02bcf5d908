"""What a step reads once (caseflow.db.memo): the same within its transaction, afresh after it — and
evidence the transaction itself registers is read with it (a 笔录 registered by its step's effect is
in the 证据清单 the same step issues)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from caseflow.cases.evidence import evidence_of
from caseflow.db.memo import memo
from caseflow.db.session import unit_of_work
from caseflow.evidence.models import EvidenceItem
from caseflow.demo.walk import sh
from tests.helpers import case_row, case_walked_to


def test_a_value_is_read_once_per_transaction(engine):
    calls = []
    with Session(bind=engine) as s:
        with s.begin():
            assert memo(s, "k", lambda: calls.append(1) or len(calls)) == 1
            assert memo(s, "k", lambda: calls.append(1) or len(calls)) == 1
        with s.begin():  # a new transaction reads afresh
            assert memo(s, "k", lambda: calls.append(1) or len(calls)) == 2


def test_evidence_registered_in_the_transaction_is_read_with_it(engine, org):
    case_no = case_walked_to(engine, org, "record_inquiry")
    case_id = case_row(engine, case_no).id
    with unit_of_work(engine) as s:
        before = len(evidence_of(s, case_id))
        s.add(EvidenceItem(case_id=case_id, seq=99, kind="书证", title="补充书证", source="调取", obtained_by="复制",
                           collectors=["王调查"], collected_on=sh("2026-06-05 09:00").date(), event_seq=1,
                           recorded_at=sh("2026-06-05 09:00"), recorded_by_id=None, recorded_by_name="王调查"))
        assert len(evidence_of(s, case_id)) == before + 1  # pending: read with it
        s.flush()
        assert len(evidence_of(s, case_id)) == before + 1  # flushed: still read with it
        s.rollback()
