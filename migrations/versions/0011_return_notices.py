"""return notices: an alert per 退回 (a case sent back by 法制审核 or the head) for its investigators

`alerts.deadline_id` becomes optional and `alerts.event_seq` names the 退回's audit event (unique per
case, event and kind, so two sweepers never raise it twice); `case_events` gets an index on
(trigger, occurred_at) so the sweep finds recent 退回 without scanning the trail.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 09:45:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.alter_column('deadline_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('event_seq', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_alerts_case_id_event_seq_kind'),
                                          ['case_id', 'event_seq', 'kind'])
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.create_index('ix_case_events_trigger_occurred_at', ['trigger', 'occurred_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_index('ix_case_events_trigger_occurred_at')
    op.execute("DELETE FROM alert_recipients WHERE alert_id IN (SELECT id FROM alerts WHERE deadline_id IS NULL)")
    op.execute("DELETE FROM alerts WHERE deadline_id IS NULL")
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_alerts_case_id_event_seq_kind'), type_='unique')
        batch_op.drop_column('event_seq')
        batch_op.alter_column('deadline_id', existing_type=sa.Integer(), nullable=False)
