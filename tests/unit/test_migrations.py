# SPDX-License-Identifier: GPL-3.0-or-later
"""An empty database and one from the previous schema both open at the current schema."""

from __future__ import annotations

import sqlite3
import uuid

from sqlalchemy import create_engine

from desktop import paths
from desktop.models.store import backup, migrate
from desktop.models.store.base import Base
from desktop.models.store.db import Database
from desktop.models.store.keyring import Credentials


def test_the_known_revisions_end_at_alembic_head():
    assert migrate.script_heads() == [migrate.HEAD]


def test_migrations_build_exactly_the_models(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with engine.begin() as conn:
        migrate.upgrade(conn)
        # The ID-number fragment index (FTS5, 0011) is SQL of its own, not a model.
        context = MigrationContext.configure(
            conn,
            opts={"include_name": lambda name, kind, _p: not str(name).startswith("member_digits")},
        )
        diff = compare_metadata(context, Base.metadata)
        triggers = {
            row[0]
            for row in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='trigger'")
        }
    assert diff == []
    assert triggers >= {"member_digits_insert", "member_digits_update", "member_digits_delete"}


def test_a_database_from_the_previous_schema_is_migrated_with_a_backup(data_dir):
    data_dir.mkdir()
    path = paths.database_path(data_dir)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        migrate.upgrade(conn, "0001")
    engine.dispose()
    branch_id = uuid.uuid4().hex
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO branch (id, name, town, county, phone, deleted) "
            "VALUES (?, '老数据村党支部', '青山镇', '临江县', '', 0)",
            (branch_id,),
        )
    db = Database.open(data_dir)
    with db.read() as session:
        from desktop.models.register.groups import current_branch

        assert current_branch(session).name == "老数据村党支部"
    with db.raw_connection() as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == migrate.HEAD
        conn.execute("SELECT count(*) FROM household").fetchone()
    # The old plain file was encrypted on the way (see tests/unit/test_security.py).
    assert not path.read_bytes().startswith(b"SQLite format 3")
    backups = list(paths.backup_dir(data_dir).glob("auto-*-upgrade-0001.rsbackup"))
    assert len(backups) == 1
    info = backup.verify_backup(backups[0], Credentials.from_env())
    assert (info.schema, info.reason) == ("0001", "upgrade-0001")
    db.close()


def test_an_empty_database_needs_no_backup(data_dir):
    Database.open(data_dir).close()
    assert not paths.backup_dir(data_dir).exists()
