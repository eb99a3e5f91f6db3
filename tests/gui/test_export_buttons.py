# SPDX-License-Identifier: GPL-3.0-or-later
"""Export… on the rosters and service log pages: from the keyboard, through the save dialog,
with what the services return in the file."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from desktop.i18n import _
from desktop.models.register.service import BranchService
from desktop.models.stewards.rows import ServiceQuery
from desktop.models.stewards.service import RosterService, ServiceLogService, StewardService
from desktop.tabular.service import TabularService
from desktop.views import messages
from desktop.views.stewards.rosters_page import RostersPage
from desktop.views.stewards.service_log_page import ServiceLogPage

pytestmark = pytest.mark.gui


@pytest.fixture
def branch_id(demo_db):  # type: ignore[no-untyped-def]
    return BranchService(demo_db).current().id


def show(qtbot, widget):  # type: ignore[no-untyped-def]
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)
    return widget


def save_as(monkeypatch, path, csv_filter: bool = False) -> list[str]:  # type: ignore[no-untyped-def]
    """Answer the save dialog with `path`; the titles it was opened with."""
    titles: list[str] = []

    def answer(parent, title, suggested, filters):  # type: ignore[no-untyped-def]
        titles.append(title)
        return str(path), _("CSV, UTF-8 (*.csv)") if csv_filter else _("Excel workbook (*.xlsx)")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    return titles


def test_rosters_page_exports_every_duty_with_alt_x(
    qtbot, demo_db, branch_id, tmp_path, monkeypatch
):
    from openpyxl import load_workbook

    rosters = RosterService(demo_db, branch_id)
    page = show(
        qtbot,
        RostersPage(
            rosters, StewardService(demo_db, branch_id), TabularService(demo_db, branch_id)
        ),
    )
    messages_shown: list[str] = []
    page.status_message.connect(messages_shown.append)
    # Typed without an extension, with the Excel filter chosen: an .xlsx file.
    titles = save_as(monkeypatch, tmp_path / "值班表")
    page.duty_table.setFocus()
    with qtbot.waitSignal(page.export_button.exported, timeout=10000):
        qtbot.keyClick(page, Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)
    assert titles and _("Duty roster") in titles[0]
    duties = [
        (d.day, d.person_name) for r in rosters.rosters() for d in rosters.detail(r.id).duties
    ]
    sheet = load_workbook(tmp_path / "值班表.xlsx").active
    got = [(row[2].value.date(), row[5].value or "") for row in sheet.iter_rows(min_row=2)]
    assert got == duties and duties
    assert str(len(duties)) in messages_shown[-1]
    assert page.export_button.isEnabled()


def test_service_log_page_exports_the_period_shown(
    qtbot, demo_db, branch_id, tmp_path, monkeypatch
):
    log = ServiceLogService(demo_db, branch_id)
    page = show(
        qtbot,
        ServiceLogPage(log, StewardService(demo_db, branch_id), TabularService(demo_db, branch_id)),
    )
    today = dt.date.today()
    first, last = today - dt.timedelta(days=20), today - dt.timedelta(days=5)
    page.from_edit.setDate(QDate(first.year, first.month, first.day))
    page.to_edit.setDate(QDate(last.year, last.month, last.day))
    save_as(monkeypatch, tmp_path / "服务记录", csv_filter=True)
    with qtbot.waitSignal(page.export_button.exported, timeout=10000):
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    data = (tmp_path / "服务记录.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines()))[1:]
    expected = log.records(ServiceQuery(date_from=first, date_to=last))
    assert [(r[0], r[1]) for r in rows] == [
        (e.served_on.isoformat(), "、".join(e.people)) for e in expected
    ]
    assert 0 < len(rows) < len(log.records()), "only the period shown"


def test_a_failed_export_says_why_and_the_button_comes_back(
    qtbot, demo_db, branch_id, tmp_path, monkeypatch
):
    page = show(
        qtbot,
        ServiceLogPage(
            ServiceLogService(demo_db, branch_id),
            StewardService(demo_db, branch_id),
            TabularService(demo_db, branch_id),
        ),
    )
    shown: list[BaseException] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, error: shown.append(error))
    page.export_button.export_to(tmp_path / "missing-folder" / "x.xlsx")
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert "missing-folder" in str(shown[0])
    assert page.export_button.isEnabled()


def test_stewards_page_exports_the_stewards_shown(qtbot, demo_db, branch_id, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from desktop.views.stewards.stewards_page import StewardsPage

    stewards = StewardService(demo_db, branch_id)
    page = show(qtbot, StewardsPage(stewards, TabularService(demo_db, branch_id)))
    titles = save_as(monkeypatch, tmp_path / "管家.xlsx")
    with qtbot.waitSignal(page.export_button.exported, timeout=10000):
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert titles and _("Stewards") in titles[0]
    sheet = load_workbook(tmp_path / "管家.xlsx").active
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert (
        names
        == [s.name for s in stewards.stewards()]
        == [page.model.row_at(r).name for r in range(page.model.rowCount())]
    )
