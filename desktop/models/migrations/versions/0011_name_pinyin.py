# SPDX-License-Identifier: GPL-3.0-or-later
"""Pinyin search keys for members' and household heads' names, and the register in pinyin order

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

"cjg" and "chen" find 陈建国 through stored, indexed keys (desktop/models/register/pinyin.py);
the register's covering index now walks the pinyin key, so names list in pinyin order.
Existing rows are filled here, in batches. The keys are derived data: never in the change log.
Migration scripts use op.* and plain SQL only, never the ORM classes; the reading of a name is
the one function the app itself uses, so that a migrated key equals a freshly written one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop.models.register.pinyin import name_keys

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

BATCH = 5000
MEMBER_KEYS = ("pinyin", "initials", "given")
HOUSEHOLD_KEYS = ("pinyin", "initials")

REGISTER_ORDER = [
    "branch_id",
    "deleted",
    "name_pinyin",
    "id",
    "name",
    "name_initials",
    "name_given",
    "phone",
    "id_number",
    "status",
    "party_group_id",
    "villager_group_id",
]
OLD_REGISTER_ORDER = [
    "branch_id",
    "deleted",
    "name",
    "id",
    "phone",
    "id_number",
    "status",
    "party_group_id",
    "villager_group_id",
]


def _add_keys(table: str, prefix: str, suffixes: tuple[str, ...]) -> None:
    # A plain ADD COLUMN (no table copy at county scale); the server default fills the existing
    # rows until _fill, and the app always writes the keys itself.
    lengths = {"pinyin": 200, "initials": 50, "given": 50}
    for suffix, length in ((s, lengths[s]) for s in suffixes):
        op.add_column(
            table,
            sa.Column(
                f"{prefix}_{suffix}", sa.String(length=length), nullable=False, server_default=""
            ),
        )


def _fill(table: str, source: str, prefix: str, suffixes: tuple[str, ...]) -> None:
    conn = op.get_bind()
    rows = sa.table(
        table,
        sa.column("id", sa.Uuid()),
        sa.column(source, sa.String()),
        *(sa.column(f"{prefix}_{suffix}", sa.String()) for suffix in suffixes),
    )
    update = (
        sa.update(rows)
        .where(rows.c.id == sa.bindparam("row_id"))
        .values({f"{prefix}_{suffix}": sa.bindparam(f"k_{suffix}") for suffix in suffixes})
    )
    fields = {"pinyin": "full", "initials": "initials", "given": "given"}
    result = conn.execute(sa.select(rows.c.id, rows.c[source]))
    while batch := result.fetchmany(BATCH):
        params = []
        for row_id, name in batch:
            keys = name_keys(name)
            values = {f"k_{s}": getattr(keys, fields[s]) for s in suffixes}
            params.append({"row_id": row_id, **values})
        conn.execute(update, params)


#: ID-number and phone fragments of three or more characters ("0315"): an FTS5 trigram index
#: over the member table (external content: it stores only the index), kept by triggers so that
#: every write path (ORM, Core, sync's merge) keeps it. SQLite only: a PostgreSQL hub reads the
#: plain query. A later migration that rebuilds the member table (batch mode) must create the
#: triggers again and rebuild this index (tests/unit/test_migrations.py checks they exist).
DIGITS_SQL = (
    "CREATE VIRTUAL TABLE member_digits USING fts5("
    "id_number, phone, content='member', content_rowid='rowid', tokenize='trigram')",
    "INSERT INTO member_digits(member_digits) VALUES('rebuild')",
    "CREATE TRIGGER member_digits_insert AFTER INSERT ON member BEGIN "
    "INSERT INTO member_digits(rowid, id_number, phone) "
    "VALUES (new.rowid, new.id_number, new.phone); END",
    "CREATE TRIGGER member_digits_update AFTER UPDATE OF id_number, phone ON member BEGIN "
    "INSERT INTO member_digits(member_digits, rowid, id_number, phone) "
    "VALUES ('delete', old.rowid, old.id_number, old.phone); "
    "INSERT INTO member_digits(rowid, id_number, phone) "
    "VALUES (new.rowid, new.id_number, new.phone); END",
    "CREATE TRIGGER member_digits_delete AFTER DELETE ON member BEGIN "
    "INSERT INTO member_digits(member_digits, rowid, id_number, phone) "
    "VALUES ('delete', old.rowid, old.id_number, old.phone); END",
)


def upgrade() -> None:
    _add_keys("member", "name", MEMBER_KEYS)
    _add_keys("household", "head", HOUSEHOLD_KEYS)
    _fill("member", "name", "name", MEMBER_KEYS)
    _fill("household", "head_name", "head", HOUSEHOLD_KEYS)
    op.drop_index("ix_member_register_order", table_name="member")
    op.create_index("ix_member_register_order", "member", REGISTER_ORDER, unique=False)
    op.create_index(
        "ix_member_initials",
        "member",
        ["branch_id", "deleted", "name_initials", "name_pinyin"],
        unique=False,
    )
    op.create_index(
        "ix_member_group_order",
        "member",
        ["branch_id", "deleted", "party_group_id", "name_pinyin", "id"],
        unique=False,
    )
    op.create_index(
        "ix_member_given",
        "member",
        ["branch_id", "deleted", "name_given", "name_pinyin"],
        unique=False,
    )
    if op.get_bind().dialect.name == "sqlite":
        for statement in DIGITS_SQL:
            op.execute(statement)
    op.create_index(
        "ix_household_head_pinyin", "household", ["branch_id", "head_pinyin"], unique=False
    )
    op.create_index(
        "ix_household_head_initials", "household", ["branch_id", "head_initials"], unique=False
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS member_digits_{trigger}")
        op.execute("DROP TABLE IF EXISTS member_digits")
    op.drop_index("ix_household_head_initials", table_name="household")
    op.drop_index("ix_household_head_pinyin", table_name="household")
    op.drop_index("ix_member_given", table_name="member")
    op.drop_index("ix_member_group_order", table_name="member")
    op.drop_index("ix_member_initials", table_name="member")
    op.drop_index("ix_member_register_order", table_name="member")
    for table, prefix, suffixes in (
        ("household", "head", HOUSEHOLD_KEYS),
        ("member", "name", MEMBER_KEYS),
    ):
        # A plain ALTER TABLE … DROP COLUMN (SQLite 3.35+; their indexes are gone above), not a
        # batch rebuild: rebuilding member and household under live foreign keys left the
        # older downgrades unable to drop them.
        for suffix in suffixes:
            op.drop_column(table, f"{prefix}_{suffix}")
    op.create_index("ix_member_register_order", "member", OLD_REGISTER_ORDER, unique=False)
