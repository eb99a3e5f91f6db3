# SPDX-License-Identifier: GPL-3.0-or-later
"""Entitlement is explicit and narrow: no replica ever holds another branch's changes (#14)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from desktop.models.demo import loader
from desktop.models.register.groups import create_branch
from desktop.models.register.member import Member
from desktop.models.register.members import save_member
from desktop.models.store.changelog import Change, FieldHead
from desktop.sync import errors
from desktop.sync.scope import BranchResolver
from tests.conftest import member_draft
from tests.sync.test_cli_sync import cli


def _red(node):
    with node.db.unit_of_work() as session:
        return loader.load_demo(session)[1].id


def _qingshan(node):
    with node.db.unit_of_work() as session:
        branch = create_branch(session, "青山村党支部", "青山镇", "临江县")
        for name in ("赵外村", "钱外村"):
            save_member(session, branch.id, member_draft(name=name))
        return branch.id


def _branches_in_log(node, hub):
    """The branch of every entry in `node`'s raw change log, as the hub (which holds every
    branch) places it."""
    with node.db.read() as session:
        records = set(session.execute(select(Change.entity, Change.row_id)).all())
    with hub.db.read() as session:
        resolver = BranchResolver(session.connection())
        return {resolver.branch_of(entity, row_id) for entity, row_id in records}


def test_a_new_hub_never_entitles_an_empty_pc_to_everything(nodes):
    hub, red_pc, qingshan_pc, laptop = nodes("hub", "red_pc", "qingshan_pc", "laptop")
    red, qingshan = _red(red_pc), _qingshan(qingshan_pc)
    with pytest.raises(errors.BranchNotNamed):
        hub.trust(laptop)  # a new hub holds no branch: it must be told which one
    with pytest.raises(errors.BranchNotNamed):
        laptop.trust(hub)  # and the new laptop, trusting the new hub, as well
    assert hub.sync.peers(waiting=False) == [] and laptop.sync.peers(waiting=False) == []
    hub.trust(laptop, branches=[red])
    laptop.trust(hub, branches=[red])
    for pc in (red_pc, qingshan_pc):
        hub.trust(pc)  # the card names the branch it holds
        pc.trust(hub)  # the one branch here
    red_pc.send(hub)
    qingshan_pc.send(hub)
    for pc in (red_pc, qingshan_pc, laptop):
        hub.send(pc)
    assert _branches_in_log(hub, hub) == {red, qingshan}
    assert _branches_in_log(red_pc, hub) == {red}
    assert _branches_in_log(laptop, hub) == {red}
    assert _branches_in_log(qingshan_pc, hub) == {qingshan}


def test_trust_with_branches_narrows_or_widens_a_peer_and_revoke_ends_it(nodes):
    hub, laptop = nodes("hub", "laptop")
    red, qingshan = _red(hub), _qingshan(hub)
    hub.trust(laptop, branches=[red, qingshan])
    laptop.trust(hub, branches=[red, qingshan])
    [peer] = hub.sync.trust(hub.sync.read_card(laptop.card()), [red])[0:1]
    assert peer.branches == ("红旗村党支部",), "narrowed to the one named"
    hub.send(laptop)
    assert _branches_in_log(laptop, hub) == {red}
    laptop.send(hub)  # acknowledges what it holds

    widened, _created = hub.sync.trust(hub.sync.read_card(laptop.card()), [red, qingshan])
    assert sorted(widened.branches) == sorted(["红旗村党支部", "青山村党支部"])
    hub.send(laptop)
    assert _branches_in_log(laptop, hub) == {red, qingshan}, "the whole branch, not only news"
    again, _created = hub.sync.trust(hub.sync.read_card(laptop.card()))
    assert again.branches == widened.branches, "trusting a card again changes nothing"

    revoked = hub.sync.revoke(laptop.id)
    assert revoked.id == laptop.id and hub.sync.peers(waiting=False) == []
    with pytest.raises(errors.BundleUntrusted):
        laptop.send(hub)
    with pytest.raises(errors.UnknownPeer):
        hub.bundle_for(laptop)


def test_revoke_from_the_command_line(nodes, capsys):
    hub, laptop = nodes("hub", "laptop")
    red = _red(hub)
    hub.trust(laptop, branches=[red])
    folder = str(hub.folder)
    hub.close()
    code, text, err = cli(capsys, "sync", "revoke", str(laptop.id)[:13], "--data-dir", folder)
    assert code == 0 and str(laptop.id) in text, err
    code, _text, err = cli(capsys, "sync", "revoke", str(laptop.id), "--data-dir", folder)
    assert code == 1 and err
    hub.__init__(hub.root, hub.name)


def _forge_move(village, member_id, branch_id, base):
    """The village writes, with its own keys, one change setting another branch's member's
    `branch_id` to its own branch, based on that field's head entry (the attack of case 3)."""
    from desktop.models.store.changelog import Op, append_local, encode

    with village.db.unit_of_work() as session:
        session.add(
            FieldHead(
                entity="member", row_id=member_id, field="branch_id", origin=base[0], seq=base[1]
            )
        )
        session.flush()
        append_local(
            session, [("member", member_id, "branch_id", Op.SET, None, encode(branch_id), None)]
        )


