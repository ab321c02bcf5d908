"""alerts, holiday overrides, agency settings; deadline reminders, extensions and partial indexes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 03:02:04.584374+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import caseflow.db.types

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('holiday_overrides',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('notice', sa.String(length=200), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('entered_at', caseflow.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_holiday_overrides_entered_by_id_users')),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_holiday_overrides'))
    )
    op.create_table('holiday_years',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('notice', sa.String(length=200), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('entered_at', caseflow.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_holiday_years_entered_by_id_users')),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_holiday_years'))
    )
    op.create_table('alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deadline_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('reminder', 'overdue', name='alertkind', native_enum=False, length=20), nullable=False),
    sa.Column('due_at', caseflow.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('raised_at', caseflow.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('message', sa.String(length=400), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_alerts_agency_id_agencies')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_alerts_case_id_cases')),
    sa.ForeignKeyConstraint(['deadline_id'], ['deadlines.id'], name=op.f('fk_alerts_deadline_id_deadlines')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts')),
    sa.UniqueConstraint('deadline_id', 'kind', name=op.f('uq_alerts_deadline_id_kind'))
    )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alerts_case_id'), ['case_id'], unique=False)

    op.create_table('alert_recipients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('officer', 'post_holder', 'section_head', 'supervisor', name='alertrole', native_enum=False, length=20), nullable=False),
    sa.Column('read_at', caseflow.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_alert_recipients_alert_id_alerts')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_alert_recipients_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_recipients')),
    sa.UniqueConstraint('alert_id', 'user_id', name=op.f('uq_alert_recipients_alert_id_user_id'))
    )
    with op.batch_alter_table('alert_recipients', schema=None) as batch_op:
        batch_op.create_index('ix_alert_recipients_user_unread', ['user_id', 'read_at'], unique=False)

    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('settings', sa.JSON(), nullable=True))

    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('remind_at', caseflow.db.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('extended_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('extension_approval', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('extension_reason', sa.Text(), nullable=True))
        batch_op.create_index('ix_deadlines_open_due_at', ['due_at'], unique=False, sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
        batch_op.add_column(sa.Column('next_alert_at', caseflow.db.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('agency_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_deadlines_agency_id_agencies'), 'agencies', ['agency_id'], ['id'])
        batch_op.create_index('ix_deadlines_open_rule_agency_due_at', ['rule_code', 'agency_id', 'due_at', 'status'], unique=False, sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
        batch_op.create_index('ix_deadlines_open_next_alert_at', ['next_alert_at'], unique=False, sqlite_where=sa.text("status = 'open' AND next_alert_at IS NOT NULL"), postgresql_where=sa.text("status = 'open' AND next_alert_at IS NOT NULL"))
        batch_op.create_foreign_key(batch_op.f('fk_deadlines_extended_by_id_users'), 'users', ['extended_by_id'], ['id'])
    op.execute("UPDATE deadlines SET agency_id = (SELECT agency_id FROM cases WHERE cases.id = deadlines.case_id)")
    op.execute("UPDATE deadlines SET next_alert_at = due_at WHERE status = 'open'")  # alert what runs



def downgrade() -> None:
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_deadlines_extended_by_id_users'), type_='foreignkey')
        batch_op.drop_index('ix_deadlines_open_next_alert_at')
        batch_op.drop_constraint(batch_op.f('fk_deadlines_agency_id_agencies'), type_='foreignkey')
        batch_op.drop_index('ix_deadlines_open_rule_agency_due_at')
        batch_op.drop_index('ix_deadlines_open_due_at', sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
        batch_op.drop_column('extension_reason')
        batch_op.drop_column('extension_approval')
        batch_op.drop_column('extended_by_id')
        batch_op.drop_column('agency_id')
        batch_op.drop_column('next_alert_at')
        batch_op.drop_column('remind_at')

    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.drop_column('settings')

    with op.batch_alter_table('alert_recipients', schema=None) as batch_op:
        batch_op.drop_index('ix_alert_recipients_user_unread')

    op.drop_table('alert_recipients')
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alerts_case_id'))

    op.drop_table('alerts')
    op.drop_table('holiday_years')
    op.drop_table('holiday_overrides')
