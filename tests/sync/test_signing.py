# SPDX-License-Identifier: GPL-3.0-or-later
"""Changes are signed by their origin: a change claiming another PC's origin is refused (#14)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desktop.models.demo import loader
from desktop.models.register.member import Member
from desktop.models.register.members import get_member, save_member
from desktop.models.store.base import uuid7
from desktop.models.store.changelog import (
    Change,
    ChangeSignature,
    FieldHead,
    Replica,
    encode,
)
from desktop.sync import errors, signing
from desktop.sync.identity import local_identity
from tests.sync.conftest import pair


def _first(node):
    with node.db.read() as session:
        return session.scalars(select(Member.id).order_by(Member.id).limit(1)).one()


def _forge(attacker, victim, member_id, phone, sign=True):
    """`attacker` writes into its own log an entry claiming `victim`'s origin and next seq,
    signed (or not) with its own key, and pins its own key as the victim's."""
    with attacker.db.bookkeeping() as session:
        me = local_identity(session)
        head = session.get(FieldHead, ("member", member_id, "phone"))
        top = session.scalar(select(Replica.last_seq).where(Replica.id == victim.id)) or 0
        entry = {
            "origin": victim.id,
            "seq": top + 1,
            "hlc": 1 << 62,
            "tx_id": uuid7(),
            "entity": "member",
            "row_id": member_id,
            "field": "phone",
            "op": "set",
            "old_value": None,
            "new_value": encode(phone),
            "base_origin": head.origin,
            "base_seq": head.seq,
            "actor": "victim",
            "schema_version": 2,
        }
        session.add(Change(**entry))
        session.merge(Replica(id=victim.id, name="", is_local=False, sign_public=me.sign_public))
        if sign:
            digests = signing.digest(entry, ())
            session.add(
                ChangeSignature(
                    origin=victim.id,
                    tx_id=entry["tx_id"],
                    digests=digests,
                    signature=me.sign_key.sign(signing.message(victim.id, entry["tx_id"], digests)),
                )
            )
        return entry["seq"]


@pytest.mark.parametrize("sign", [True, False], ids=["signed with its own key", "unsigned"])
def test_a_change_claiming_another_pcs_origin_is_refused_naming_the_sender(nodes, sign):
    office, laptop, hub = nodes("office", "laptop", "hub")
    with office.db.unit_of_work() as session:
        loader.load_demo(session)
    pair(office, laptop, hub)
    office.send(hub)
    hub.send(laptop)
    target = _first(office)
    _forge(office, laptop, target, "13900000666", sign)
    with pytest.raises(errors.ChangeForged) as refused:
        office.send(hub)
    assert str(office.id) in str(refused.value)
    # The laptop's real edit under that number still arrives and is applied.
    with laptop.db.unit_of_work() as session:
        row = get_member(session, target)
        branch_id = session.get(Member, target).branch_id
        save_member(session, branch_id, row.draft.replace(phone="13900000777"), target)
    laptop.send(hub)
    with hub.db.read() as session:
        assert session.get(Member, target).phone == "13900000777"


def test_a_relay_forwards_signatures_unchanged(nodes):
    office, laptop, hub = nodes("office", "laptop", "hub")
    with office.db.unit_of_work() as session:
        loader.load_demo(session)
    pair(office, hub)
    office.send(hub)
    pair(laptop, hub)
    hub.send(laptop)  # the laptop never trusted the office: it learns its key from the hub
    with office.db.read() as session:
        mine = set(session.execute(select(ChangeSignature.tx_id, ChangeSignature.signature)))
    with laptop.db.read() as session:
        relayed = set(session.execute(select(ChangeSignature.tx_id, ChangeSignature.signature)))
        pinned = session.scalar(select(Replica.sign_public).where(Replica.id == office.id))
    assert mine and relayed == mine
    with office.db.read() as session:
        assert pinned == local_identity(session).sign_public
