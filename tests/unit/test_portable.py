# SPDX-License-Identifier: GPL-3.0-or-later
"""portable.execute_many: the driver's executemany of plain tuples stores what SQLAlchemy's
executemany of dict rows stores (ids in the same form, NULLs kept), upserts included."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from desktop.models.store import portable
from desktop.models.store.changelog import FieldHead
from desktop.models.store.db import Database

COLUMNS = ("entity", "row_id", "field", "origin", "seq")


def test_tuples_are_stored_as_dict_rows_are_and_read_back_as_ids(db: Database) -> None:
    ids = [uuid.uuid4() for _ in range(4)]
    with db.unit_of_work() as session:
        conn = session.connection()
        insert = portable.insert(FieldHead, conn)
        portable.execute_many(
            conn, insert, COLUMNS, [("t", ids[0], "a", ids[1], 1), ("t", ids[0], "b", ids[1], 2)]
        )
        conn.execute(insert, [dict(zip(COLUMNS, ("t", ids[2], "a", ids[3], 3), strict=True))])
    raw = db.raw_connection()
    try:
        stored = raw.execute("SELECT row_id, origin FROM field_head ORDER BY seq").fetchall()
    finally:
        raw.close()
    # The same text form for the rows written either way.
    assert stored == [(ids[0].hex, ids[1].hex), (ids[0].hex, ids[1].hex), (ids[2].hex, ids[3].hex)]
    with db.read() as session:
        rows = session.execute(
            select(FieldHead.row_id, FieldHead.field, FieldHead.origin).order_by(FieldHead.seq)
        ).all()
    assert [tuple(r) for r in rows][:2] == [(ids[0], "a", ids[1]), (ids[0], "b", ids[1])]


def test_an_upsert_of_tuples_updates_the_rows_it_meets(db: Database) -> None:
    row_id, first, second = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    with db.unit_of_work() as session:
        conn = session.connection()
        upsert = portable.insert(FieldHead, conn)
        upsert = upsert.on_conflict_do_update(
            index_elements=["entity", "row_id", "field"],
            set_={"origin": upsert.excluded.origin, "seq": upsert.excluded.seq},
        )
        portable.execute_many(conn, upsert, COLUMNS, [("t", row_id, "a", first, 1)])
        portable.execute_many(conn, upsert, COLUMNS, [("t", row_id, "a", second, 7)])
        portable.execute_many(conn, upsert, COLUMNS, [])
    with db.read() as session:
        assert session.execute(select(FieldHead.origin, FieldHead.seq)).all() == [(second, 7)]
