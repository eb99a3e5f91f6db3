# SPDX-License-Identifier: GPL-3.0-or-later
"""The import preview for households, opened from File ▸ Import households… as a clerk does."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import select

from desktop.i18n import _
from desktop.models.stewards.household import Household
from desktop.services import Services
from desktop.tabular.member_import import Action
from desktop.views.main_window import MainWindow
from desktop.views.tabular.import_dialog import ImportDialog
from tests.tabular.test_household_import import MESSY_EXPECTED, messy_households_xlsx

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, demo_db):  # type: ignore[no-untyped-def]
    win = MainWindow(Services(demo_db))
    qtbot.addWidget(win)
    win.show()
    return win


def heads(db) -> set[str]:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return set(session.scalars(select(Household.head_name).where(~Household.deleted)))


def test_file_menu_imports_households(qtbot, window, demo_db, tmp_path, monkeypatch):
    actions = window.file_menu.actions()
    assert (
        actions.index(window.import_households_action) == actions.index(window.import_action) + 1
    ), "next to Import members…"
    assert window.import_households_action.text() == _("Import &households…")
    path = messy_households_xlsx(tmp_path / "台账.xlsx")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )
    before = heads(demo_db)
    window.import_households_action.trigger()
    dialog = window.findChild(ImportDialog)
    assert dialog is not None and dialog.isVisible() and dialog.kind == "households"
    qtbot.waitUntil(lambda: dialog.plan is not None and dialog._task is None, timeout=10000)
    assert dialog.windowTitle() == _("Import households")
    assert dialog.model.rowCount() == len(MESSY_EXPECTED)
    headers = [
        dialog.model.headerData(c, Qt.Orientation.Horizontal)
        for c in range(dialog.model.columnCount())
    ]
    assert headers[2:4] == [_("Head of household"), _("Address")]
    assert dialog.mapping_combos[1].currentData() == "head_name"
    assert dialog.mapping_combos[6].currentData() == "elderly_alone"
    choices = {
        dialog.mapping_combos[1].itemData(i) for i in range(dialog.mapping_combos[1].count())
    }
    assert "id_number" not in choices and "needs_visits" in choices
    phone_row = next(
        r for r in range(dialog.model.rowCount()) if dialog.model.rows[r].row_number == 6
    )
    assert _("Phone") in dialog.model.index(phone_row, 5).data()
    assert dialog.model.index(phone_row, 3).data() == "红旗村3组8号"

    # Map the notes column to nothing: the preview is made again without it.
    dialog.set_column_field(9, None)
    qtbot.waitUntil(
        lambda: (
            dialog._task is None and "notes" not in dialog.plan.sheets[0].layout.mapping().values()
        ),
        timeout=10000,
    )
    monkeypatch.setattr("desktop.views.messages.confirm", lambda *a, **k: True)
    with qtbot.waitSignal(dialog.imported, timeout=10000) as blocker:
        dialog.import_button.click()
    assert blocker.args[0].created == 3
    # A name padded with a space (李 四) is stored as written without it (issue #15).
    assert heads(demo_db) == before | {"张大山", "李四", "赵六"}
    assert (
        _("Imported: {created} added, {updated} updated.").format(created=3, updated=0)
        in window.message_label.text()
    )
    with demo_db.read() as session:
        notes = session.scalar(select(Household.notes).where(Household.head_name == "张大山"))
    assert notes == "", "the column mapped to nothing was not imported"
    assert dialog.plan.counts()[Action.CREATE] == 3
