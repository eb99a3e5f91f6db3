# SPDX-License-Identifier: GPL-3.0-or-later
"""The sync page driven as a clerk would: import a bundle, read the summary, settle a conflict."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from desktop.models.register.member import Member
from desktop.models.register.members import get_member, save_member
from desktop.views.sync.sync_page import SyncPage
from tests.sync.conftest import Node

pytestmark = pytest.mark.gui


def _set_phone(node, member_id, phone):  # type: ignore[no-untyped-def]
    with node.db.unit_of_work(node.name) as session:
        row = get_member(session, member_id)
        branch_id = session.get(Member, member_id).branch_id
        save_member(session, branch_id, row.draft.replace(phone=phone), member_id)


def test_import_shows_a_plain_summary_and_a_conflict_is_settled_on_the_page(
    settle, qtbot, replicas, tmp_path
):
    office, laptop = replicas
    page = SyncPage(laptop.sync)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    assert page.peer_model.rowCount() == 1
    assert page.conflict_model.rowCount() == 0

    page.import_file(office.bundle_for(laptop))
    qtbot.waitUntil(lambda: "新增" in page.result_label.text(), timeout=90000)
    assert "处冲突待处理" in page.result_label.text()
    shown = [page.peer_model.index(0, c).data() for c in range(page.peer_model.columnCount())]
    assert "红旗村党支部" in shown, "each PC with the branches it shares"

    with office.db.read() as session:
        member_id = session.scalars(select(Member.id).order_by(Member.id).limit(1)).one()
    _set_phone(office, member_id, "13900005555")
    _set_phone(laptop, member_id, "13900006666")
    page.import_file(office.bundle_for(laptop))
    qtbot.waitUntil(lambda: page.conflict_model.rowCount() == 1, timeout=90000)
    detail = page.conflict_box
    texts = [b.text() for b in page.choices.buttons()]
    assert any("13900005555" in t and "wang" in t for t in texts)
    assert any("13900006666" in t and "li" in t for t in texts)
    page.grab().save(str(tmp_path / "sync_page.png"))
    wanted = next(b for b in page.choices.buttons() if "13900005555" in b.text())
    wanted.setChecked(True)
    qtbot.mouseClick(page.keep_button, Qt.MouseButton.LeftButton)
    settle()
    assert page.conflict_model.rowCount() == 0
    assert detail.isVisible()
    with laptop.db.read() as session:
        assert session.get(Member, member_id).phone == "13900005555"


def test_a_refused_bundle_gives_a_plain_reason(qtbot, replicas, tmp_path):
    _office, laptop = replicas
    page = SyncPage(laptop.sync)
    qtbot.addWidget(page)
    junk = tmp_path / "junk.rsb"
    junk.write_bytes(b"RSBUNDLE-not-really")
    page.import_file(junk)
    qtbot.waitUntil(lambda: "损坏" in page.result_label.text(), timeout=90000)
    assert page.import_button.isEnabled()


def test_export_writes_a_bundle_into_the_chosen_folder(qtbot, replicas, tmp_path):
    office, laptop = replicas
    page = SyncPage(office.sync)
    qtbot.addWidget(page)
    assert page.selected_peer() is not None
    stick = tmp_path / "usb"
    stick.mkdir()
    page.export_to(stick)
    qtbot.waitUntil(lambda: list(stick.glob("*.rsb")) != [], timeout=90000)
    qtbot.waitUntil(lambda: page.export_button.isEnabled(), timeout=90000)
    [bundle] = list(stick.glob("*.rsb"))
    assert laptop.sync.import_file(bundle).records_added > 100


def test_a_cancelled_export_leaves_nothing_on_the_stick(qtbot, settle, replicas, tmp_path):
    office, _laptop = replicas
    page = SyncPage(office.sync)
    qtbot.addWidget(page)
    page.show()
    stick = tmp_path / "usb"
    stick.mkdir()
    page.export_to(stick)
    assert page.cancel_button.isVisible() and not page.export_button.isEnabled()
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.export_button.isEnabled(), timeout=90000)
    settle()
    assert "导出已取消" in page.result_label.text() and not page.progress.isVisible()
    assert list(stick.iterdir()) == []


def test_sync_with_a_real_hub_from_the_page_with_progress_and_cancel(qtbot, tmp_path, demo_copy):
    from tests.sync.test_hub_process import HubProcess, red_steward

    hub_folder, hub_card = tmp_path / "hub", tmp_path / "hub.card"
    red_steward("hub", "init", "--data-dir", hub_folder, "--card-out", hub_card)
    demo_copy(tmp_path / "office")
    office = Node(tmp_path, "office")
    office.sync.trust(office.sync.read_card(hub_card))
    red_steward("sync", "trust", office.card(), "--data-dir", hub_folder)
    hub = HubProcess(hub_folder, tmp_path / "hub.log")
    hub.start()
    try:
        page = SyncPage(office.sync)
        qtbot.addWidget(page)
        page.show()
        page.hub_url.clear()
        page.hub_button.click()
        assert "http://" in page.result_label.text(), "an empty address gets an example"

        # Cancelled before anything is sent: a plain message, nothing lost.
        page.hub_url.setText(hub.url)
        page.sync_with_hub()
        assert page.progress.isVisible() and not page.hub_button.isEnabled()
        page.cancel_hub_sync()
        qtbot.waitUntil(lambda: page.hub_button.isEnabled(), timeout=60000)
        assert "取消" in page.result_label.text() and not page.progress.isVisible()

        seen: list[int] = []
        page.progress.valueChanged.connect(seen.append)
        qtbot.keyClick(page.hub_url, Qt.Key.Key_Return)  # Enter in the address field syncs
        qtbot.waitUntil(lambda: page.hub_button.isEnabled(), timeout=60000)
        assert "同步中心" in page.result_label.text(), page.result_label.text()
        total = page.progress.maximum()
        assert seen[-1] == total > 1000 and seen == sorted(seen), "changes sent, counted"
        assert page.progress.text() == f"{total:,} / {total:,} 条更改", page.progress.text()
        [peer] = page.peer_model.rows()
        assert peer.waiting == 0 and peer.last_import_at is not None
        shown = [page.peer_model.index(0, c).data() for c in range(page.peer_model.columnCount())]
        assert peer.fingerprint in shown and "0" in shown
        assert hub.changes() > 1000, "the hub got the branch"
        from desktop.views import ui_state

        assert ui_state.hub_url() == hub.url, "the address is remembered"
    finally:
        hub.stop()
        office.close()


def test_a_member_entered_on_two_pcs_is_merged_on_the_page(qtbot, replicas):
    from tests.conftest import member_draft

    office, laptop = replicas
    laptop.sync.import_file(office.bundle_for(laptop))
    page = SyncPage(laptop.sync)
    qtbot.addWidget(page)
    page.show()
    assert not page.duplicate_list.isVisible(), "nothing to merge: the section stays out of sight"
    with office.db.read() as session:
        branch_id = session.scalars(select(Member.branch_id).limit(1)).one()
    draft = member_draft(name="周两台")
    for node, phone in ((office, "13900007777"), (laptop, "")):
        with node.db.unit_of_work() as session:
            save_member(session, branch_id, draft.replace(phone=phone))
    page.import_file(office.bundle_for(laptop))
    qtbot.waitUntil(lambda: page.duplicate_list.count() == 1, timeout=90000)
    assert page.duplicate_list.isVisible() and draft.id_number in page.duplicate_list.item(0).text()
    with qtbot.waitSignal(page.ops.changed, timeout=10_000):
        qtbot.mouseClick(page.merge_button, Qt.MouseButton.LeftButton)
    assert "周两台" in page.result_label.text() and not page.duplicate_list.isVisible()
    with laptop.db.read() as session:
        [kept] = session.scalars(
            select(Member).where(Member.id_number == draft.id_number, Member.deleted.is_(False))
        ).all()
        assert kept.phone == "13900007777"


def _answer_branches(pick: Callable[[Any], None]) -> list[Any]:
    """Answers the next modal dialog (the branch question, once the database thread has
    trusted nothing) with `pick(dialog)`; returns where the dialogs asked are kept."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    asked: list[Any] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:  # the card is still being trusted on the database thread
            QTimer.singleShot(50, answer)
            return
        asked.append(dialog)
        if type(dialog).__name__ != "BranchesDialog":  # not the question: no answer to give
            dialog.reject()
            return
        pick(dialog)

    QTimer.singleShot(200, answer)
    return asked


