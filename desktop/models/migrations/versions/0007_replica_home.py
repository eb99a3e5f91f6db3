# SPDX-License-Identifier: GPL-3.0-or-later
"""A replica's home and successor: a restored or copied data file continues under a new id

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

`replica.home` is where the local data file lives (machine, path, file id); a file found
elsewhere, or restored from a backup, retires its replica id and `replica.succeeded_by` names the
id that continues it (issue #14, docs/sync.md). Existing files get their home on the next open.
Migration scripts use op.* and plain SQL only, never the ORM classes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("replica", sa.Column("home", sa.String(length=64), nullable=True))
    op.add_column("replica", sa.Column("succeeded_by", sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("replica") as batch:
        batch.drop_column("succeeded_by")
        batch.drop_column("home")
