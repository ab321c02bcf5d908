"""violations of a case: `case_violations` (one or more per case — period, statutory conduct, rule
breached, punishing clause, 认定理由, amounts as the sums of the 违法明细) and the violation a penalty is
imposed for (`penalty_items.violation_seq`).

Existing cases with findings (a penalty proposed, reviewed or decided, or a decision) get one violation
each: their recorded period and amounts, not itemised, the conduct left to the documents' facts.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 14:00:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import caseflow.db.types

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'case_violations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('conduct_code', sa.String(length=60), nullable=True),
        sa.Column('conduct', sa.String(length=200), nullable=True),
        sa.Column('rule_breached', sa.String(length=300), nullable=True),
        sa.Column('punished_by', sa.String(length=300), nullable=True),
        sa.Column('period_from', sa.Date(), nullable=True),
        sa.Column('period_until', sa.Date(), nullable=True),
        sa.Column('facts', sa.Text(), nullable=True),
        sa.Column('itemised', sa.Boolean(), nullable=False),
        sa.Column('details', sa.JSON(), nullable=True),
        sa.Column('amount_involved', caseflow.db.types.Money(), nullable=True),
        sa.Column('amount_defrauded', caseflow.db.types.Money(), nullable=True),
        sa.Column('amount_loss', caseflow.db.types.Money(), nullable=True),
        sa.Column('by_fund', sa.JSON(), nullable=True),
        sa.Column('event_seq', sa.Integer(), nullable=False),
        sa.Column('recorded_at', caseflow.db.types.UTCDateTime(), nullable=False),
        sa.Column('recorded_by_name', sa.String(length=50), nullable=False),
        sa.Column('withdrawn_at', caseflow.db.types.UTCDateTime(), nullable=True),
        sa.Column('withdrawn_reason', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('case_id', 'seq'),
    )
    with op.batch_alter_table('case_violations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_violations_case_id'), ['case_id'], unique=False)
    with op.batch_alter_table('penalty_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('violation_seq', sa.Integer(), nullable=True))

    # One violation for each case that has findings: its period and amounts as recorded.
    op.get_bind().execute(sa.text(
        "INSERT INTO case_violations (case_id, seq, period_from, period_until, itemised, amount_involved,"
        " amount_defrauded, amount_loss, event_seq, recorded_at, recorded_by_name)"
        " SELECT c.id, 1, c.violation_from, c.violation_until, :no, c.amount_involved, c.amount_defrauded,"
        " c.amount_loss, c.last_event_seq, :now, '数据迁移'"
        " FROM cases c WHERE c.decision_kind IS NOT NULL"
        " OR EXISTS (SELECT 1 FROM penalty_items p WHERE p.case_id = c.id)"
    ).bindparams(sa.bindparam("no", False, type_=sa.Boolean()),
                 sa.bindparam("now", datetime.now(UTC), type_=caseflow.db.types.UTCDateTime())))


def downgrade() -> None:
    with op.batch_alter_table('penalty_items', schema=None) as batch_op:
        batch_op.drop_column('violation_seq')
    with op.batch_alter_table('case_violations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_violations_case_id'))
    op.drop_table('case_violations')
