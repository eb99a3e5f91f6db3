# SPDX-License-Identifier: GPL-3.0-or-later
"""The audit trail page: who changed what and when, filtered, exported, and read-only."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt

import pytest
from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QPushButton

from desktop.i18n import _
from desktop.models.audit.service import AuditService
from desktop.models.register.service import MemberService
from desktop.models.store import keyring
from desktop.models.store.accounts import AccountService
from desktop.models.store.db import Database
from desktop.models.store.keyring import Credentials
from desktop.services import Services
from desktop.sync import identity
from desktop.views.main_window import MainWindow
from desktop.views.security.audit_page import AuditPage
from tests.conftest import TEST_USER, member_draft

pytestmark = pytest.mark.gui


def column(page, name: str) -> list[str]:  # type: ignore[no-untyped-def]
    model = page.table.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    c = headers.index(name)
    return [cell(page, r, c) for r in range(model.rowCount())]


def cell(page, row: int, column: int) -> str:  # type: ignore[no-untyped-def]
    model = page.table.model()
    return model.data(model.index(row, column))


def rows(page) -> int:  # type: ignore[no-untyped-def]
    return page.table.model().rowCount()


@pytest.fixture
def audited(db, branch, make_member, data_dir):  # type: ignore[no-untyped-def]
    """The administrator adds 张建国; the clerk 'liu' adds 王芳 and then changes her phone."""
    make_member(name="张建国")
    AccountService(db).add("liu", keyring.CLERK, "clerk-Pa55word!")
    clerk_db = Database.open(data_dir, credentials=Credentials("liu", "clerk-Pa55word!"))
    clerk = MemberService(clerk_db, branch.id)
    draft = member_draft(name="王芳", phone="13900001111")
    row = clerk.save(draft)
    clerk.save(dataclasses.replace(draft, phone="13900002222"), row.id)
    clerk_db.close()
    return db


def test_the_audit_trail_filters_by_user_record_and_period(qtbot, audited):
    win = MainWindow(Services(audited))
    qtbot.addWidget(win)
    win.show()
    win.show_page("audit")
    page = win.audit_page
    qtbot.waitUntil(page.isVisible)
    assert win.navigation.currentItem().text() == "操作记录"
    everyone = rows(page)
    assert set(column(page, "用户")) == {TEST_USER, "liu"}
    with audited.read() as session:  # #14: the PC of each change, named as the sync page does
        this_pc = identity.local_name(session)
    assert set(column(page, "电脑")) == {this_pc} and "党支部" in this_pc
    # The PC's name is shown whole (names share the branch's; the end tells them apart).
    pc = page.model.headers.index("电脑")
    needed = page.table.fontMetrics().horizontalAdvance(this_pc)
    assert page.table.columnWidth(pc) > needed

    page.user_combo.setCurrentIndex(page.user_combo.findData("liu"))
    assert 0 < rows(page) < everyone
    assert set(column(page, "用户")) == {"liu"}
    assert set(column(page, "记录")) == {"王芳"}
    phone_rows = [r for r in range(rows(page)) if cell(page, r, 6) == "联系电话"]
    changed = [(cell(page, r, 5), cell(page, r, 7), cell(page, r, 8)) for r in phone_rows]
    assert ("修改", "13900001111", "13900002222") in changed
    # Newest first: the phone change comes before the member was added.
    assert cell(page, 0, 8) == "13900002222"

    page.user_combo.setCurrentIndex(0)  # everyone
    page.record_edit.setText("张建国")  # looked for once the clerk pauses typing
    qtbot.waitUntil(
        lambda: rows(page) > 0 and set(column(page, "记录")) == {"张建国"}, timeout=10_000
    )
    assert set(column(page, "用户")) == {TEST_USER}
    page.record_edit.setText("nobody-by-this-name")
    qtbot.waitUntil(lambda: rows(page) == 0, timeout=10_000)

    page.record_edit.clear()
    page.period_combo.setCurrentIndex(page.period_combo.findData("today"))
    assert rows(page) == everyone
    page.period_combo.setCurrentIndex(page.period_combo.findData("dates"))
    assert page.since_edit.isVisible()
    last_year = QDate.currentDate().addYears(-1)
    page.since_edit.setDate(last_year.addDays(-7))
    page.until_edit.setDate(last_year)
    assert rows(page) == 0
    qtbot.waitUntil(
        lambda: page.count_label.text() == _("{n} changes.").format(n=0), timeout=10_000
    )
    page.until_edit.setDate(QDate.currentDate())
    assert rows(page) == everyone


def test_the_count_line_says_when_only_the_first_matching_records_are_shown(
    qtbot, audited, monkeypatch
):
    """#22: a common surname matches thousands of a county's members; the filter takes the
    first `MATCH_LIMIT` and the count line says so, and how to narrow it."""
    from desktop.models.audit import trail

    monkeypatch.setattr(trail, "MATCH_LIMIT", 1)
    page = AuditPage(AuditService(audited))
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: rows(page) > 0)
    capped = _(
        "More than {n} records match the name: only the changes of the first {n} are shown; "
        "type more of it."
    ).format(n=1)
    assert capped not in page.count_label.text()
    page.record_edit.setText("4301")  # the region code that begins both ID numbers
    qtbot.waitUntil(lambda: capped in page.count_label.text())
    assert len(set(column(page, "记录"))) == 1
    page.record_edit.setText("王芳")
    qtbot.waitUntil(lambda: set(column(page, "记录")) == {"王芳"})
    assert capped not in page.count_label.text()


def test_the_audit_trail_cannot_be_edited_and_exports_csv(qtbot, audited, tmp_path):
    win = MainWindow(Services(audited))
    qtbot.addWidget(win)
    win.show()
    win.show_page("audit")
    page = win.audit_page
    qtbot.waitUntil(page.isVisible)
    table = page.table
    assert table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert not table.model().flags(table.model().index(0, 7)) & Qt.ItemFlag.ItemIsEditable
    before = cell(page, 0, 8)
    table.setCurrentIndex(table.model().index(0, 8))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    qtbot.keyClicks(table, "x")
    assert table.state() != QAbstractItemView.State.EditingState
    assert cell(page, 0, 8) == before
    # The only button on the page exports; nothing on it writes to the data.
    assert [b.objectName() for b in page.findChildren(QPushButton)] == ["audit_export"]

    page.user_combo.setCurrentIndex(page.user_combo.findData("liu"))
    target = tmp_path / "audit.csv"
    with qtbot.waitSignal(page.status_message, timeout=10_000):
        n = page.export_to(target)
    assert n == rows(page) > 0
    assert target.read_bytes().startswith("\ufeff".encode())  # Excel reads it as UTF-8
    with target.open(encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh))
    assert lines[0][:4] == ["时间", "用户", "类别", "记录"]
    assert len(lines) == n + 1 and {r[1] for r in lines[1:]} == {"liu"}
    assert any(
        r[3] == "王芳" and r[5] == "联系电话" and r[6] == "13900001111" and r[7] == "13900002222"
        for r in lines[1:]
    )
    when = dt.datetime.strptime(lines[1][0], "%Y-%m-%d %H:%M:%S")
    assert abs(when - dt.datetime.now()) < dt.timedelta(hours=1)


def test_a_viewer_can_read_the_audit_trail(qtbot, audited, data_dir):
    AccountService(audited).add("guest", keyring.VIEWER, "guest-Pa55word!")
    viewer = Database.open(data_dir, credentials=Credentials("guest", "guest-Pa55word!"))
    win = MainWindow(Services(viewer))
    qtbot.addWidget(win)
    win.show()
    win.show_page("audit")
    qtbot.waitUntil(win.audit_page.isVisible)
    assert rows(win.audit_page) > 0
    viewer.close()


def test_down_in_the_record_filter_goes_to_the_first_change(qtbot, audited):
    page = AuditPage(AuditService(audited))
    qtbot.addWidget(page)
    page.show()
    page.record_edit.setText("张建国")
    page.record_edit.setFocus()
    qtbot.waitUntil(page.record_edit.hasFocus)
    qtbot.keyClick(page.record_edit, Qt.Key.Key_Down)
    assert page.table.hasFocus() and page.table.currentIndex().row() == 0


def test_the_page_reads_a_page_at_a_time_as_it_scrolls_up_to_its_limit(qtbot, audited, monkeypatch):
    """#22: the first page only, then the next as the view scrolls to the end, never more
    than the page's limit; the count comes after the first page and is capped."""
    from desktop.models.audit import trail

    with audited.read() as session:
        total = trail.count_entries(session, cap=10**6)
    assert total > 7
    monkeypatch.setattr(trail, "PAGE_SIZE", 3)
    monkeypatch.setattr(trail, "VIEW_LIMIT", 7)
    page = AuditPage(AuditService(audited))
    qtbot.addWidget(page)
    page.resize(900, 150)  # a few rows in view
    page.show()
    assert rows(page) == 3
    qtbot.waitUntil(lambda: "7" in page.count_label.text(), timeout=10_000)
    assert page.count_label.text().startswith("超过7条")

    def scrolled_to_the_end() -> bool:
        page.table.scrollToBottom()  # each time the view reaches the end it asks for more
        return rows(page) == 7

    qtbot.waitUntil(scrolled_to_the_end, timeout=10_000)
    assert not page.table.model().canFetchMore(QModelIndex())
    newest = [cell(page, r, 0) for r in range(rows(page))]
    assert newest == sorted(newest, reverse=True)
