# SPDX-License-Identifier: GPL-3.0-or-later
"""The sync page settles the conflicts listed at once (issue #14), and a bundle import shows
its progress and can be cancelled with nothing changed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from desktop.models.register.member import Member
from desktop.models.register.members import get_member, save_member
from desktop.views import messages
from desktop.views.sync.sync_page import SyncPage
from tests.sync.conftest import Node

pytestmark = pytest.mark.gui


def _edit(node: Node, member_id, **changes) -> None:  # type: ignore[no-untyped-def]
    with node.db.unit_of_work(node.name) as session:
        row = get_member(session, member_id)
        branch_id = session.get(Member, member_id).branch_id
        save_member(session, branch_id, row.draft.replace(**changes), member_id)


def _values(node: Node, member_ids) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with node.db.read() as session:
        return [(m.phone, m.address) for m in map(session.get, [Member] * 2, member_ids)]


def test_the_buttons_settle_every_conflict_listed_after_one_confirmation(
    qtbot, settle, replicas, tmp_path, monkeypatch
):
    office, laptop = replicas
    office.send(laptop)
    with office.db.read() as session:
        targets = list(session.scalars(select(Member.id).order_by(Member.id).limit(2)))
    for i, member_id in enumerate(targets):
        _edit(office, member_id, phone=f"1390000020{i}", address=f"办公室 {i}")
        _edit(laptop, member_id, phone=f"1390000030{i}", address=f"笔记本 {i}")
    office.send(laptop)

    page = SyncPage(laptop.sync)
    qtbot.addWidget(page)
    page.resize(1100, 760)
    page.show()
    assert page.conflict_model.rowCount() == 4
    assert page.keep_all_local_button.text() == "保留本机的值（全部）"
    assert page.keep_all_remote_button.text() == "保留另一台电脑的值（全部）"
    assert page.conflict_filter.isVisible()
    page.grab().save(str(tmp_path / "sync_page_conflicts.png"))

    asked: list[str] = []
    answer = [False]

    def confirm(_parent, _title, text):  # type: ignore[no-untyped-def]
        asked.append(text)
        return answer[0]

    monkeypatch.setattr(messages, "confirm", confirm)
    # Listed: the phone conflicts only (the filter), and the answer is No: nothing happens.
    page.conflict_filter.setCurrentIndex(page.conflict_filter.findText("党员：联系电话"))
    assert page.conflict_model.rowCount() == 2 and "列出 2 处" in page.conflicts_title.text()
    page.keep_all_remote_button.click()
    settle()
    assert "2 处冲突" in asked[-1] and "另一台电脑" in asked[-1]
    assert len(laptop.sync.conflicts()) == 4

    answer[0] = True
    qtbot.mouseClick(page.keep_all_remote_button, Qt.MouseButton.LeftButton)
    settle(60_000)
    assert "已处理 2 处冲突" in page.result_label.text()
    assert {c.field for c in laptop.sync.conflicts()} == {"address"}
    assert page.conflict_model.rowCount() == 2, "the list refreshed (the filter back on all)"
    assert not page.conflict_filter.isVisible(), "one kind of conflict left: no filter"

    qtbot.mouseClick(page.keep_all_local_button, Qt.MouseButton.LeftButton)
    settle(60_000)
    assert "2 处冲突" in asked[-1] and "本机" in asked[-1]
    assert page.conflict_model.rowCount() == 0 and laptop.sync.conflicts() == []
    assert not page.keep_all_local_button.isEnabled()
    assert _values(laptop, targets) == [(f"1390000020{i}", f"笔记本 {i}") for i in range(2)]

    laptop.send(office)
    assert office.sync.conflicts() == []
    assert _values(office, targets) == _values(laptop, targets)


def test_an_import_shows_progress_and_a_cancel_changes_nothing(qtbot, settle, replicas):
    office, laptop = replicas
    bundle = office.bundle_for(laptop)
    page = SyncPage(laptop.sync)
    qtbot.addWidget(page)
    page.show()

    page.import_file(bundle)
    assert page.progress.isVisible() and page.cancel_button.isVisible()
    assert not page.import_button.isEnabled()
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.import_button.isEnabled(), timeout=90_000)
    settle()
    assert "取消" in page.result_label.text() and not page.progress.isVisible()
    with laptop.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Member)) == 0

    seen: list[int] = []
    page.progress.valueChanged.connect(seen.append)
    page.import_file(bundle)  # again: applied whole
    qtbot.waitUntil(lambda: "新增" in page.result_label.text(), timeout=90_000)
    settle()
    assert seen == sorted(seen) and seen[-1] == page.progress.maximum() > 100
    assert page.progress.text().endswith("条记录")
    assert laptop.snapshot() == office.snapshot()
