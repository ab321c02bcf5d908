"""the sweep's queue: partial index on (next_alert_at, id); deadlines autovacuumed after 2 % changed

The sweep (alerts/sweep.py) takes running limits with an alert due in chunks, in (next_alert_at, id)
order, each chunk seeking past the last one's key (keyset), so no chunk reads again what earlier
ones read — on PostgreSQL those rows stay in the index as dead entries until VACUUM.
  - Index (next_alert_at, id) WHERE status = 'open' AND next_alert_at IS NOT NULL replaces 0004's
    (next_alert_at): the sweep's order is the index's, so PostgreSQL walks it under the LIMIT with
    no sort (an ordered index scan, which also marks the dead entries it meets so that later ticks
    skip them unread). The sweep turns bitmap scans off for that one query: PostgreSQL estimates a
    tenth of the rows due, and near the LIMIT it chose a bitmap heap scan + sort reading every due
    row for every chunk (bench/deadlines.py prints both plans: 24 ms a chunk instead of 0.8 at
    100,000 rows). On SQLite the index is the same as before (rowid is id; an UPDATE removes the
    entry at once).
  - PostgreSQL: deadlines vacuumed and analysed once 2 % of its rows (plus 1,000) changed, not
    20 % / 10 %: a catch-up that alerts 78,000 of 1,000,000 limits (7.8 %) moves them out of the
    queue index, and under the defaults neither VACUUM (their dead entries) nor ANALYZE (the
    statistics still counting them due) would follow until far more rows had changed.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-24 08:00:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUEUE = sa.text("status = 'open' AND next_alert_at IS NOT NULL")
AUTOVACUUM = ("autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 1000, "
              "autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 1000")


def upgrade() -> None:
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.create_index('ix_deadlines_open_next_alert_at_id', ['next_alert_at', 'id'], unique=False,
                              sqlite_where=QUEUE, postgresql_where=QUEUE)
        batch_op.drop_index('ix_deadlines_open_next_alert_at', sqlite_where=QUEUE, postgresql_where=QUEUE)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE deadlines SET ({AUTOVACUUM})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE deadlines RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold, "
                   "autovacuum_analyze_scale_factor, autovacuum_analyze_threshold)")
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.create_index('ix_deadlines_open_next_alert_at', ['next_alert_at'], unique=False,
                              sqlite_where=QUEUE, postgresql_where=QUEUE)
        batch_op.drop_index('ix_deadlines_open_next_alert_at_id', sqlite_where=QUEUE, postgresql_where=QUEUE)
