"""What the case page reads (issue 20: a read page costs little more than the framework): each thing
once per view — the case's documents, deadlines and publications, the viewer's 回避, the agency's
staff — however many panels and buttons ask for it; a step, which writes, still reads afresh what it
has just changed. And the pages' Jinja lookups of a dict's keys."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from caseflow.db.session import unit_of_work
from caseflow.deadlines import service as deadline_service
from caseflow.deadlines.models import Deadline, DeadlineStatus
from caseflow.documents.service import documents_of, latest_document
from caseflow.web.templating import make_templates
from tests.helpers import Org, case_row, case_walked_to, sent
from tests.web.conftest import case_path, login

_FROM = re.compile(r"\bFROM\s+\"?(\w+)", re.I)


def _reads(engine: Engine, client: TestClient, path: str) -> tuple[int, Counter[str]]:
    """The statements one GET sends, and the table each SELECT reads first."""
    with sent(engine) as seen:
        r = client.get(path)
    assert r.status_code == 200
    tables = Counter(m.group(1) for s, _ in seen if s.lstrip().upper().startswith("SELECT")
                     for m in [_FROM.search(s)] if m)
    return len(seen), tables


def test_the_case_page_reads_each_thing_once(client: TestClient, engine: Engine, web_org: Org) -> None:
    # A case served its 决定书: documents with deliveries, running and closed limits, a dozen events,
    # steps open to the viewer whose guards ask about limits, documents and publication.
    case_no = case_walked_to(engine, web_org, "serve_decision")
    login(client, "diaocha1")
    client.get(f"/cases/{case_path(case_no)}")  # alerts read, caches warm
    total, tables = _reads(engine, client, f"/cases/{case_path(case_no)}")
    assert tables["documents"] == 1, tables  # the list, the 评查, the guards and the 公示 panel share it
    assert tables["deadlines"] == 1, tables  # the table of limits and every guard on a limit
    assert tables["interest_declarations"] == 1, tables  # the viewer's 回避: once, not once per step
    assert tables["publications"] <= 2, tables  # its status, and the history the panel lists
    assert tables["deliveries"] <= 1, tables
    assert total <= 30, (total, tables)  # 63 before: most of them the same questions again


def test_a_write_reads_what_it_just_changed(engine: Engine, web_org: Org) -> None:
    """Only a read-only unit of work keeps what it read: within a step a deadline it opened, or one it
    closed, is seen by the next question."""
    case_no = case_walked_to(engine, web_org, "approve_filing")
    case_id = case_row(engine, case_no).id
    with unit_of_work(engine) as s:
        first = deadline_service.for_case(db_session=s, case_id=case_id)
        opened = Deadline(case_id=case_id, agency_id=first[0].agency_id, rule_code="test_rule", name="测试期限",
                          basis="测试", started_at=first[0].started_at,
                          due_at=first[0].started_at + timedelta(days=3), due_date=None, remind_at=None,
                          next_alert_at=None, provisional=False, reasoning="", status=DeadlineStatus.open)
        s.add(opened)
        s.flush()
        assert len(deadline_service.for_case(db_session=s, case_id=case_id)) == len(first) + 1
        assert deadline_service.running(db_session=s, case_id=case_id, rule_code="test_rule") is opened
        opened.status = DeadlineStatus.met
        assert deadline_service.running(db_session=s, case_id=case_id, rule_code="test_rule") is None
        s.rollback()
    with unit_of_work(engine, write=False) as s:
        a = deadline_service.for_case(db_session=s, case_id=case_id)
        assert deadline_service.for_case(db_session=s, case_id=case_id) == a
        docs = documents_of(db_session=s, case_id=case_id)
        newest = latest_document(db_session=s, case_id=case_id, doc_types=(docs[-1].doc_type,))
        assert newest is docs[-1]  # picked from the documents read once, the same rows
        running = [d for d in a if d.status == DeadlineStatus.open]
        assert deadline_service.running(db_session=s, case_id=case_id,
                                        rule_code=running[-1].rule_code) is running[-1]


def test_a_dict_key_is_read_as_a_key_and_its_methods_stay_methods() -> None:
    env = make_templates().env
    row = {"name": "王某", "items": ["甲", "乙"], "count": 2}

    def render(source: str, **ctx: object) -> str:
        return env.from_string(source).render(**ctx)

    assert render("{{ r.name }}/{{ r.count }}/{{ r.missing }}", r=row) == "王某/2/"
    assert render("{% for k, v in r.items() %}{{ k }};{% endfor %}", r=row) == "name;items;count;"
    assert render("{{ r['items'] | join(',') }}", r=row) == "甲,乙"
    assert render("{{ r.missing is defined }}", r=row) == "False"

    class Thing:
        name = "属性"

    assert render("{{ t.name }}", t=Thing()) == "属性"