def test_a_hub_asks_which_branch_a_new_empty_pc_may_receive(qtbot, settle, tmp_path, demo_copy):
    """A village-sized hub (two branches): both listed to tick, no search needed."""
    from desktop.models.register.groups import create_branch
    from desktop.views.sync.branch_dialog import BranchesDialog

    demo_copy(tmp_path / "hub")
    hub, laptop = Node(tmp_path, "hub"), Node(tmp_path, "laptop")
    with hub.db.unit_of_work() as session:
        create_branch(session, "青山村党支部", "青山镇", "临江县")
    page = SyncPage(hub.sync)
    qtbot.addWidget(page)
    page.show()
    card = hub.sync.read_card(laptop.card())

    offered: list[list[str]] = []

    def tick(dialog: BranchesDialog) -> None:
        listed = dialog.checklist.found
        offered.append([listed.item(r).text() for r in range(listed.rowCount())])
        dialog.grab().save(str(tmp_path / "village_branches.png"))
        assert dialog.checklist.line.isHidden()  # two branches: all in sight, nothing to type
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled()
        index = next(r for r in range(listed.rowCount()) if "青山村" in listed.item(r).text())
        listed.item(index).setCheckState(Qt.CheckState.Checked)
        assert ok.isEnabled()
        ok.click()

    _answer_branches(lambda dialog: dialog.reject())
    page.trust_card(card)
    settle()
    assert page.peer_model.rowCount() == 0 and "未" in page.result_label.text()
    _answer_branches(tick)
    page.trust_card(card)
    settle()
    [peer] = page.peer_model.rows()
    assert peer.branches == ("青山村党支部",)
    assert [sorted(items) for items in offered] == [
        sorted(["红旗村党支部（青山镇）", "青山村党支部（青山镇）"])
    ]
    hub.close()
    laptop.close()


