# SPDX-License-Identifier: GPL-3.0-or-later
"""Names a clerk understands (issue #14): each PC's name is chosen at pairing, travels with its
card and bundles, and is shown wherever a PC is named; two PCs with one name stay apart."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from desktop.i18n import _
from desktop.models.register.branch import Branch
from desktop.models.register.groups import add_party_group, create_branch
from desktop.models.register.members import save_member
from desktop.sync import errors, identity
from desktop.sync.identity import b64, canonical, unb64
from tests.conftest import member_draft
from tests.sync.conftest import pair
from tests.sync.test_cli_sync import cli
from tests.sync.test_signing import _forge


def _branch(node, name="红星村党支部"):
    with node.db.unit_of_work() as session:
        return create_branch(session, name, "青山镇", "临江县").id


def _peer(node, other):
    return next(p for p in node.sync.peers(waiting=False) if p.id == other.id)


def test_the_default_name_is_the_branch_and_the_role(nodes):
    office, laptop = nodes("office", "laptop")
    assert office.sync.me()[1] == _("office PC"), "no branch yet: the role alone"
    _branch(office)
    name = office.sync.me()[1]
    assert name == _("{branch} · {role}").format(branch="红星村党支部", role=_("office PC"))
    assert "vm" not in name and "红星村党支部" in name
    laptop.sync.name_this_pc(role="laptop")
    _branch(laptop)
    assert laptop.sync.me()[1] == _("{branch} · {role}").format(
        branch="红星村党支部", role=_("laptop")
    )
    pc = laptop.sync.pc_name()
    assert (pc.chosen, pc.role, pc.default) == (False, "laptop", pc.name)
    # A chosen name replaces the default; "" goes back to it.
    assert laptop.sync.name_this_pc("书记的笔记本") == "书记的笔记本"
    assert laptop.sync.pc_name().chosen
    assert laptop.sync.name_this_pc("") == pc.default


def test_a_rename_travels_in_a_new_card_and_in_bundles(nodes, tmp_path, capsys):
    office, laptop = nodes("office", "laptop")
    _branch(office)
    pair(office, laptop)
    default = office.sync.me()[1]
    assert _peer(laptop, office).label == default
    folder = str(office.folder)
    code, text, _err = cli(capsys, "sync", "name", "村委会办公室", "--data-dir", folder)
    assert code == 0 and "村委会办公室" in text
    card = tmp_path / "renamed.card"
    assert cli(capsys, "sync", "card", "--data-dir", folder, "--out", str(card))[0] == 0
    assert json.loads(card.read_text("utf-8"))["name"] == "村委会办公室"
    assert cli(capsys, "sync", "trust", str(card), "--data-dir", str(laptop.folder))[0] == 0
    code, text, _err = cli(capsys, "sync", "peers", "--data-dir", str(laptop.folder))
    assert "村委会办公室" in text and default not in text
    # A second rename reaches the laptop with the next bundle, without a new card.
    office.sync.name_this_pc("村委会办公室（新）")
    office.send(laptop)
    assert _peer(laptop, office).label == "村委会办公室（新）"
    code, text, _err = cli(capsys, "sync", "peers", "--json", "--data-dir", str(laptop.folder))
    assert json.loads(text)[0]["name"] == "村委会办公室（新）"


def test_trust_with_a_local_name_keeps_it_over_the_card(nodes, tmp_path, capsys):
    office, laptop = nodes("office", "laptop")
    _branch(office)
    office.trust(laptop)
    code, text, _err = cli(
        capsys,
        "sync",
        "trust",
        str(office.card()),
        "--name",
        "支部书记家",
        "--data-dir",
        str(laptop.folder),
        "--branch",
        str(_held(office)),
    )
    assert code == 0 and "支部书记家" in text
    office.sync.name_this_pc("村委会办公室")
    office.send(laptop)
    peer = _peer(laptop, office)
    assert (peer.label, peer.card_name) == ("支部书记家", "村委会办公室")
    # The import summary and the peer commands name it as this PC's clerk did.
    laptop.sync.name_peer(office.id, "")
    assert _peer(laptop, office).label == "村委会办公室"
    code, text, _err = cli(
        capsys, "sync", "name", "--peer", "村委会办公室", "老书记", "--data-dir", str(laptop.folder)
    )
    assert code == 0 and _peer(laptop, office).label == "老书记"


def _held(node):
    with node.db.read() as session:
        return session.scalar(select(Branch.id))


def test_two_pcs_with_one_name_are_told_apart_everywhere(nodes, capsys):
    hub, first, second = nodes("hub", "first", "second")
    branch = _branch(first)
    first.trust(hub)
    hub.trust(first)
    first.send(hub)
    second.trust(hub, [branch])
    hub.trust(second, [branch])
    hub.send(second)
    for pc in (first, second):
        pc.sync.name_this_pc("vm")  # what both were called before: the host name
    hub.trust(first)
    hub.trust(second)
    labels = {p.id: p.label for p in hub.sync.peers(waiting=False)}
    assert labels[first.id] != labels[second.id]
    assert labels[first.id] == _("{name} ({short})").format(
        name="vm", short=identity.short_id(first.id)
    )
    assert identity.short_id(first.id) != identity.short_id(second.id)
    _code, text, _err = cli(capsys, "sync", "peers", "--data-dir", str(hub.folder))
    assert labels[first.id] in text and labels[second.id] in text
    # A conflict between the two names each by its label.
    draft = member_draft(name="刘志强")
    with first.db.unit_of_work() as session:
        member_id = save_member(session, branch, draft).id
    first.send(hub)
    hub.send(second)
    for pc, phone in ((first, "13700000001"), (second, "13700000002")):
        with pc.db.unit_of_work() as session:
            save_member(session, branch, draft.replace(phone=phone), member_id)
    first.send(hub)
    second.send(hub)
    (conflict,) = hub.sync.conflicts()
    assert {o.replica_name for o in conflict.options} == {labels[first.id], labels[second.id]}


def test_a_card_without_a_name_is_still_trusted(nodes):
    office, laptop = nodes("office", "laptop")
    _branch(office)
    raw = json.loads(office.card().read_text("utf-8"))
    raw.pop("signature")
    raw.pop("name")  # a card from before names
    with office.db.bookkeeping() as session:
        key = identity.local_identity(session).sign_key
    raw["signature"] = b64(key.sign(canonical(raw)))
    old = office.root / "old.card"
    old.write_text(json.dumps(raw), "utf-8")
    card = laptop.sync.read_card(old)
    assert card.name == "" and unb64(raw["sign_public"]) == card.sign_public
    peer, created = laptop.sync.trust(card, [_held(office)])
    assert created and peer.label == _("PC {short}").format(short=identity.short_id(office.id))
    office.trust(laptop)
    laptop.sync.name_this_pc(role="laptop")  # else both were the branch's office PC
    office.send(laptop)  # its first bundle names it
    assert _peer(laptop, office).label == office.sync.me()[1]


def test_duplicates_show_both_records_side_by_side(nodes, capsys):
    office, laptop = nodes("office", "laptop")
    branch = _branch(office)
    with office.db.unit_of_work() as session:
        group_id = add_party_group(session, branch, "第一党小组").id
    pair(office, laptop)
    office.send(laptop)
    office.sync.name_this_pc("村委会办公室")
    laptop.sync.name_this_pc("书记的笔记本")
    twin = member_draft(name="王秀英")
    with office.db.unit_of_work() as session:
        save_member(session, branch, twin.replace(phone="13900000011", party_group_id=group_id))
    with laptop.db.unit_of_work() as session:
        save_member(session, branch, twin.replace(phone="13900000022", address="东头"))
    office.send(laptop)
    laptop.send(office)
    (group_row,) = office.sync.duplicates()
    records = group_row.records
    assert sorted(r.phone for r in records) == ["13900000011", "13900000022"]
    by_phone = {r.phone: r for r in records}
    assert by_phone["13900000011"].created_on == "村委会办公室"
    assert by_phone["13900000022"].created_on == "书记的笔记本"
    assert by_phone["13900000011"].party_group == "第一党小组"
    assert by_phone["13900000022"].address == "东头"
    assert records[0].id.hex[-6:] != records[1].id.hex[-6:]
    code, text, _err = cli(capsys, "sync", "duplicates", "--data-dir", str(office.folder))
    assert code == 0
    for expected in ("13900000011", "13900000022", "村委会办公室", "书记的笔记本", "第一党小组"):
        assert expected in text
    assert twin.id_number in text
    code, text, _err = cli(capsys, "sync", "duplicates", "--json", "--data-dir", str(laptop.folder))
    (listed,) = json.loads(text)
    assert {r["created_on"] for r in listed["records"]} == {"村委会办公室", "书记的笔记本"}


def test_a_refused_bundle_names_the_sender_and_the_claimed_origin(nodes):
    office, laptop, hub = nodes("office", "laptop", "hub")
    branch = _branch(office)
    with office.db.unit_of_work() as session:
        member_id = save_member(session, branch, member_draft(name="刘志强")).id
    pair(office, laptop, hub)
    office.sync.name_this_pc("村委会办公室")
    laptop.sync.name_this_pc("书记的笔记本")
    office.send(hub)
    hub.send(laptop)
    laptop.send(hub)  # the hub learns the laptop's new name
    _forge(office, laptop, member_id, "13900000666")
    with pytest.raises(errors.ChangeForged) as refused:
        office.send(hub)
    message = str(refused.value)
    assert "村委会办公室" in message and str(office.id) in message, "the sender, by name"
    assert "书记的笔记本" in message, "the PC the forged change claims to come from"
