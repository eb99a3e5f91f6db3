# SPDX-License-Identifier: GPL-3.0-or-later
"""Names a clerk understands: this PC's chosen name and role, and a local name for each peer

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

`replica.role` is this PC's role (office, laptop, hub) and `replica.name_chosen` says whether the
clerk chose its name; until then the name is made from the branch and the role
(`desktop.sync.identity.default_name`). Every name so far was the host name ("vm" on both PCs):
none was chosen, so the local one is cleared and made again on first use. `sync_peer.local_name`
is what this PC's clerk calls a trusted peer (`sync trust CARD --name`), over its card's name
(issue #14, docs/sync.md). Migration scripts use op.* and plain SQL only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("replica", sa.Column("role", sa.String(16), nullable=True))
    op.add_column(
        "replica",
        sa.Column("name_chosen", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("sync_peer", sa.Column("local_name", sa.String(200), nullable=True))
    op.execute(sa.text("UPDATE replica SET name = '' WHERE is_local"))


def downgrade() -> None:
    with op.batch_alter_table("sync_peer") as batch:
        batch.drop_column("local_name")
    with op.batch_alter_table("replica") as batch:
        batch.drop_column("name_chosen")
        batch.drop_column("role")
