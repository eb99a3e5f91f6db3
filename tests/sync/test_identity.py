# SPDX-License-Identifier: GPL-3.0-or-later
"""A replica's identity: a restored backup or a copied data folder never reuses it (#14)."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from desktop.models.demo import loader
from desktop.models.register.member import Member
from desktop.models.register.members import get_member, save_member
from desktop.models.store import backup, replica
from desktop.models.store.changelog import Change
from desktop.sync import errors
from tests.conftest import TEST_PASSWORD, TEST_USER
from tests.sync.conftest import Node, pair

ADMIN_CREDENTIALS = (TEST_USER, TEST_PASSWORD)


def _demo(node):
    with node.db.unit_of_work() as session:
        loader.load_demo(session)


def _members(node, count=2):
    with node.db.read() as session:
        return session.scalars(select(Member.id).order_by(Member.id).limit(count)).all()


def _edit(node, member_id, **changes):
    with node.db.unit_of_work(node.name) as session:
        row = get_member(session, member_id)
        branch_id = session.get(Member, member_id).branch_id
        save_member(session, branch_id, row.draft.replace(**changes), member_id)


def _value(node, member_id, field):
    with node.db.read() as session:
        return getattr(session.get(Member, member_id), field)


def _entries(node):
    with node.db.read() as session:
        return set(session.execute(select(Change.origin, Change.seq, Change.new_value)).all())


def _reopen(node):
    node.close()
    node.__init__(node.root, node.name)


def _restore(node, made):
    from desktop.models.store.keyring import Credentials

    node.close()
    backup.restore_backup(made, node.folder, Credentials(*ADMIN_CREDENTIALS))
    node.__init__(node.root, node.name)


ORDERS = {
    "push then pull": ("push", "pull"),
    "pull then push": ("pull", "push"),
    "pull, push, pull": ("pull", "push", "pull"),
}


@pytest.mark.parametrize("order", list(ORDERS))
def test_a_restored_backup_continues_as_a_new_replica_and_loses_no_edit(
    tmp_path, order, hub_server
):
    village = Node(tmp_path, "village")
    hub = Node(tmp_path, "hub", server=hub_server)
    try:
        _demo(village)
        pair(village, hub)
        village.send(hub)
        hub.send(village)
        first, second = _members(village)
        made = backup.backup_to_folder(village.db, tmp_path / "stick")
        old_id = village.id

        _edit(village, first, phone="13900000041")  # logged, pushed, then lost by the restore
        village.send(hub)
        old_top = max(s for o, s, _v in _entries(hub) if o == old_id)
        _restore(village, made)
        assert village.id != old_id, "a restored backup continues under a new replica id"
        _edit(village, second, address="红旗村四组")  # the edit that used to reuse seq 41

        for step in ORDERS[order]:
            if step == "push":
                village.send(hub)
            else:  # the hub exports for the id it knows the village by (the old one at first)
                known = {p.id for p in hub.sync.peers(waiting=False)}
                out = tmp_path / "stick" / f"pull-{step}-{len(known)}-{village.id}.rsb"
                hub.sync.export(village.id if village.id in known else old_id, out)
                village.sync.import_file(out)
        village.send(hub)
        hub.send(village)
        for node in (village, hub):
            assert _value(node, first, "phone") == "13900000041"
            assert _value(node, second, "address") == "红旗村四组"
        assert village.snapshot() == hub.snapshot()
        assert _entries(village) == _entries(hub)
        # The old id is never written again: every entry after the restore is the new id's.
        assert max(s for o, s, _v in _entries(hub) if o == old_id) == old_top
    finally:
        village.close()
        hub.close()


def test_a_copied_data_folder_becomes_a_replica_of_its_own(nodes, tmp_path):
    office, hub = nodes("office", "hub")
    _demo(office)
    pair(office, hub)
    office.send(hub)
    office.close()
    shutil.copytree(office.folder, tmp_path / "laptop")
    office.__init__(office.root, office.name)
    laptop = Node(tmp_path, "laptop")
    try:
        assert laptop.id != office.id
        _reopen(office)
        _reopen(laptop)
        assert laptop.id != office.id, "each copy keeps its own identity from then on"
        first, second = _members(office)
        _edit(office, first, phone="13900000051")
        _edit(laptop, second, phone="13900000052")
        office.send(hub)
        laptop.send(hub)  # trusted as the office's successor: the same keys signed it
        hub.send(office)
        hub.send(laptop)
        for node in (office, laptop, hub):
            assert (_value(node, first, "phone"), _value(node, second, "phone")) == (
                "13900000051",
                "13900000052",
            )
        assert office.snapshot() == laptop.snapshot() == hub.snapshot()
    finally:
        laptop.close()


def test_the_same_change_number_with_other_content_is_refused_naming_the_sender(
    nodes, tmp_path, monkeypatch
):
    # A copy made by an older version, which did not notice it was a copy.
    monkeypatch.setattr(replica, "home_of", lambda _path: "the same place")
    office, hub = nodes("office", "hub")
    _demo(office)
    pair(office, hub)
    office.send(hub)
    office.close()
    shutil.copytree(office.folder, tmp_path / "twin")
    office.__init__(office.root, office.name)
    twin = Node(tmp_path, "twin")
    try:
        assert twin.id == office.id
        first, second = _members(office)
        _edit(office, first, phone="13900000061")
        _edit(twin, second, phone="13900000062")  # the same (origin, seq), other content
        office.send(hub)
        twin.bundle_for(hub)  # a stick lost: the twin's bundle numbers are past the office's
        with pytest.raises(errors.ChangeCollision) as refused:
            twin.send(hub)
        assert str(twin.id) in str(refused.value)
        assert _value(hub, second, "phone") != "13900000062"
    finally:
        twin.close()