HUB_BRANCHES = 10_000


def _county_hub(tmp_path):  # type: ignore[no-untyped-def]
    """A hub holding `HUB_BRANCHES` branches (written directly: the service takes minutes),
    a new laptop, and the branches' rows, by name."""
    from sqlalchemy import insert

    from desktop.models.register.branch import Branch

    hub, laptop = Node(tmp_path, "hub"), Node(tmp_path, "laptop")
    rows = [
        {
            "id": uuid.uuid4(),
            "name": f"第{n:05d}村党支部",
            "town": f"{n // 20}镇",
            "county": "临江县",
        }
        for n in range(HUB_BRANCHES)
    ]
    with hub.db.unit_of_work() as session:
        session.execute(insert(Branch), rows)
    return hub, laptop, rows


def test_a_county_hub_offers_a_search_not_its_10000_branches(qtbot, settle, tmp_path):
    """At a county hub's size the question reads the first matches of what is typed, never
    every branch (it listed all 10,000 in one combo box); ticked branches stay in sight."""
    from desktop.views.search_picker import SearchChecklist
    from desktop.views.sync.branch_dialog import BranchesDialog
    from tests.sql_reads import most_rows, reads

    hub, laptop, rows = _county_hub(tmp_path)
    page = SyncPage(hub.sync)
    qtbot.addWidget(page)
    page.show()
    card = hub.sync.read_card(laptop.card())
    seen_at: dict[str, Any] = {}

    def search_and_tick(dialog: BranchesDialog) -> None:
        checklist = dialog.checklist
        seen_at["opened"] = checklist.found.rowCount(), checklist.more, checklist.line.isVisible()
        dialog.grab().save(str(tmp_path / "hub_branches.png"))
        with reads() as seen:
            checklist.search("第01234")
        seen_at["read"] = most_rows(seen).rows
        checklist.set_checked(rows[1234]["id"])
        checklist.search("第0999")
        seen_at["typed"] = [
            checklist.found.item(r).text() for r in range(checklist.found.rowCount())
        ]
        checklist.set_checked(rows[9990]["id"])
        dialog.grab().save(str(tmp_path / "hub_branches_chosen.png"))
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    asked = _answer_branches(search_and_tick)
    with reads() as seen:
        page.trust_card(card)
        settle()
    assert most_rows(seen).rows <= SearchChecklist.LIMIT + 1, most_rows(seen)
    assert len(asked) == 1 and isinstance(asked[0], BranchesDialog), asked
    listed, more, searching = seen_at["opened"]
    assert (listed, more, searching) == (SearchChecklist.LIMIT, True, True)
    assert seen_at["read"] <= SearchChecklist.LIMIT + 1
    assert seen_at["typed"][0] == "第01234村党支部（61镇）", "the one ticked, still in sight"
    assert len(seen_at["typed"]) == 11
    [peer] = page.peer_model.rows()
    assert peer.branches == ("第01234村党支部", "第09990村党支部")
    hub.close()
    laptop.close()