def test_a_village_cannot_pull_another_branchs_member_by_moving_her(nodes):
    hub, village = nodes("hub", "village")
    red, qingshan = _red(hub), _qingshan(hub)
    hub.trust(village, branches=[red])
    village.trust(hub, branches=[red])
    hub.send(village)
    with hub.db.read() as session:
        target = session.scalars(select(Member.id).where(Member.branch_id == qingshan)).first()
        head = session.get(FieldHead, ("member", target, "branch_id"))
        base = (head.origin, head.seq)
    _forge_move(village, target, red, base)
    summary = village.send(hub)
    assert summary.entries_refused >= 1 and summary.entries_new == 0
    with hub.db.read() as session:
        assert session.get(Member, target).branch_id == qingshan, "she stays in her branch"
    hub.send(village)
    with village.db.read() as session:
        names = set(session.scalars(select(Member.name)))
        assert not names & {"赵外村", "钱外村"}
    with village.db.read() as session:  # nothing of hers came back: only the forged entry
        assert (
            session.scalar(select(func.count()).select_from(Change).where(Change.row_id == target))
            == 1
        )


def test_a_transfer_needs_the_right_to_both_branches(nodes):
    hub, county = nodes("hub", "county")
    red, qingshan = _red(hub), _qingshan(hub)
    hub.trust(county, branches=[red, qingshan])
    county.trust(hub, branches=[red, qingshan])
    hub.send(county)
    with county.db.unit_of_work() as session:  # a county clerk entitled to both moves her
        member = session.scalars(select(Member).where(Member.branch_id == qingshan)).first()
        member.branch_id = red
        moved = member.id
    county.send(hub)
    with hub.db.read() as session:
        assert session.get(Member, moved).branch_id == red


def test_revoking_a_restored_pc_also_ends_the_trust_its_earlier_id_carried(nodes, tmp_path):
    """A restored (or copied) PC continues under a new id with the same keys; the hub trusts
    the new id as its successor. Revoking the id the clerk sees must end the trust of that
    PC: it may not come back as the successor of its earlier id, still trusted."""
    from desktop.models.store import backup
    from desktop.models.store.keyring import Credentials
    from tests.conftest import TEST_PASSWORD, TEST_USER

    hub, laptop = nodes("hub", "laptop")
    red = _red(hub)
    hub.trust(laptop, branches=[red])
    laptop.trust(hub, branches=[red])
    hub.send(laptop)
    made = backup.backup_to_folder(laptop.db, tmp_path / "stick")
    laptop.close()
    backup.restore_backup(made, laptop.folder, Credentials(TEST_USER, TEST_PASSWORD))
    laptop.__init__(laptop.root, laptop.name)
    laptop.send(hub)  # the hub now trusts the restored laptop as the earlier one's successor
    assert laptop.id in {p.id for p in hub.sync.peers(waiting=False)}

    hub.sync.revoke(laptop.id)  # the laptop is stolen: the clerk revokes the PC listed
    assert hub.sync.peers(waiting=False) == [], "no id of that PC is trusted any more"
    with pytest.raises(errors.BundleUntrusted):
        laptop.send(hub)
    assert hub.sync.peers(waiting=False) == []


def test_changes_the_hub_refuses_are_reported_to_the_pc_that_sent_them(nodes, capsys):
    """A laptop narrowed at the hub to one branch still holds the other and edits there; the
    hub refuses those changes. The laptop must be told, not shown "sent" as if they went."""
    from desktop.sync.http import exchange_with_hub
    from tests.sync.test_hub_rounds import HubServer

    hub, laptop = nodes("hub", "laptop")
    red, qingshan = _red(hub), _qingshan(hub)
    hub.trust(laptop, branches=[red, qingshan])
    laptop.trust(hub, branches=[red, qingshan])
    with HubServer(hub) as server:
        exchange_with_hub(laptop.db, server.url)
        hub.sync.trust(hub.sync.read_card(laptop.card()), [red])  # narrowed at the hub only
        with laptop.db.unit_of_work("laptop") as session:
            member = session.scalars(select(Member).where(Member.branch_id == qingshan)).first()
            member.phone = "13900000404"
        result = exchange_with_hub(laptop.db, server.url)
        assert result.refused_by_hub == 1, "the hub refused the edit: the laptop is told"
        with laptop.db.unit_of_work("laptop") as session:
            session.get(Member, member.id).address = "青山村二组"
        folder = str(laptop.folder)
        laptop.close()
        code, text, err = cli(capsys, "sync", "push", "--hub", server.url, "--data-dir", folder)
        laptop.__init__(laptop.root, laptop.name)
    assert code == 0, err
    # The earlier refused change is offered again with the new one (it is kept, not dropped):
    # both are refused, and the count says so (not a digit found anywhere, e.g. in a PC's id).
    assert "同步中心拒绝了本机的 2 条更改" in text, text
