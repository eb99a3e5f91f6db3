# SPDX-License-Identifier: GPL-3.0-or-later
"""Migration 0004 keeps the stewards and commitments of a 0002 file and adds the new columns."""

from __future__ import annotations

import sqlite3
import uuid

from sqlalchemy import create_engine

from desktop import paths
from desktop.models.stewards import appointments
from desktop.models.store import migrate
from desktop.models.store.db import Database


def test_stewards_of_the_previous_schema_survive_with_defaults(data_dir):
    data_dir.mkdir()
    path = paths.database_path(data_dir)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        migrate.upgrade(conn, "0002")
    engine.dispose()
    branch, member, steward = (uuid.uuid4().hex for _ in range(3))
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO branch (id, name, town, county, phone, deleted) "
            "VALUES (?, '老数据村党支部', '青山镇', '临江县', '', 0)",
            (branch,),
        )
        conn.execute(
            "INSERT INTO member (id, branch_id, name, gender, id_number, ethnicity, status, "
            "phone, address, standing, lost_contact, floating, floating_to, notes, deleted) "
            "VALUES (?, ?, '王建国', 'male', '430121196001010011', '01', 'full', '', '', "
            "'normal', 0, 0, '', '', 0)",
            (member, branch),
        )
        conn.execute(
            "INSERT INTO steward (id, branch_id, member_id, role, deleted) "
            "VALUES (?, ?, ?, 'chief', 0)",
            (steward, branch, member),
        )
        conn.execute(
            "INSERT INTO commitment (id, steward_id, year, content, stage, deleted) "
            "VALUES (?, ?, 2026, '每月走访', 'published', 0)",
            (uuid.uuid4().hex, steward),
        )
    db = Database.open(data_dir)
    with db.read() as s:
        rows = appointments.list_stewards(s, uuid.UUID(branch), year=2026)
    assert [(r.name, r.area, r.phone_public, r.has_photo) for r in rows] == [
        ("王建国", "", False, False)
    ]
    assert rows[0].commitment.stage == "published" and rows[0].commitment.evaluation == ""
    db.close()


def test_downgrade_to_0002_keeps_the_stewards(data_dir, demo_db):
    from alembic import command

    from desktop.models.store import db as db_module

    key = demo_db._key
    demo_db.close()
    # The data file is encrypted: the same keyed engine the app uses.
    engine = db_module._make_engine(paths.database_path(data_dir), key)
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        command.downgrade(migrate._config(conn), "0002")
        count = conn.exec_driver_sql("SELECT count(*) FROM steward").scalar()
    engine.dispose()
    assert count == 13