def test_the_page_stops_trusting_the_chosen_pc(qtbot, replicas, monkeypatch):
    from desktop.views import messages

    office, _laptop = replicas
    page = SyncPage(office.sync)
    qtbot.addWidget(page)
    page.show()
    page.peer_table.selectRow(0)
    assert page.revoke_button.isEnabled()
    monkeypatch.setattr(messages, "confirm", lambda *_args, **_kw: True)
    page.revoke_button.click()
    assert page.peer_model.rowCount() == 0 and office.sync.peers(waiting=False) == []
    assert "不再信任" in page.result_label.text()


def test_a_county_hub_narrows_and_widens_a_pc_with_the_same_search(qtbot, settle, tmp_path):
    """The chosen PC's branches are ticked at the top, whatever is typed; unticking one and
    finding another among 10,000 changes what it may receive (issue #14: the page offers
    what `sync trust --branch` does), reading a page of matches, never every branch."""
    from desktop.views.search_picker import SearchChecklist
    from desktop.views.sync.branch_dialog import BranchesDialog
    from tests.sql_reads import most_rows, reads

    hub, laptop, rows = _county_hub(tmp_path)
    hub.sync.trust(hub.sync.read_card(laptop.card()), [rows[3]["id"], rows[7000]["id"]])
    page = SyncPage(hub.sync)
    qtbot.addWidget(page)
    page.show()
    page.peer_table.selectRow(0)
    assert page.branches_button.isEnabled()
    seen_at: dict[str, Any] = {}

    def change(dialog: BranchesDialog) -> None:
        checklist = dialog.checklist
        listed = checklist.found
        seen_at["ticked"] = [
            listed.item(r).text()
            for r in range(listed.rowCount())
            if listed.item(r).checkState() == Qt.CheckState.Checked
        ]
        seen_at["first"] = listed.item(0).text(), listed.item(1).text()
        checklist.set_checked(rows[3]["id"], False)
        checklist.search("第0999")
        seen_at["after"] = listed.item(0).text()  # still there, whatever is typed
        checklist.set_checked(rows[9999]["id"])
        dialog.grab().save(str(tmp_path / "hub_narrow.png"))
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    asked = _answer_branches(change)
    with reads() as seen:
        page.branches_button.click()
        settle()
    assert most_rows(seen).rows <= SearchChecklist.LIMIT + 1, most_rows(seen)
    assert len(asked) == 1
    assert seen_at["ticked"] == ["第00003村党支部（0镇）", "第07000村党支部（350镇）"]
    assert seen_at["first"] == tuple(seen_at["ticked"])
    assert seen_at["after"] == "第07000村党支部（350镇）"
    [peer] = hub.sync.peers(waiting=False)
    assert peer.branches == ("第07000村党支部", "第09999村党支部")
    assert "2" in page.result_label.text()
    page.resize(1000, 600)
    page.grab().save(str(tmp_path / "hub_page.png"))
    hub.close()
    laptop.close()


def test_a_pc_receiving_many_branches_shows_the_first_and_how_many_more():
    from desktop.views.sync.sync_page import branches_text

    assert branches_text(("甲村党支部", "乙村党支部")) == "甲村党支部、乙村党支部"
    many = tuple(f"第{n}村党支部" for n in range(300))
    assert branches_text(many) == "第0村党支部、第1村党支部、第2村党支部等另外 297 个"


def test_a_new_hub_holding_no_branch_takes_a_pasted_id(qtbot, tmp_path):
    """Nothing to list: the search line asks for the branch's id, which is offered as it is."""
    from desktop.views.sync.branch_dialog import BranchesDialog, branch_search

    hub = Node(tmp_path, "hub")
    dialog = BranchesDialog(branch_search(hub.sync), "支部", "哪些支部？")
    qtbot.addWidget(dialog)
    checklist = dialog.checklist
    assert checklist.found.rowCount() == 0 and not checklist.line.isHidden()
    assert "编号" in checklist.line.placeholderText()
    assert checklist.search("红旗") == []
    wanted = uuid.uuid4()
    [offered] = checklist.search(f" {wanted} ")
    assert offered.key == wanted and offered.detail == "本机尚无此支部"
    checklist.set_checked(wanted)
    assert dialog.chosen() == [wanted]
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    hub.close()
