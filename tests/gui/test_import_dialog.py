# SPDX-License-Identifier: GPL-3.0-or-later
"""The import preview driven as a clerk drives it: look, fix the mapping, decide, import, cancel."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from desktop.i18n import _
from desktop.models.register import members
from desktop.models.register.rows import MemberQuery
from desktop.models.register.service import BranchService, MemberService
from desktop.services import Services
from desktop.tabular.member_import import Action
from desktop.tabular.service import TabularService
from desktop.views import messages, tasks
from desktop.views.members.member_page import MembersPage
from desktop.views.tabular.import_dialog import ImportDialog
from tests.tabular import rosters

pytestmark = pytest.mark.gui


@pytest.fixture
def service(db, branch):  # type: ignore[no-untyped-def]
    return TabularService(db, branch.id)


def member_count(db, branch) -> int:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return len(members.list_members(session, branch.id, MemberQuery()))


def open_dialog(qtbot, service, path: Path) -> ImportDialog:  # type: ignore[no-untyped-def]
    dialog = ImportDialog(service, path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.plan is not None and dialog._task is None, timeout=10000)
    return dialog


def test_preview_shows_every_row_then_imports(qtbot, service, db, branch, tmp_path, monkeypatch):
    dialog = open_dialog(qtbot, service, rosters.messy_xlsx(tmp_path / "花名册.xlsx"))
    assert dialog.model.rowCount() == len(rosters.MESSY_EXPECTED)
    assert [dialog.sheet_combo.itemText(i) for i in range(dialog.sheet_combo.count())] == [
        "花名册",
        "第二党小组",
        "统计",
    ]
    assert dialog.mapping_combos[1].currentData() == "name"
    assert dialog.mapping_combos[3].currentData() == "id_number"
    assert dialog.mapping_combos[0].currentData() is None  # 序号
    assert "7" in dialog.summary_label.text()
    numeric = next(
        r for r in range(dialog.model.rowCount()) if dialog.model.rows[r].row_number == 9
    )
    problems = dialog.model.index(numeric, 5).data()
    assert "3.20106E+17" in problems
    assert dialog.model.index(numeric, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    dialog.problems_only_check.setChecked(True)
    assert dialog.proxy.rowCount() == 6  # 3 errors, a duplicate, a new group, the footer
    dialog.sheet_combo.setCurrentIndex(2)
    assert dialog.sheet_note.text() and not dialog.include_check.isEnabled()

    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda parent, title, text: asked.append(text) or True)
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.imported, timeout=10000) as blocker:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert asked and "3" in asked[0], "the clerk is told that 3 rows stay out"
    assert blocker.args[0].created == 7
    assert member_count(db, branch) == 7
    assert not dialog.isVisible()


def test_an_unrecognised_column_is_mapped_by_hand(qtbot, service, tmp_path):
    number = rosters.id_number(*rosters.GOOD_A[1:])
    path = tmp_path / "r.csv"
    path.write_text(
        f"姓名,号码,入党时间,转正时间\n王建国,{number},1990.07,1991.07\n", encoding="utf-8"
    )
    dialog = open_dialog(qtbot, service, path)
    assert dialog.model.rowCount() == 0
    assert dialog.sheet_note.isVisibleTo(dialog) and _("ID number") in dialog.sheet_note.text()
    assert not dialog.import_button.isEnabled()
    combo = dialog.mapping_combos[1]
    combo.setCurrentIndex(combo.findData("id_number"))
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1 and dialog._task is None, timeout=10000)
    assert dialog.model.rows[0].action == Action.CREATE
    assert dialog.import_button.isEnabled()
    # Choosing a field another column has moves it: one column per field.
    name_combo = dialog.mapping_combos[0]
    dialog.mapping_combos[2].setCurrentIndex(dialog.mapping_combos[2].findData("name"))
    qtbot.waitUntil(lambda: dialog._task is None, timeout=10000)
    assert dialog.mapping_combos[2].currentData() == "name"
    assert dialog.mapping_combos[0].currentData() is None
    del name_combo


def test_matched_rows_are_decided_one_by_one(
    qtbot, service, db, branch, make_member, tmp_path, monkeypatch
):
    first = make_member(name="王建国")
    second = make_member(name="李秀英")
    path = tmp_path / "r.csv"
    path.write_text(
        "姓名,身份证号,联系电话\n"
        f"王建国,{first.id_number},13811112222\n"
        f"李秀英,{second.id_number},13833334444\n",
        encoding="utf-8",
    )
    dialog = open_dialog(qtbot, service, path)
    model = dialog.model
    assert [r.action for r in model.rows] == [Action.UPDATE, Action.UPDATE]
    index = model.index(1, model.ACTION_COLUMN)
    assert index.flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert model.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert [r.action for r in model.rows] == [Action.UPDATE, Action.SKIP]
    monkeypatch.setattr(messages, "confirm", lambda *a: pytest.fail("no problem rows"))
    with qtbot.waitSignal(dialog.imported, timeout=10000) as blocker:
        dialog.import_button.click()
    assert (blocker.args[0].created, blocker.args[0].updated) == (0, 1)
    with db.read() as session:
        assert members.get_member(session, first.id).phone == "13811112222"
        assert members.get_member(session, second.id).phone == second.phone


def test_cancelled_import_changes_nothing(qtbot, service, db, branch, tmp_path, monkeypatch):
    dialog = open_dialog(qtbot, service, rosters.messy_xlsx(tmp_path / "r.xlsx"))
    monkeypatch.setattr(messages, "confirm", lambda *a: True)
    # Hold the database thread so that the cancel comes before the first row is written.
    gate = threading.Event()
    blocker = tasks.Task(lambda progress, cancelled: gate.wait(10))
    tasks.db_pool().start(blocker)
    dialog.import_button.click()
    assert dialog._task is not None and not dialog.import_button.isEnabled()
    dialog.reject()  # Escape or Cancel while importing cancels the import
    assert dialog.isVisible(), "the dialog waits for the rollback"
    gate.set()
    qtbot.waitUntil(lambda: dialog._task is None, timeout=10000)
    assert dialog.summary_label.text() == _("The import was cancelled. Nothing was changed.")
    assert member_count(db, branch) == 0
    assert dialog.import_button.isEnabled(), "the clerk can try again"


def test_failed_import_is_reported_and_changes_nothing(
    qtbot, service, db, branch, tmp_path, monkeypatch, make_member
):
    dialog = open_dialog(qtbot, service, rosters.messy_xlsx(tmp_path / "r.xlsx"))
    import datetime as dt

    make_member(
        name="李秀英",
        id_number=rosters.id_number(*rosters.GOOD_B[1:]),
        joined_on=dt.date(2001, 7, 1),
        confirmed_on=dt.date(2002, 7, 1),
    )
    shown: list[BaseException] = []
    monkeypatch.setattr(messages, "confirm", lambda *a: True)
    monkeypatch.setattr(messages, "show_error", lambda parent, error: shown.append(error))
    dialog.import_button.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert "7" in shown[0].message
    assert member_count(db, branch) == 1
    assert dialog.isVisible()


def test_an_unreadable_file_is_explained(qtbot, service, tmp_path, monkeypatch):
    bad = tmp_path / "roster.xlsx"
    bad.write_bytes(b"PK\x03\x04 broken")
    shown: list[BaseException] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, error: shown.append(error))
    dialog = ImportDialog(service, bad)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert "roster.xlsx" in shown[0].message
    assert not dialog.isVisible()


def test_members_page_imports_and_exports(qtbot, demo_db, tmp_path, monkeypatch):
    branches = BranchService(demo_db)
    branch = branches.current()
    page = MembersPage(
        MemberService(demo_db, branch.id),
        branches,
        TabularService(demo_db, branch.id),
        QUndoStack(),
    )
    qtbot.addWidget(page)
    page.show()
    assert page.import_button.isVisible() and page.export_button.isVisible()
    target = tmp_path / "花名册.xlsx"
    with qtbot.waitSignal(page.exported, timeout=10000):
        page.export_to(target)
    assert target.stat().st_size > 0
    dialog = page.open_import_dialog(target)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)
    assert dialog.plan.counts() == {Action.UNCHANGED: 60}
    assert not dialog.import_button.isEnabled(), "a round trip has nothing to write"
    shown: list[BaseException] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, error: shown.append(error))
    page.export_to(tmp_path / "missing-folder" / "x.xlsx")
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert page.export_button.isEnabled()


def test_file_menu_opens_import_and_export(qtbot, demo_db, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from desktop.views.main_window import MainWindow

    window = MainWindow(Services(demo_db))
    qtbot.addWidget(window)
    window.show()
    page = window.members_page
    # Export with a name typed without an extension and the CSV filter chosen: a .csv file.
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *a, **k: (str(tmp_path / "名册"), _("CSV, UTF-8 (*.csv)"))),
    )
    with qtbot.waitSignal(page.exported, timeout=10000):
        window.export_action.trigger()
    assert (tmp_path / "名册.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    window.show_page("party_groups")
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileName",
        staticmethod(lambda *a, **k: (str(tmp_path / "名册.csv"), "")),
    )
    window.import_action.trigger()
    assert window.stack.currentWidget() is page
    dialog = page.findChild(ImportDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)
    assert dialog.plan.counts() == {Action.UNCHANGED: 60}
    dialog.reject()
