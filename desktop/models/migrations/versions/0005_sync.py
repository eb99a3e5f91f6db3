# SPDX-License-Identifier: GPL-3.0-or-later
"""Sync: further base pointers of the change log, keys, peers, checkpoints, conflicts, imports

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-23

Migration scripts use op.* and plain SQL only, never the ORM classes (they change later).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_base",
        sa.Column("origin", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("base_origin", sa.Uuid(), nullable=False),
        sa.Column("base_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "origin", "seq", "base_origin", "base_seq", name=op.f("pk_change_base")
        ),
    )
    op.create_index("ix_change_base_base", "change_base", ["base_origin", "base_seq"])
    op.create_table(
        "sync_identity",
        sa.Column("replica_id", sa.Uuid(), nullable=False),
        sa.Column("sign_key", sa.LargeBinary(), nullable=False),
        sa.Column("box_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("replica_id", name=op.f("pk_sync_identity")),
    )
    op.create_table(
        "sync_peer",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sign_public", sa.LargeBinary(), nullable=False),
        sa.Column("box_public", sa.LargeBinary(), nullable=False),
        sa.Column("branches", sa.Text(), nullable=False),
        sa.Column("trusted_at", sa.DateTime(), nullable=False),
        sa.Column("last_import_at", sa.DateTime(), nullable=True),
        sa.Column("last_export_at", sa.DateTime(), nullable=True),
        sa.Column("last_in_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_out_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_peer")),
    )
    op.create_table(
        "sync_checkpoint",
        sa.Column("peer_id", sa.Uuid(), nullable=False),
        sa.Column("origin", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("peer_id", "origin", name=op.f("pk_sync_checkpoint")),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
        sa.UniqueConstraint("entity", "row_id", "field", name="uq_sync_conflict_key"),
    )
    op.create_table(
        "sync_import",
        sa.Column("bundle_id", sa.Uuid(), nullable=False),
        sa.Column("sender", sa.Uuid(), nullable=False),
        sa.Column("bundle_seq", sa.BigInteger(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("entries_new", sa.Integer(), nullable=False),
        sa.Column("records_added", sa.Integer(), nullable=False),
        sa.Column("fields_updated", sa.Integer(), nullable=False),
        sa.Column("conflicts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bundle_id", name=op.f("pk_sync_import")),
    )


def downgrade() -> None:
    op.drop_table("sync_import")
    op.drop_table("sync_conflict")
    op.drop_table("sync_checkpoint")
    op.drop_table("sync_peer")
    op.drop_table("sync_identity")
    op.drop_index("ix_change_base_base", table_name="change_base")
    op.drop_table("change_base")
