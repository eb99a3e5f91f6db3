# SPDX-License-Identifier: GPL-3.0-or-later
"""The Sync page lists many conflicts a page at a time (issue #14): a first import between two
loaded PCs leaves thousands, and only those in sight are read and named; settling them all
shows progress and can be cancelled with nothing settled."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from desktop.models.register.member import Member
from desktop.models.register.members import get_member, save_member
from desktop.models.store.changelog import Change
from desktop.views import messages
from desktop.views.sync.conflicts_model import ConflictListModel
from desktop.views.sync.sync_page import SyncPage
from tests.sync.conftest import Node

pytestmark = pytest.mark.gui


def _edit_all(node: Node, tag: str) -> None:
    with node.db.unit_of_work(node.name) as session:
        for i, member_id in enumerate(session.scalars(select(Member.id).order_by(Member.id))):
            row = get_member(session, member_id)
            branch_id = session.get(Member, member_id).branch_id
            changes = {
                "phone": f"139{tag}{i:07d}"[:11],
                "address": f"{tag} 号楼 {i}",
                "notes": f"{tag} 备注 {i}",
            }
            save_member(session, branch_id, row.draft.replace(**changes), member_id)


def _entries(node: Node) -> int:
    with node.db.read() as session:
        return session.scalar(
            select(func.count()).select_from(Change).where(Change.origin == node.id)
        )


@pytest.fixture
def many(replicas):  # type: ignore[no-untyped-def]
    """The laptop with three conflicts on each of the demo's members (180)."""
    office, laptop = replicas
    office.send(laptop)
    _edit_all(office, "1")
    _edit_all(laptop, "2")
    office.send(laptop)
    return office, laptop


def test_the_list_reads_only_the_conflicts_in_sight(qtbot, settle, many, tmp_path):
    _office, laptop = many
    total = len(laptop.sync.conflicts())
    assert total >= 3 * ConflictListModel.PAGE_SIZE
    page = SyncPage(laptop.sync)
    qtbot.addWidget(page)
    page.resize(1100, 760)
    page.show()
    qtbot.waitExposed(page)
    page.grab().save(str(tmp_path / "sync_page_many_conflicts.png"))

    model = page.conflict_model
    assert model.rowCount() == total
    assert f"待处理的冲突：{total}" in page.conflicts_title.text()
    assert model.reads == [(0, ConflictListModel.PAGE_SIZE)], "the first page only"
    assert model.rows_held() == ConflictListModel.PAGE_SIZE
    assert page.choices.buttons(), "the first conflict is chosen and shown"

    page.conflict_list.scrollToBottom()
    page.grab()
    last = (total - 1) // ConflictListModel.PAGE_SIZE * ConflictListModel.PAGE_SIZE
    assert [offset for offset, _limit in model.reads] == [0, last], "not the pages between"

    # The filter is applied in SQL: a field's conflicts, counted and listed.
    page.conflict_filter.setCurrentIndex(page.conflict_filter.findText("党员：联系电话"))
    assert model.rowCount() == total // 3
    assert f"列出 {total // 3} 处" in page.conflicts_title.text()
    assert model.reads == [(0, ConflictListModel.PAGE_SIZE)]
    assert "联系电话" in page.conflict_detail.text()

    # One settled by hand: the next one takes its place in the list.
    second = page.conflict_model.index(1).data(ConflictListModel.ROW_ROLE)
    page.conflict_list.setCurrentIndex(page.conflict_model.index(1))
    page.choices.buttons()[1].setChecked(True)
    qtbot.mouseClick(page.keep_button, Qt.MouseButton.LeftButton)
    settle(60_000)
    assert model.rowCount() == total // 3 - 1
    assert page.conflict_list.currentIndex().row() == 1
    assert page.conflict_model.index(1).data(ConflictListModel.ROW_ROLE).id != second.id
    assert len(laptop.sync.conflicts()) == total - 1


def test_settling_all_can_be_cancelled_and_then_settles_all(
    qtbot, settle, many, monkeypatch, tmp_path
):
    _office, laptop = many
    monkeypatch.setattr(messages, "confirm", lambda *_args: True)
    total, before = len(laptop.sync.conflicts()), _entries(laptop)
    page = SyncPage(laptop.sync)
    qtbot.addWidget(page)
    page.resize(1100, 760)
    page.show()

    page.keep_all_local_button.click()
    assert page.settle_progress.isVisible() and page.settle_cancel_button.isVisible()
    assert not page.progress.isVisible(), "the bar is under the buttons, not by the hub"
    assert not page.keep_all_remote_button.isEnabled() and not page.keep_button.isEnabled()
    page.grab().save(str(tmp_path / "sync_page_settling.png"))
    qtbot.mouseClick(page.settle_cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.settle_progress.isVisible(), timeout=120_000)
    settle()
    assert "已取消处理冲突" in page.result_label.text()
    assert len(laptop.sync.conflicts()) == total and _entries(laptop) == before
    assert page.keep_all_local_button.isEnabled() and page.keep_button.isEnabled()

    seen: list[int] = []
    page.settle_progress.valueChanged.connect(seen.append)
    shot = tmp_path / "sync_page_settling_half.png"
    page.settle_progress.valueChanged.connect(
        lambda value: (
            value > page.settle_progress.maximum() // 2
            and not shot.exists()
            and page.grab().save(str(shot))
        )
    )
    page.keep_all_local_button.click()
    qtbot.waitUntil(lambda: "已处理" in page.result_label.text(), timeout=180_000)
    settle()
    assert f"已处理 {total} 处冲突" in page.result_label.text()
    assert seen == sorted(seen) and seen[-1] == page.settle_progress.maximum()
    assert laptop.sync.conflicts() == [] and page.conflict_model.rowCount() == 0
