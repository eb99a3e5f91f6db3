# SPDX-License-Identifier: GPL-3.0-or-later
"""Migration 0012: the host name every PC had ("vm") gives way to a name from the branch and
role; a peer gets a local name; downgrading keeps the replicas and peers."""

from __future__ import annotations

import sqlite3
import uuid

from sqlalchemy import create_engine

from desktop import paths
from desktop.i18n import _
from desktop.models.store import migrate
from desktop.models.store.db import Database
from desktop.sync.service import SyncService


def test_upgrade_forgets_the_host_name_and_downgrade_drops_the_new_columns(data_dir):
    data_dir.mkdir()
    path = paths.database_path(data_dir)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        migrate.upgrade(conn, "0011")
    engine.dispose()
    local, other = uuid.uuid4(), uuid.uuid4()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO replica (id, name, is_local, last_seq, last_hlc, created_at) "
            "VALUES (?, 'vm', 1, 0, 0, '2026-12-01 00:00:00'), "
            "(?, 'vm', 0, 0, 0, '2026-12-01 00:00:00')",
            (local.hex, other.hex),
        )
        conn.execute(
            "INSERT INTO sync_peer (id, name, sign_public, box_public, branches, trusted_at, "
            "last_in_seq, last_out_seq) VALUES (?, 'vm', ?, ?, '[]', '2026-12-01 00:00:00', 0, 0)",
            (other.hex, b"\1" * 32, b"\2" * 32),
        )
        conn.execute(
            "INSERT INTO branch (id, name, town, county, phone, deleted) "
            "VALUES (?, '老数据村党支部', '青山镇', '临江县', '', 0)",
            (uuid.uuid4().hex,),
        )
    db = Database.open(data_dir)
    sync = SyncService(db)
    # The file was found elsewhere than its (unknown) home: same name rules for the new id.
    assert sync.me()[1] == _("{branch} · {role}").format(
        branch="老数据村党支部", role=_("office PC")
    )
    (peer,) = sync.peers(waiting=False)
    assert (peer.name, peer.label, peer.card_name) == ("vm", "vm", "vm")
    sync.name_peer(other, "老支书的电脑")
    sync.name_this_pc("村委会", role="laptop")
    assert sync.peers(waiting=False)[0].label == "老支书的电脑"
    key = db._key
    db.close()

    from alembic import command

    from desktop.models.store import db as db_module

    engine = db_module._make_engine(path, key)
    with engine.begin() as conn:
        command.downgrade(migrate._config(conn), "0011")
        replica_columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(replica)")}
        peer_columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(sync_peer)")}
        names = sorted(r[0] for r in conn.exec_driver_sql("SELECT name FROM replica"))
        peers = conn.exec_driver_sql("SELECT name FROM sync_peer").all()
        command.upgrade(migrate._config(conn), "head")
    engine.dispose()
    assert "role" not in replica_columns and "name_chosen" not in replica_columns
    assert "local_name" not in peer_columns
    assert "村委会" in names and [tuple(p) for p in peers] == [("vm",)]
