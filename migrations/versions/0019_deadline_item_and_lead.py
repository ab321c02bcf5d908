"""deadline board columns: each limit carries its case's item (`item_key`) and 承办人 (`lead_user_id`),
so the 监督看板's overdue and due-soon counts per rule, item and 承办人 group one covering index of the
running limits instead of joining every overdue limit to its case and to the case's officers (at
100,000 cases ~23,000 overdue limits: three index lookups each, most of the board's time).

Kept by the database, whatever writes the rows:
  - a new limit takes its case's item and first active 承办人 (lowest id) as it is inserted;
  - adding, removing or changing an officer of a case (更换、回避) sets the 承办人 of all its limits.
Existing limits are filled here.

SQLite drops a table's triggers when it is rebuilt: a later migration that rebuilds `deadlines` or
`case_officers` (batch mode with anything but added columns) must create them again
(`_create_triggers`).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 17:00:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("status = 'open'")
BOARD_INDEX = 'ix_deadlines_open_board'
BOARD_COLUMNS = ['agency_id', 'rule_code', 'due_at', 'remind_at', 'item_key', 'lead_user_id', 'status']


def _item(case_id: str) -> str:
    return f"(SELECT item_key FROM cases WHERE cases.id = {case_id})"


def _lead(case_id: str) -> str:
    """The case's 承办人: its first active lead officer, as `caseflow.cases.queries.lead_officer_name`."""
    return (f"(SELECT user_id FROM case_officers WHERE case_officers.case_id = {case_id} "
            "AND case_officers.role = 'lead' AND case_officers.removed_at IS NULL "
            "ORDER BY case_officers.id LIMIT 1)")


def upgrade() -> None:
    with op.batch_alter_table('deadlines', schema=None) as batch_op:  # ADD COLUMN: no rebuild
        batch_op.add_column(sa.Column('item_key', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('lead_user_id', sa.Integer(), nullable=True))
    op.execute(f"UPDATE deadlines SET item_key = {_item('deadlines.case_id')}, "
               f"lead_user_id = {_lead('deadlines.case_id')}")
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.create_index(BOARD_INDEX, BOARD_COLUMNS, unique=False, sqlite_where=OPEN, postgresql_where=OPEN)
    _create_triggers()
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ANALYZE deadlines")


def downgrade() -> None:
    _drop_triggers()
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_index(BOARD_INDEX, sqlite_where=OPEN, postgresql_where=OPEN)
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_column('lead_user_id')
        batch_op.drop_column('item_key')


_FOLLOW = f"UPDATE deadlines SET lead_user_id = {_lead('NEW.case_id')} WHERE case_id = NEW.case_id;"


def _create_triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE TRIGGER deadlines_board_fill AFTER INSERT ON deadlines BEGIN "
                   f"UPDATE deadlines SET item_key = {_item('NEW.case_id')}, lead_user_id = {_lead('NEW.case_id')} "
                   "WHERE id = NEW.id; END")
        op.execute(f"CREATE TRIGGER case_officers_board_insert AFTER INSERT ON case_officers BEGIN {_FOLLOW} END")
        op.execute("CREATE TRIGGER case_officers_board_update AFTER UPDATE OF user_id, role, removed_at "
                   f"ON case_officers BEGIN {_FOLLOW} END")
        return
    op.execute("CREATE FUNCTION deadlines_board_fill() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               f"NEW.item_key := {_item('NEW.case_id')}; NEW.lead_user_id := {_lead('NEW.case_id')}; "
               "RETURN NEW; END $$")
    op.execute("CREATE TRIGGER deadlines_board_fill BEFORE INSERT ON deadlines FOR EACH ROW "
               "EXECUTE FUNCTION deadlines_board_fill()")
    op.execute("CREATE FUNCTION case_officers_board_follow() RETURNS trigger LANGUAGE plpgsql AS $$ "
               f"BEGIN {_FOLLOW} RETURN NULL; END $$")
    op.execute("CREATE TRIGGER case_officers_board_follow AFTER INSERT OR UPDATE OF user_id, role, removed_at "
               "ON case_officers FOR EACH ROW EXECUTE FUNCTION case_officers_board_follow()")


def _drop_triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("deadlines_board_fill", "case_officers_board_insert", "case_officers_board_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        return
    op.execute("DROP TRIGGER IF EXISTS deadlines_board_fill ON deadlines")
    op.execute("DROP FUNCTION IF EXISTS deadlines_board_fill()")
    op.execute("DROP TRIGGER IF EXISTS case_officers_board_follow ON case_officers")
    op.execute("DROP FUNCTION IF EXISTS case_officers_board_follow()")
