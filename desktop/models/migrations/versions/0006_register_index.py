# SPDX-License-Identifier: GPL-3.0-or-later
"""A covering index for the register's default order

Revision ID: 0006
Revises: 0002
Create Date: 2026-11-23

Without it SQLite picked the one-column index on `deleted` and sorted every member in a temporary
B-tree for each page: at county scale, opening the register or scrolling to the middle took
seconds (benchmarks/register_paging.py). With it, a page is an index walk.
Migration scripts use op.* and plain SQL only, never the ORM classes.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_member_register_order",
        "member",
        [
            "branch_id",
            "deleted",
            "name",
            "id",
            "phone",
            "id_number",
            "status",
            "party_group_id",
            "villager_group_id",
        ],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_member_register_order", table_name="member")
