# SPDX-License-Identifier: GPL-3.0-or-later
"""Changes signed by their origin: one signature per transaction, and each origin's key

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06

`change_signature` holds, per (origin, transaction), the digests of its entries in seq order
and the origin's Ed25519 signature over them; relays store and forward it unchanged.
`replica.sign_public` pins the key a replica's changes are verified with (issue #14,
docs/sync.md). Migration scripts use op.* and plain SQL only, never the ORM classes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_signature",
        sa.Column("origin", sa.Uuid(), nullable=False),
        sa.Column("tx_id", sa.Uuid(), nullable=False),
        sa.Column("digests", sa.LargeBinary(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("origin", "tx_id", name=op.f("pk_change_signature")),
    )
    op.add_column("replica", sa.Column("sign_public", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("replica") as batch:
        batch.drop_column("sign_public")
    op.drop_table("change_signature")
