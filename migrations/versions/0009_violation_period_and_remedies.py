"""violation period and remedy proceedings

`cases.violation_from` / `violation_until`: when the violation happened, from which the 追责时效 of
《行政处罚法》第三十六条 is counted. `remedy_proceedings`: the party's 行政复议 / 行政诉讼 against the
decision and its outcome (第七十三条: no 加处罚款 while pending; 《行政强制法》第五十三条).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 07:00:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('violation_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('violation_until', sa.Date(), nullable=True))
    op.create_table(
        'remedy_proceedings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('review', 'suit', name='remedykind', native_enum=False, length=20),
                  nullable=False),
        sa.Column('filed_on', sa.Date(), nullable=False),
        sa.Column('body', sa.String(length=200), nullable=False),
        sa.Column('ref_no', sa.String(length=100), nullable=True),
        sa.Column('outcome', sa.Enum('upheld', 'revoked', 'changed', 'confirmed_illegal', 'dismissed',
                                     name='remedyoutcome', native_enum=False, length=20), nullable=True),
        sa.Column('decided_on', sa.Date(), nullable=True),
        sa.Column('outcome_note', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_remedy_proceedings_case_id_cases')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_remedy_proceedings')),
    )
    with op.batch_alter_table('remedy_proceedings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remedy_proceedings_case_id'), ['case_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('remedy_proceedings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remedy_proceedings_case_id'))
    op.drop_table('remedy_proceedings')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('violation_until')
        batch_op.drop_column('violation_from')
