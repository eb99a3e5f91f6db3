# SPDX-License-Identifier: GPL-3.0-or-later
"""The audit trail's index: the change log by who made each change, newest first

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07

The audit page lists the entries of one account newest first, page by page, and offers every
account that appears in the log as a choice. Without an index on `actor` both read the whole
log (about ten million entries on a county hub: seconds per page); with `(actor, hlc)` a
page is an index range read in order and the accounts are found one index seek each
(`desktop.models.audit.trail`, issue #22). Migration scripts use op.* and plain SQL only.
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_change_log_actor", "change_log", ["actor", "hlc"])


def downgrade() -> None:
    op.drop_index("ix_change_log_actor", table_name="change_log")
