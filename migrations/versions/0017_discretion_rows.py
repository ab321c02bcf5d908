"""discretion rows: `case_discretion_rows`, the 裁量 of each case's latest proposal as one row per 罚款 the
裁量基准 covers (benchmark, 条目, basis article, tier, multiple, within the tier), with the case's state
and decision copied — the 监督看板 groups them by one index instead of reading every case's JSON.

The rows are written by `record_discretion` with the 裁量 (caseflow.cases.discretion_rows); the case's
state and decision_kind are kept in step by a trigger on `cases` (AFTER UPDATE OF state, decision_kind).
Existing cases get their rows from `cases.discretion` here, in batches.

SQLite drops a table's triggers when it is rebuilt: a later migration that rebuilds `cases` (batch mode
with anything but added columns) must create the trigger again (`_create_trigger`).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 10:00:00+00:00
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000  # cases read (and their rows written) at a time


def upgrade() -> None:
    op.create_table(
        'case_discretion_rows',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('benchmark', sa.String(length=200), nullable=False),
        sa.Column('item', sa.Integer(), nullable=False),
        sa.Column('basis', sa.String(length=200), nullable=False),
        sa.Column('tier', sa.String(length=40), nullable=False),
        sa.Column('multiple', sa.String(length=60), nullable=True),
        sa.Column('within', sa.Boolean(), nullable=False),
        sa.Column('first_of_case', sa.Boolean(), nullable=False),
        sa.Column('case_outside', sa.Boolean(), nullable=False),
        sa.Column('case_state', sa.String(length=40), nullable=False),
        sa.Column('decision_kind', sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_case_discretion_rows_agency_id_agencies')),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_discretion_rows_case_id_cases')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_discretion_rows')),
    )
    _backfill()  # before the indexes: one build each instead of an insert per row
    with op.batch_alter_table('case_discretion_rows', schema=None) as batch_op:
        batch_op.create_index('ix_case_discretion_rows_board', ['agency_id', 'benchmark', 'item', 'basis', 'tier',
                              'multiple', 'first_of_case', 'case_outside', 'decision_kind', 'case_state'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_case_discretion_rows_case_id'), ['case_id'], unique=False)
    _create_trigger()


def downgrade() -> None:
    _drop_trigger()
    with op.batch_alter_table('case_discretion_rows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_discretion_rows_case_id'))
        batch_op.drop_index('ix_case_discretion_rows_board')
    op.drop_table('case_discretion_rows')


# ── the case's state and decision, kept in step ──────────────────────────────
_SET = ("UPDATE case_discretion_rows SET case_state = NEW.state, decision_kind = NEW.decision_kind "
        "WHERE case_id = NEW.id;")


def _create_trigger() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE TRIGGER cases_discretion_rows_follow AFTER UPDATE OF state, decision_kind ON cases "
                   "WHEN OLD.state IS NOT NEW.state OR OLD.decision_kind IS NOT NEW.decision_kind "
                   f"BEGIN {_SET} END")
        return
    op.execute("CREATE FUNCTION case_discretion_rows_follow() RETURNS trigger LANGUAGE plpgsql AS $$ "
               f"BEGIN {_SET} RETURN NULL; END $$")
    op.execute("CREATE TRIGGER cases_discretion_rows_follow AFTER UPDATE OF state, decision_kind ON cases "
               "FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state "
               "OR OLD.decision_kind IS DISTINCT FROM NEW.decision_kind) "
               "EXECUTE FUNCTION case_discretion_rows_follow()")


def _drop_trigger() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS cases_discretion_rows_follow")
        return
    op.execute("DROP TRIGGER IF EXISTS cases_discretion_rows_follow ON cases")
    op.execute("DROP FUNCTION IF EXISTS case_discretion_rows_follow()")


# ── the rows of the 裁量 already recorded (as caseflow.cases.discretion_rows.rows_of, frozen here) ──
_ARTICLE = re.compile(r"^(《[^》]+》第[^条《》]{1,12}条)")

_cases = sa.table('cases', sa.column('id', sa.Integer()), sa.column('agency_id', sa.Integer()),
                  sa.column('state', sa.String()), sa.column('decision_kind', sa.String()),
                  sa.column('discretion', sa.JSON()))
_rows = sa.table('case_discretion_rows', *(sa.column(c, t) for c, t in (
    ('case_id', sa.Integer()), ('agency_id', sa.Integer()), ('seq', sa.Integer()), ('benchmark', sa.String()),
    ('item', sa.Integer()), ('basis', sa.String()), ('tier', sa.String()), ('multiple', sa.String()),
    ('within', sa.Boolean()), ('first_of_case', sa.Boolean()), ('case_outside', sa.Boolean()),
    ('case_state', sa.String()), ('decision_kind', sa.String()))))


def _article(basis: str | None) -> str:
    m = _ARTICLE.match(basis or "")
    return m.group(1) if m else (basis or "—")[:40]


def _multiple(text: Any) -> Decimal | None:
    try:
        return Decimal(str(text))
    except (InvalidOperation, ValueError):
        return None


def rows_of(record: Any) -> list[dict[str, Any]]:
    if not isinstance(record, dict):
        return []
    benchmark = record.get("benchmark") or "—"
    out: list[dict[str, Any]] = []
    groups: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for seq, p in enumerate(record.get("penalties") or ()):
        item, basis = int(p.get("item") or 0), _article(p.get("basis", ""))
        m = _multiple(p.get("multiple"))
        row = {"seq": seq, "benchmark": benchmark[:200], "item": item, "basis": basis[:200],
               "tier": (p.get("tier") or "—")[:40],
               "multiple": str(m) if m is not None and len(str(m)) <= 60 else None,
               "within": bool(p.get("within", True)), "first_of_case": (item, basis) not in groups}
        groups.setdefault((item, basis), []).append(row)
        out.append(row)
    for rows in groups.values():
        outside = any(not r["within"] for r in rows)
        for r in rows:
            r["case_outside"] = outside
    return out


def _backfill() -> None:
    conn = op.get_bind()
    last = 0
    while True:
        batch = conn.execute(
            sa.select(_cases.c.id, _cases.c.agency_id, _cases.c.state, _cases.c.decision_kind,
                      _cases.c.discretion)
            .where(_cases.c.id > last, _cases.c.discretion.is_not(None))
            .order_by(_cases.c.id).limit(BATCH)).all()
        if not batch:
            return
        rows = [{**r, "case_id": case_id, "agency_id": agency_id, "case_state": state, "decision_kind": kind}
                for case_id, agency_id, state, kind, record in batch for r in rows_of(record)]
        if rows:
            conn.execute(_rows.insert(), rows)
        last = batch[-1][0]
