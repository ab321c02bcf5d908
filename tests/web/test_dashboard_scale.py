"""监督看板 at scale (issue 20): the 裁量 table is counted from `case_discretion_rows` — written with the
裁量 at 调查终结, replaced at 变更拟处罚意见 (a case counted once, by its latest), its case's state and
decision kept in step by the database whatever changes them — and gives the figures the JSON-reading
computation gave (kept here as the oracle); the board reads groups by its indexes, never the cases one by one."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from statistics import median
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, or_, select, update
from sqlalchemy.orm import Session

from caseflow.cases.discretion_rows import CaseDiscretionRow, replace_rows, rows_of
from caseflow.cases.models import Case
from caseflow.db.base import utcnow
from caseflow.db.migrate import alembic_config, upgrade
from caseflow.db.session import make_engine, unit_of_work
from caseflow.demo.scenarios import FRAUD_BASIS_FINE, FRAUD_BASIS_RETURN
from caseflow.discretion.files import load_benchmarks
from caseflow.web.queries import dashboard
from caseflow.web.queries.discretion_stats import ENDED_WITHOUT_PENALTY, discretion_spread
from tests.helpers import Org, Runner, open_case, query_plan, sent, through, walk

BENCH = "河南省医疗保障行政处罚裁量基准"
SOCIAL = "《中华人民共和国社会保险法》第八十七条：以欺诈、伪造证明材料或者其他手段骗取社会保险基金支出的……"


# ── the oracle: the 裁量 table as it was computed before issue 20 (every case's JSON read in Python) ──
def _article(basis: str) -> str:
    import re
    m = re.match(r"^(《[^》]+》第[^条《》]{1,12}条)", basis or "")
    return m.group(1) if m else (basis or "—")[:40]


def _multiple(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def oracle(s: Session, agency_id: int) -> list[tuple[Any, ...]]:
    rows: dict[tuple[str, int, str], dict[str, Any]] = {}
    result = s.execute(
        select(Case.discretion, Case.decision_kind)
        .where(Case.agency_id == agency_id, Case.discretion.is_not(None), Case.state.not_in(ENDED_WITHOUT_PENALTY),
               or_(Case.decision_kind.is_(None), Case.decision_kind == "penalty")))
    for record, decision in result:
        if not isinstance(record, dict):
            continue
        fines: dict[tuple[str, int, str], list[dict[str, Any]]] = {}
        for p in record.get("penalties") or ():
            key = (record.get("benchmark") or "—", int(p.get("item") or 0), _article(p.get("basis", "")))
            fines.setdefault(key, []).append(p)
        for key, ps in fines.items():
            row = rows.setdefault(key, {"cases": 0, "decided": 0, "tiers": {}, "multiples": [], "outside": 0})
            row["cases"] += 1
            row["decided"] += decision == "penalty"
            tier = ps[0].get("tier") or "—"
            row["tiers"][tier] = row["tiers"].get(tier, 0) + 1
            row["multiples"] += [m for m in (_multiple(p.get("multiple")) for p in ps) if m is not None]
            row["outside"] += any(not p.get("within", True) for p in ps)
    names = {(b.title, e.item): e.name for b in load_benchmarks().values() for e in b.entries}
    out = []
    for key in sorted(rows):
        r, ms = rows[key], rows[key]["multiples"]
        out.append((*key, names.get(key[:2], ""), r["cases"], r["decided"], r["tiers"],
                    min(ms) if ms else None,
                    Decimal(median(ms)).quantize(Decimal("0.01")) if ms else None,
                    max(ms) if ms else None, r["outside"]))
    return out


def spread(s: Session, agency_id: int) -> list[tuple[Any, ...]]:
    return [(r.benchmark, r.item, r.basis, r.name, r.cases, r.decided, r.tiers, r.low, r.middle, r.high, r.outside)
            for r in discretion_spread(db_session=s, agency_id=agency_id)]


def fine(tier: str | None, multiple: Any, *, within: Any = True, basis: str = FRAUD_BASIS_FINE,
         item: Any = 1) -> dict[str, Any]:
    p: dict[str, Any] = {"kind": "罚款", "basis": basis, "item": item, "multiple": multiple, "within": within}
    if tier is not None:
        p["tier"] = tier
    return p


# (state, decision, the 裁量 recorded): the cases the oracle and the rows must count alike
SEEDED: list[tuple[str, str | None, Any]] = [
    ("decided", "penalty", {"benchmark": BENCH, "penalties": [fine("从轻", "2.00"), fine("从轻", "2.50")]}),
    ("notice", None, {"benchmark": BENCH, "penalties": [fine("一般", "3.00")]}),
    ("legal_review", None, {"benchmark": BENCH, "penalties": [fine("从轻", "5.00", within=False)]}),
    ("filing_revoked", None, {"benchmark": BENCH, "penalties": [fine("从重", "5.00")]}),  # came to nothing
    ("terminated", None, {"benchmark": BENCH, "penalties": [fine("从重", "4.80")]}),
    ("decided", "no_penalty", {"benchmark": BENCH, "penalties": [fine("从重", "4.00")]}),  # 不予行政处罚
    ("decided", "referral", {"benchmark": BENCH, "penalties": [fine("一般", "3.30")]}),  # 移送司法机关
    ("notice", None, {"benchmark": BENCH, "penalties": [fine("一般", "3.50", basis=SOCIAL)]}),
    ("case_review", None, {"benchmark": BENCH, "penalties": [  # two rows of one case; its first fine's tier
        fine("从重", "4.00"), fine("一般", "3.00", item=2), fine("从轻", "4.50", within=False)]}),
    ("notice", None, {"benchmark": None, "penalties": [fine("一般", "1.5", item=None)]}),  # no benchmark title
    ("notice", None, {"benchmark": BENCH, "penalties": [  # no tier, no multiple, an unparsable one
        fine(None, None, within=None, basis="依据不含条文", item=3), fine("一般", "n/a", basis="依据不含条文", item=3)]}),
    ("enforcement", "penalty", {"benchmark": BENCH, "penalties": [fine("从轻", "2.0"), fine("从轻", 2.25)]}),
    ("notice", None, {"benchmark": BENCH, "penalties": []}),  # circumstances only
    ("notice", None, None),  # no 裁量
    ("archived", "penalty", {"benchmark": BENCH, "penalties": [fine("一般", "3.00")]}),
]


def _seed(engine: Engine, org: Org) -> list[str]:
    numbers = [open_case(engine, org) for _ in SEEDED]
    with unit_of_work(engine) as s:
        for no, (state, decision, record) in zip(numbers, SEEDED):
            case = s.scalars(select(Case).where(Case.case_no == no)).one()
            case.state, case.decision_kind, case.discretion = state, decision, record
            replace_rows(s, case)  # as record_discretion does
    return numbers


def test_the_rows_give_the_figures_the_json_gave(engine: Engine, web_org: Org) -> None:
    numbers = _seed(engine, web_org)
    with unit_of_work(engine, write=False) as s:
        expected = oracle(s, web_org.agency_id)
        assert spread(s, web_org.agency_id) == expected
    by_row = {r[:3]: (r[4], r[5], r[6], r[10]) for r in expected}
    assert by_row == {
        ("—", 0, "《医疗保障基金使用监督管理条例》第四十条"): (1, 0, {"一般": 1}, 0),  # no benchmark title
        (BENCH, 1, "《中华人民共和国社会保险法》第八十七条"): (1, 0, {"一般": 1}, 0),
        (BENCH, 1, "《医疗保障基金使用监督管理条例》第四十条"): (6, 3, {"从轻": 3, "一般": 2, "从重": 1}, 2),
        (BENCH, 2, "《医疗保障基金使用监督管理条例》第四十条"): (1, 0, {"一般": 1}, 0),
        (BENCH, 3, "依据不含条文"): (1, 0, {"—": 1}, 1),  # `within` null: outside, as the JSON read it
    }
    # Whatever changes a case afterwards — a step, or SQL of its own — the rows follow its state and decision
    with unit_of_work(engine) as s:
        s.execute(update(Case).where(Case.case_no == numbers[1]).values(state="terminated"))  # 终结
        s.execute(update(Case).where(Case.case_no == numbers[2]).values(state="decided", decision_kind="penalty"))
        s.execute(update(Case).where(Case.case_no == numbers[3]).values(state="investigation"))  # (a test only)
    with unit_of_work(engine, write=False) as s:
        assert spread(s, web_org.agency_id) == oracle(s, web_org.agency_id) != expected
        states = dict(s.execute(select(Case.case_no, CaseDiscretionRow.case_state)
                                .join(Case, Case.id == CaseDiscretionRow.case_id)).all())
        assert states[numbers[1]] == "terminated" and states[numbers[3]] == "investigation"


def _fine_rows(engine: Engine, case_no: str) -> list[tuple[Any, ...]]:
    with unit_of_work(engine, write=False) as s:
        return [tuple(r) for r in s.execute(
            select(CaseDiscretionRow.tier, CaseDiscretionRow.multiple, CaseDiscretionRow.within,
                   CaseDiscretionRow.case_state, CaseDiscretionRow.decision_kind)
            .join(Case, Case.id == CaseDiscretionRow.case_id).where(Case.case_no == case_no)
            .order_by(CaseDiscretionRow.seq))]


def test_the_rows_follow_the_discretion_through_the_steps(engine: Engine, web_org: Org) -> None:
    runner = Runner(engine, web_org, reload=True)
    revised, decided, revoked = (open_case(engine, web_org) for _ in range(3))
    # 调查终结: the 罚款 the benchmark covers is written with its tier (责令退回 is not a 罚款 of it)
    walk(runner, revised, through("serve_notice"))
    assert _fine_rows(engine, revised) == [("从轻", "2.00", True, "notice", None)]
    # 变更拟处罚意见: the latest proposal's rows replace the earlier ones — the case counts once
    assert runner.fire(revised, "receive_statement", "gaozhi", "2026-06-16 09:00", opinion="当事人提交书面陈述、申辩。",
                       payload={"arguments": [{"argument": "涉案金额应扣除已执行项目的费用。"}]}) == "re_examination"
    assert runner.fire(revised, "revise_proposal", "diaocha1", "2026-06-17 09:00", opinion="经复核，变更拟处罚意见。",
                       payload={"penalties": [{"kind": "责令退回", "amount": "30000.00", "basis": FRAUD_BASIS_RETURN},
                                              {"kind": "罚款", "amount": "75000.00", "basis": FRAUD_BASIS_FINE}],
                                "answers": [{"argument": "涉案金额应扣除已执行项目的费用。", "answer": "不采纳",
                                             "reason": "已执行项目的费用已在认定金额中扣除。"}]}) == "legal_review"
    assert _fine_rows(engine, revised) == [("从轻", "2.50", True, "legal_review", None)]
    # 作出处罚决定: the rows carry the decision (已决定)
    walk(runner, decided, through("decide_penalty"))
    assert _fine_rows(engine, decided) == [("从轻", "2.00", True, "decided", "penalty")]
    # 撤销立案 after 调查终结: the proposal came to nothing, the case is left out
    walk(runner, revoked, through("conclude_investigation"))
    assert runner.fire(revoked, "revoke_filing", "juzhang", "2026-06-11 09:00",
                       opinion="证据不足以认定违法事实。") == "filing_revoked"
    assert _fine_rows(engine, revoked) == [("从轻", "2.00", True, "filing_revoked", None)]
    with unit_of_work(engine, write=False) as s:
        (row,) = discretion_spread(db_session=s, agency_id=web_org.agency_id)
        assert (row.cases, row.decided, row.tiers, row.low, row.middle, row.high) == (
            2, 1, {"从轻": 2}, Decimal("2.00"), Decimal("2.25"), Decimal("2.50"))
        assert spread(s, web_org.agency_id) == oracle(s, web_org.agency_id)


def test_the_page_shows_the_table_from_the_rows(client, engine: Engine, web_org: Org) -> None:  # type: ignore[no-untyped-def]
    from tests.web.conftest import login

    _seed(engine, web_org)
    login(client, "juzhang")
    page = client.get("/dashboard").text
    table = page[page.index("裁量基准适用情况"):]
    assert "《医疗保障基金使用监督管理条例》第四十条" in table and "（已决定3）" in table
    assert "第1项 骗取医疗保障基金支出的罚款" in table and "《中华人民共和国社会保险法》第八十七条" in table


# ── the board reads groups, by its indexes ──────────────────────────────────
def _statements(engine: Engine, agency_id: int) -> list[str]:
    with sent(engine) as seen, unit_of_work(engine, write=False) as s:
        dashboard.board(db_session=s, agency_id=agency_id, now=utcnow())
        discretion_spread(db_session=s, agency_id=agency_id)
    return [q for q, _ in seen if q.lstrip().upper().startswith("SELECT")]


def test_the_board_reads_groups_not_cases(engine: Engine, web_org: Org) -> None:
    _seed(engine, web_org)
    few = _statements(engine, web_org.agency_id)
    _seed(engine, web_org)
    assert len(_statements(engine, web_org.agency_id)) == len(few)  # as many statements, however many cases
    assert not any("cases.discretion" in q for q in few)  # no case's JSON read
    counts = [q for q in few if "count(" in q and "lead_user_id" in q]
    assert len(counts) == 2  # overdue and due soon: each one GROUP BY of the limits' own columns …
    assert not any("users" in q or "case_officers" in q for q in counts)  # … the 承办人's names read after


def test_the_discretion_table_is_read_from_its_index(engine: Engine, web_org: Org) -> None:
    _seed(engine, web_org)
    with sent(engine) as seen, unit_of_work(engine, write=False) as s:
        discretion_spread(db_session=s, agency_id=web_org.agency_id)
    (statement, parameters), = [(q, p) for q, p in seen if "case_discretion_rows" in q]
    plan = query_plan(engine, statement, parameters)
    pg = engine.dialect.name == "postgresql"
    if pg:
        assert "Index Only Scan using ix_case_discretion_rows_board" in plan, plan
        assert "Sort" not in plan, plan  # the groups come out of the index in order
    else:
        assert "COVERING INDEX ix_case_discretion_rows_board" in plan, plan
        assert "TEMP B-TREE" not in plan, plan


# ── migration 0017 gives the cases recorded before it their rows ────────────
@pytest.mark.database  # migrates a database of its own (on PostgreSQL too)
def test_the_migration_writes_the_rows_of_the_discretion_already_recorded(empty_url: str) -> None:
    from tests.helpers import make_org

    upgrade(empty_url)
    engine = make_engine(empty_url)
    try:
        org = make_org(engine)
        _seed(engine, org)
        with unit_of_work(engine, write=False) as s:
            before = spread(s, org.agency_id)
        command.downgrade(alembic_config(empty_url), "0016")  # as if the 裁量 were recorded before 0017
        upgrade(empty_url)
        with unit_of_work(engine, write=False) as s:
            assert spread(s, org.agency_id) == before == oracle(s, org.agency_id)
            for case in s.scalars(select(Case)):
                rows = s.scalars(select(CaseDiscretionRow).where(CaseDiscretionRow.case_id == case.id)
                                 .order_by(CaseDiscretionRow.seq)).all()
                assert [{k: getattr(r, k) for k in rows_of(case.discretion)[0]} for r in rows] == \
                    rows_of(case.discretion)
                assert {(r.case_state, r.decision_kind) for r in rows} <= {(case.state, case.decision_kind)}
    finally:
        engine.dispose()
