# SPDX-License-Identifier: GPL-3.0-or-later
"""The SQL that narrows a list to one branch's records (`scope.may_belong`) admits what the
branch resolver says belongs there: on a register of every kind of record, two branches."""

from __future__ import annotations

import uuid

from sqlalchemy import literal, select

from desktop.models.register.groups import add_party_group, create_branch
from desktop.models.register.members import save_member
from desktop.models.store.base import Base
from desktop.models.store.db import Database
from desktop.sync.scope import BranchResolver, may_belong
from tests.conftest import member_draft

SAMPLE = 30


def test_the_sql_narrowing_admits_what_the_resolver_says(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        other = create_branch(session, "青山村党支部", "青山镇", "临江县")
        group = add_party_group(session, other.id)
        save_member(session, other.id, member_draft(party_group_id=group.id))
    tables = [t for t in Base.metadata.tables.values() if {"id", "deleted"} <= set(t.c.keys())]
    with demo_db.read() as session:
        resolver = BranchResolver(session.connection())
        # The last records of each kind (the new branch's among them): every kind, quickly.
        sample = {
            table.name: list(
                session.scalars(select(table.c.id).order_by(table.c.id.desc()).limit(SAMPLE))
            )
            for table in tables
        }
        records = [(name, row_id) for name, ids in sample.items() for row_id in ids]
        kinds = {entity for entity, _id in records}
        assert len(kinds) >= 15, sorted(kinds)  # stewards, rosters, services, meetings…
        branches = {resolver.branch_of(entity, row_id) for entity, row_id in records}
        assert other.id in branches and len(branches - {None}) == 2
        for branch_id in [*sorted(branches - {None}), uuid.uuid4()]:
            admitted = {
                (table.name, row_id)
                for table in tables
                for row_id in session.scalars(
                    select(table.c.id).where(
                        table.c.id.in_(sample[table.name]),
                        may_belong(literal(table.name), table.c.id, branch_id),
                    )
                )
            }
            belongs = {r for r in records if resolver.branch_of(*r) == branch_id}
            assert admitted == belongs, admitted ^ belongs
        # A record only the change log knows (a table this version does not have): admitted,
        # for the resolver to decide.
        unknown = session.scalar(
            select(literal(True)).where(may_belong(literal("future_table"), literal(1), other.id))
        )
        assert unknown
