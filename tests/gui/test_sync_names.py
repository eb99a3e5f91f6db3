# SPDX-License-Identifier: GPL-3.0-or-later
"""The sync page names PCs as their clerks chose (issue #14): this PC's name, a trusted PC's name
here, and the two records of a member entered twice shown side by side."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import select

from desktop.i18n import _
from desktop.models.register.member import Member
from desktop.models.register.members import save_member
from desktop.views import messages
from desktop.views.sync import sync_page
from desktop.views.sync.name_dialog import PcNameDialog
from desktop.views.sync.sync_page import SyncPage
from tests.conftest import member_draft
from tests.sync.conftest import Node

pytestmark = pytest.mark.gui


def test_the_name_dialog_offers_the_default_and_follows_the_role(qtbot, replicas):
    office, _laptop = replicas
    dialog = PcNameDialog(office.sync.pc_name(), office.sync.default_name)
    qtbot.addWidget(dialog)
    office_default = office.sync.default_name("office")
    assert dialog.name.text() == office_default and "红旗村党支部" in office_default
    assert dialog.chosen_name() == "", "the default is not a choice: it follows the branch"
    dialog.role.setCurrentIndex(dialog.role.findData("laptop"))
    assert dialog.name.text() == office.sync.default_name("laptop") != office_default
    assert dialog.chosen_role() == "laptop"
    dialog.name.setText("村委会办公室")
    dialog.role.setCurrentIndex(dialog.role.findData("hub"))
    assert dialog.chosen_name() == "村委会办公室", "a typed name stays when the role changes"


def test_the_page_renames_this_pc_and_the_other_pc_shows_it(qtbot, settle, replicas, monkeypatch):
    office, laptop = replicas
    page = SyncPage(laptop.sync)
    qtbot.addWidget(page)
    monkeypatch.setattr(
        PcNameDialog, "ask", classmethod(lambda cls, *_a: ("书记的笔记本", "laptop"))
    )
    qtbot.mouseClick(page.name_button, Qt.MouseButton.LeftButton)
    settle()
    assert "书记的笔记本" in page.me_label.text()
    assert laptop.sync.pc_name().role == "laptop"
    laptop.send(office)
    office_page = SyncPage(office.sync)
    qtbot.addWidget(office_page)
    assert office_page.peer_model.index(0, 0).data() == "书记的笔记本"


def test_trusting_a_card_asks_what_to_call_that_pc(qtbot, settle, tmp_path, demo_copy, monkeypatch):
    demo_copy(tmp_path / "office")
    office, laptop = Node(tmp_path, "office"), Node(tmp_path, "laptop")
    try:
        card = laptop.card()
        page = SyncPage(office.sync)
        qtbot.addWidget(page)
        asked: list[str] = []
        monkeypatch.setattr(
            QFileDialog, "getOpenFileName", staticmethod(lambda *_a, **_k: (str(card), ""))
        )
        monkeypatch.setattr(messages, "confirm", lambda *_a, **_k: True)

        def ask(_parent, card_name):  # type: ignore[no-untyped-def]
            asked.append(card_name)
            return "李书记的笔记本"

        monkeypatch.setattr(sync_page, "ask_peer_name", ask)
        page.trust_button.click()
        settle()
        assert asked == [laptop.sync.me()[1]], "the card's own name is offered"
        [peer] = page.peer_model.rows()
        assert (peer.label, peer.card_name) == ("李书记的笔记本", laptop.sync.me()[1])
        assert page.peer_model.index(0, 0).data() == "李书记的笔记本"
    finally:
        office.close()
        laptop.close()


def test_members_entered_twice_are_shown_side_by_side(qtbot, settle, replicas, tmp_path):
    office, laptop = replicas
    office.sync.name_this_pc("村委会办公室")
    laptop.sync.name_this_pc("书记的笔记本", role="laptop")
    laptop.sync.import_file(office.bundle_for(laptop))
    with office.db.read() as session:
        branch_id = session.scalars(select(Member.branch_id).limit(1)).one()
    draft = member_draft(name="周两台")
    for node, phone, address in (
        (office, "13900007777", "村东头"),
        (laptop, "13900008888", "村西头"),
    ):
        with node.db.unit_of_work() as session:
            save_member(session, branch_id, draft.replace(phone=phone, address=address))
    laptop.send(office)
    page = SyncPage(office.sync)
    qtbot.addWidget(page)
    page.resize(1100, 800)
    page.show()
    assert page.duplicate_list.count() == 1 and page.duplicate_table.isVisible()
    item = page.duplicate_list.item(0).text()
    assert draft.id_number in item and "村委会办公室" in item and "书记的笔记本" in item
    model = page.duplicate_model
    lines = {
        model.headerData(r, Qt.Orientation.Vertical): [
            model.index(r, c).data() for c in range(model.columnCount())
        ]
        for r in range(model.rowCount())
    }
    assert sorted(lines[_("Phone")]) == ["13900007777", "13900008888"]
    assert sorted(lines[_("Address")]) == ["村东头", "村西头"]
    entered = " ".join(lines[_("Entered on")])
    assert "村委会办公室" in entered and "书记的笔记本" in entered
    phone_row = list(lines).index(_("Phone"))
    name_row = list(lines).index(_("Name"))
    assert model.index(phone_row, 0).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(name_row, 0).data(Qt.ItemDataRole.FontRole) is None, "the same: plain"
    page.grab().save(str(tmp_path / "sync_names.png"))
    assert (tmp_path / "sync_names.png").stat().st_size > 0
