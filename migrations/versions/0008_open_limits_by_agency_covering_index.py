"""open limits by agency: a covering index for the 监督看板's counts

The overdue and due-soon counts (per rule, item and 承办人) read every running limit of the agency
due before a time, with its rule and case. This partial index on the open rows holds all four
columns, so neither database reads a deadline row: on PostgreSQL with 100,000 cases the counts'
scan of deadlines went from ~100,000 buffers (heap fetches) to ~1,400.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 08:00:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.create_index('ix_deadlines_open_agency_due_at_rule_case',
                              ['agency_id', 'due_at', 'rule_code', 'case_id'], unique=False,
                              sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade() -> None:
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_index('ix_deadlines_open_agency_due_at_rule_case', sqlite_where=OPEN, postgresql_where=OPEN)
