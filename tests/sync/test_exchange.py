# SPDX-License-Identifier: GPL-3.0-or-later
"""Two and three real replicas exchanging bundles: full copies, merges, conflicts, idempotence."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from desktop import paths
from desktop.models.register.groups import create_branch, current_branch
from desktop.models.register.member import Member
from desktop.models.register.members import remove_member, save_member
from desktop.models.stewards.steward import Steward
from desktop.models.store.changelog import Change
from desktop.sync import errors
from tests.conftest import member_draft
from tests.sync.conftest import pair


def _demo(node):
    """The demo branch the node was made with (`nodes(..., demo=name)`)."""
    with node.db.read() as session:
        return current_branch(session)


def _first(node):
    with node.db.read() as session:
        return session.scalars(select(Member.id).order_by(Member.id).limit(1)).one()


def _get(node, member_id):
    with node.db.read() as session:
        return session.get(Member, member_id)


def _edit(node, member_id, **changes):
    from desktop.models.register.members import get_member

    with node.db.unit_of_work(node.name) as session:
        row = get_member(session, member_id)
        branch_id = session.get(Member, member_id).branch_id
        save_member(session, branch_id, row.draft.replace(**changes), member_id)


def test_an_empty_replica_becomes_a_full_copy_of_the_branch(nodes):
    office, laptop = nodes("office", "laptop", demo="office")
    pair(office, laptop)
    assert not list(paths.backup_dir(laptop.folder).glob("auto-*-sync.rsbackup"))
    summary = office.send(laptop)
    assert summary.records_added > 100 and summary.conflicts == 0
    assert laptop.snapshot() == office.snapshot()
    # A verified backup was taken after the bundle was verified and before it was applied.
    assert len(list(paths.backup_dir(laptop.folder).glob("auto-*-sync.rsbackup"))) == 1
    with laptop.db.read() as session:
        # remote entries are stored with their own origin, never re-logged as the laptop's own
        assert (
            session.scalar(
                select(func.count()).select_from(Change).where(Change.origin == laptop.id)
            )
            == 0
        )


def test_the_same_bundle_twice_is_refused_and_a_newer_one_repeats_nothing(nodes):
    office, laptop = nodes("office", "laptop", demo="office")
    pair(office, laptop)
    first = office.bundle_for(laptop)
    laptop.sync.import_file(first)
    before = laptop.snapshot()
    with pytest.raises(errors.BundleReplayed):
        laptop.sync.import_file(first)
    again = office.send(laptop)  # the laptop never answered: the same entries come again
    assert again.entries_new == 0 and again.entries_known > 0
    assert laptop.snapshot() == before


def test_an_answer_acknowledges_what_was_received(nodes):
    office, laptop = nodes("office", "laptop", demo="office")
    pair(office, laptop)
    office.send(laptop)
    laptop.send(office)  # carries the laptop's version vector
    assert [p.waiting for p in office.sync.peers()] == [0]
    assert office.send(laptop).entries_new == 0


def test_edits_of_different_fields_merge(nodes):
    office, laptop = nodes("office", "laptop", demo="office")
    pair(office, laptop)
    office.send(laptop)
    target = _first(office)
    _edit(office, target, phone="13911112222")
    _edit(laptop, target, address="红旗村三组")
    office.send(laptop)
    laptop.send(office)
    for node in (office, laptop):
        member = _get(node, target)
        assert (member.phone, member.address) == ("13911112222", "红旗村三组")
    assert office.snapshot() == laptop.snapshot()
    assert office.sync.conflicts() == []


def test_a_later_edit_supersedes_the_one_it_saw_whatever_the_clocks(nodes):
    office, laptop = nodes("office", "laptop", demo="office")
    pair(office, laptop)
    office.db.wall_clock = lambda: 4_000_000_000_000  # year 2096
    target = _first(office)
    _edit(office, target, phone="13900000001")
    office.send(laptop)
    laptop.db.wall_clock = lambda: 100_000  # 1970: a dead CMOS battery
    _edit(laptop, target, phone="13900000002")  # made after seeing the office's value
    laptop.send(office)
    assert _get(office, target).phone == "13900000002"
    assert office.sync.conflicts() == [] and laptop.sync.conflicts() == []


def test_concurrent_edits_show_one_winner_everywhere_and_a_conflict_a_person_settles(nodes):
    office, laptop, hub = nodes("office", "laptop", "hub", demo="office")
    pair(office, laptop, hub)
    office.send(laptop)
    office.send(hub)
    target = _first(office)
    _edit(office, target, phone="13900000011")
    _edit(laptop, target, phone="13900000022")
    office.send(laptop)
    laptop.send(office)
    laptop.send(hub)
    office.send(hub)
    phones = {_get(n, target).phone for n in (office, laptop, hub)}
    assert len(phones) == 1
    [conflict] = office.sync.conflicts()
    assert conflict.field == "phone" and conflict.kind == "value"
    assert {o.value for o in conflict.options} == {"13900000011", "13900000022"}
    assert {o.origin for o in conflict.options} == {office.id, laptop.id}
    assert {o.actor for o in conflict.options} == {office.db.user.username}
    assert [o.shown for o in conflict.options] == [True, False]
    # The hub lists, for each PC it serves, the conflicts open in the branches they share.
    assert sorted((p.id, p.open_conflicts) for p in hub.sync.peers()) == sorted(
        [(office.id, 1), (laptop.id, 1)]
    )
    # the clerk on the hub picks the one not shown; the pick travels like any edit
    [hub_conflict] = hub.sync.conflicts()
    loser = hub_conflict.options[1].value
    hub.sync.resolve(hub_conflict.id, 2)
    assert _get(hub, target).phone == loser and hub.sync.conflicts() == []
    assert [p.open_conflicts for p in hub.sync.peers()] == [0, 0]
    hub.send(office)
    hub.send(laptop)
    for node in (office, laptop):
        assert _get(node, target).phone == loser
        assert node.sync.conflicts() == []
    assert office.snapshot() == laptop.snapshot() == hub.snapshot()


def test_a_removal_concurrent_with_an_edit_keeps_the_record_until_confirmed(nodes):
    office, laptop = nodes("office", "laptop", demo="office")
    pair(office, laptop)
    office.send(laptop)
    target = _first(office)
    with office.db.unit_of_work() as session:
        remove_member(session, target)
    _edit(laptop, target, phone="13900000033")
    office.send(laptop)
    laptop.send(office)
    for node in (office, laptop):
        member = _get(node, target)
        assert not member.deleted, "an edit nobody saw must not vanish"
        [conflict] = node.sync.conflicts()
        assert conflict.kind == "delete"
        assert conflict.missed_edits[0][:2] == ("phone", "13900000033")
    office.sync.resolve(office.sync.conflicts()[0].id, 2)  # confirm the removal
    office.send(laptop)
    for node in (office, laptop):
        assert _get(node, target).deleted and node.sync.conflicts() == []
    assert office.snapshot() == laptop.snapshot()


def test_keeping_a_record_after_a_removal_conflict(nodes):
    office, laptop = nodes("office", "laptop", demo="office")
    pair(office, laptop)
    office.send(laptop)
    target = _first(office)
    with office.db.unit_of_work() as session:
        remove_member(session, target)
    _edit(laptop, target, notes="仍在村里")
    laptop.send(office)
    [conflict] = office.sync.conflicts()
    office.sync.resolve(conflict.id, 1)  # keep
    office.send(laptop)
    for node in (office, laptop):
        member = _get(node, target)
        assert not member.deleted and member.notes == "仍在村里"
        assert node.sync.conflicts() == []


def test_a_removal_that_saw_every_edit_simply_removes(nodes):
    office, laptop = nodes("office", "laptop", demo="office")
    pair(office, laptop)
    office.send(laptop)
    target = _first(office)
    _edit(laptop, target, phone="13900000044")
    laptop.send(office)
    with office.db.unit_of_work() as session:
        remove_member(session, target)
    office.send(laptop)
    assert _get(laptop, target).deleted
    assert laptop.sync.conflicts() == []


def test_the_same_person_entered_on_two_pcs_is_offered_for_merging(nodes):
    office, laptop = nodes("office", "laptop", demo="office")
    branch = _demo(office)
    pair(office, laptop)
    office.send(laptop)
    draft = member_draft(
        name="王新来", joined_on=dt.date(2020, 7, 1), confirmed_on=dt.date(2021, 7, 1)
    )
    for node in (office, laptop):
        with node.db.unit_of_work() as session:
            save_member(session, branch.id, draft)
    laptop.send(office)
    [group] = office.sync.duplicates()
    assert group.id_number == draft.id_number
    assert [name for _id, name in group.members] == ["王新来", "王新来"]


def test_duplicates_are_merged_into_one_record_and_the_merge_syncs(nodes):
    office, laptop = nodes("office", "laptop", demo="office")
    branch = _demo(office)
    pair(office, laptop)
    office.send(laptop)
    draft = member_draft(
        name="王新来",
        joined_on=dt.date(2020, 7, 1),
        confirmed_on=dt.date(2021, 7, 1),
        phone="",
        address="",
    )
    with office.db.unit_of_work() as session:
        save_member(session, branch.id, draft.replace(phone="13900001234"))
    with laptop.db.unit_of_work() as session:
        save_member(session, branch.id, draft.replace(address="红旗村三组", notes="笔记本录入"))
    laptop.send(office)
    [group] = office.sync.duplicates()
    kept, removed = sorted(member_id for member_id, _name in group.members)
    with office.db.unit_of_work() as session:  # an appointment made on the removed record
        session.add(Steward(branch_id=branch.id, member_id=removed, role="group"))

    result = office.sync.merge_duplicates(draft.id_number)
    assert (result.kept, result.removed, result.moved_references) == (kept, (removed,), 1)
    assert result.filled, "the kept record took over what only the other had"
    office.send(laptop)
    for node in (office, laptop):
        assert node.sync.duplicates() == []
        member = _get(node, kept)
        assert (member.phone, member.address, member.notes) == (
            "13900001234",
            "红旗村三组",
            "笔记本录入",
        )
        assert _get(node, removed).deleted
        with node.db.read() as session:
            assert session.scalars(
                select(Steward.member_id).where(
                    Steward.role == "group", Steward.started_on.is_(None)
                )
            ).all() == [kept]
    assert office.snapshot() == laptop.snapshot()
    with pytest.raises(errors.NoDuplicates):
        office.sync.merge_duplicates(draft.id_number)


def test_a_peer_receives_only_the_branches_it_is_entitled_to(nodes):
    hub, village = nodes("hub", "village", demo="hub")
    red = _demo(hub)
    with hub.db.unit_of_work() as session:
        other = create_branch(session, "青山村党支部", "青山镇", "临江县")
        save_member(session, other.id, member_draft(name="赵外村"))
    village.trust(hub)
    hub.trust(village, branches=[red.id])
    hub.send(village)
    with village.db.read() as session:
        names = set(session.scalars(select(Member.name)))
    assert "赵外村" not in names and len(names) > 50
    with village.db.read() as session:
        assert (
            session.scalar(
                select(func.count()).select_from(Change).where(Change.row_id == other.id)
            )
            == 0
        )


def test_a_hub_never_guesses_the_branch_of_an_empty_pc(nodes):
    hub, laptop = nodes("hub", "laptop", demo="hub")
    red = _demo(hub)
    laptop.trust(hub)
    [alone] = hub.sync.trust(hub.sync.read_card(laptop.card()))[0].branches
    assert alone == red.name, "one branch here: the new PC gets that one, named"
    with hub.db.unit_of_work() as session:
        other = create_branch(session, "青山村党支部", "青山镇", "临江县")
        save_member(session, other.id, member_draft(name="赵外村"))
    [still] = hub.sync.trust(hub.sync.read_card(laptop.card()))[0].branches
    assert still == red.name, "trusting the same card again widens nothing"
    hub.send(laptop)
    with laptop.db.read() as session:
        assert "赵外村" not in set(session.scalars(select(Member.name)))

    [newcomer] = nodes("newcomer")
    with pytest.raises(errors.BranchNotNamed) as refused:
        hub.sync.trust(hub.sync.read_card(newcomer.card()))
    assert "--branch" in str(refused.value) and "本机有 2 个支部" in str(refused.value)
    assert [p.id for p in hub.sync.peers(waiting=False)] == [laptop.id], "nothing was changed"
    peer, _created = hub.sync.trust(hub.sync.read_card(newcomer.card()), [other.id])
    assert peer.branches == ("青山村党支部",)


def test_an_export_that_cannot_be_written_leaves_no_trace(nodes, tmp_path):
    office, laptop = nodes("office", "laptop", demo="office")
    pair(office, laptop)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the stick's folder should be")
    with pytest.raises(errors.BundleNotWritten):
        office.sync.export(laptop.id, blocker / "bundle.rsb")
    assert list(tmp_path.glob("**/*.partial")) == []
    result = office.sync.export(laptop.id, tmp_path / "ok.rsb")
    assert result.bundle_seq == 1, "the failed export used no bundle number"
    assert laptop.sync.import_file(tmp_path / "ok.rsb").records_added > 100


def test_steward_photos_rosters_and_the_service_log_travel_with_the_branch(nodes):
    import io

    from PIL import Image

    from desktop.models.stewards import appointments
    from desktop.models.stewards.roster import Duty
    from desktop.models.stewards.service_record import ServiceRecord

    office, laptop = nodes("office", "laptop", demo="office")
    picture = io.BytesIO()
    Image.new("RGB", (300, 400), (180, 20, 20)).save(picture, "PNG")
    with office.db.unit_of_work(office.name) as session:
        steward_id = session.scalars(select(Steward.id).order_by(Steward.id).limit(1)).one()
        appointments.set_photo(session, steward_id, picture.getvalue())
    pair(office, laptop)
    office.send(laptop)
    assert laptop.snapshot() == office.snapshot()
    with laptop.db.read() as session:
        photo = session.get(Steward, steward_id).photo
        assert isinstance(photo, bytes) and photo.startswith(b"\xff\xd8")
        assert session.scalar(select(func.count()).select_from(Duty)) > 0
        assert session.scalar(select(func.count()).select_from(ServiceRecord)) > 0
