"""login limits and account events

The login throttle counts each attempt before the password is checked, in one conditional upsert
per key (`login_limits`, replacing the failure log `login_failures`, whose rows are transient).
`account_events` is the append-only trail of account management (triggers refuse UPDATE and
DELETE on SQLite and PostgreSQL); `users.must_change_password` sends a user whose password was
reset to the change-password page.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 02:00:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import caseflow.db.types

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_login_failures_key_at')
    op.drop_table('login_failures')
    op.create_table(
        'login_limits',
        sa.Column('scope', sa.String(length=10), nullable=False),
        sa.Column('username', sa.String(length=100), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('reset_at', caseflow.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('not_before', caseflow.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('admitted', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('scope', 'username', 'address', name=op.f('pk_login_limits')),
    )
    op.create_table(
        'account_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('via', sa.String(length=10), nullable=False),
        sa.Column('action', sa.String(length=30), nullable=False),
        sa.Column('detail', sa.JSON(), nullable=True),
        sa.Column('at', caseflow.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_account_events_actor_id_users')),
        sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_account_events_agency_id_agencies')),
        sa.ForeignKeyConstraint(['subject_id'], ['users.id'], name=op.f('fk_account_events_subject_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_account_events')),
    )
    with op.batch_alter_table('account_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_events_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_account_events_subject_id'), ['subject_id'], unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    _append_only("account_events")


def downgrade() -> None:
    _drop_append_only("account_events")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
    with op.batch_alter_table('account_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_events_subject_id'))
        batch_op.drop_index(batch_op.f('ix_account_events_agency_id'))
    op.drop_table('account_events')
    op.drop_table('login_limits')
    op.create_table(
        'login_failures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('username', sa.String(length=100), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('failed_at', caseflow.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failures')),
    )
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.create_index('ix_login_failures_key_at', ['username', 'address', 'failed_at'], unique=False)


def _append_only(table: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")
    else:
        op.execute(f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   f"BEGIN RAISE EXCEPTION '{table} is append-only'; END $$")
        op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                   f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()")


def _drop_append_only(table: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")
