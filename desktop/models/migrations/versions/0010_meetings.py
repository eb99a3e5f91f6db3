# SPDX-License-Identifier: GPL-3.0-or-later
"""Meetings: the record, attendance, decisions, frequencies and the branch committee

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24

Migration scripts use op.* and plain SQL only, never the ORM classes (they change later).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _synced(name: str, *columns: sa.Column, fks: list[tuple[str, str]]) -> None:
    """A synced table: its columns, then id and tombstone, foreign keys and indexes."""
    op.create_table(
        name,
        *columns,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        *[
            sa.ForeignKeyConstraint(
                [column],
                [f"{target}.id"],
                name=op.f(f"fk_{name}_{column}_{target}"),
            )
            for column, target in fks
        ],
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{name}_deleted"), ["deleted"], unique=False)


def _index(table: str, column: str) -> None:
    op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def upgrade() -> None:
    _synced(
        "meeting",
        sa.Column("branch_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=True),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("chair", sa.String(length=50), nullable=False),
        sa.Column("recorder", sa.String(length=50), nullable=False),
        sa.Column("audience", sa.String(length=20), nullable=False),
        sa.Column("party_group_id", sa.Uuid(), nullable=True),
        sa.Column("agenda", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("held", sa.Boolean(), nullable=False),
        sa.Column("quorum", sa.String(length=20), nullable=False),
        fks=[("branch_id", "branch"), ("party_group_id", "party_group")],
    )
    _index("meeting", "branch_id")
    _index("meeting", "starts_at")
    _synced(
        "attendance",
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=True),
        sa.Column("guest_name", sa.String(length=50), nullable=False),
        sa.Column("guest_org", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=100), nullable=False),
        sa.Column("made_up_on", sa.Date(), nullable=True),
        fks=[("meeting_id", "meeting"), ("member_id", "member")],
    )
    _index("attendance", "meeting_id")
    _index("attendance", "member_id")
    _synced(
        "decision",
        sa.Column("branch_id", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("carried_to_id", sa.Uuid(), nullable=True),
        fks=[("branch_id", "branch"), ("carried_to_id", "meeting"), ("meeting_id", "meeting")],
    )
    _index("decision", "branch_id")
    _index("decision", "meeting_id")
    _synced(
        "meeting_frequency",
        sa.Column("branch_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=True),
        fks=[("branch_id", "branch")],
    )
    _index("meeting_frequency", "branch_id")
    _synced(
        "committee_seat",
        sa.Column("branch_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("post", sa.String(length=20), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        fks=[("branch_id", "branch"), ("member_id", "member")],
    )
    _index("committee_seat", "branch_id")
    _index("committee_seat", "member_id")


def downgrade() -> None:
    for table in ("committee_seat", "meeting_frequency", "decision", "attendance", "meeting"):
        op.drop_table(table)
