# SPDX-License-Identifier: GPL-3.0-or-later
"""Migration 0013: the change log's (actor, hlc) index for the audit trail (#22), made on an
existing log and dropped by a downgrade, the entries untouched."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine

from desktop import paths
from desktop.models.store import migrate


def _indexes(conn) -> set[str]:  # type: ignore[no-untyped-def]
    rows = conn.exec_driver_sql("PRAGMA index_list(change_log)")
    return {row[1] for row in rows}


def test_upgrade_indexes_the_log_by_actor_and_downgrade_drops_it(data_dir):
    data_dir.mkdir()
    path = paths.database_path(data_dir)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        migrate.upgrade(conn, "0012")
        assert "ix_change_log_actor" not in _indexes(conn)
        conn.exec_driver_sql(
            "INSERT INTO change_log (origin, seq, hlc, tx_id, entity, row_id, field, op, "
            "new_value, actor, schema_version) VALUES "
            "(x'01', 1, 10, x'02', 'member', x'03', 'name', 'set', '\"王芳\"', 'liu', 2)"
        )
        migrate.upgrade(conn, "0013")
        assert "ix_change_log_actor" in _indexes(conn)
        plan = conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT hlc FROM change_log WHERE actor = 'liu' ORDER BY hlc DESC"
        ).all()
        assert "ix_change_log_actor" in plan[0][3]
        command.downgrade(migrate._config(conn), "0012")
        assert "ix_change_log_actor" not in _indexes(conn)
        assert conn.exec_driver_sql("SELECT actor FROM change_log").all() == [("liu",)]
    engine.dispose()
