# SPDX-License-Identifier: GPL-3.0-or-later
"""How far each origin's log was read for a peer with nothing it may have

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07

`sync_checkpoint.skipped_to`: for a peer entitled to only some branches, the seq up to which an
export has read an origin's log above the peer's vector and found only other branches' entries.
The next round starts reading there instead of at the peer's vector (issue #14, docs/sync.md,
"Cost"). 0 (nothing skipped) for every existing row. Migration scripts use op.* and plain SQL
only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "sync_checkpoint",
        sa.Column("skipped_to", sa.BigInteger(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    with op.batch_alter_table("sync_checkpoint") as batch:
        batch.drop_column("skipped_to")
