# SPDX-License-Identifier: GPL-3.0-or-later
"""The register's table model shows a filter's first page first and counts afterwards (#22)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop.models.register.service import MemberService
from desktop.views.qtmodels.member_table_model import MemberTableModel


def test_a_full_first_page_shows_before_the_count(qtbot, db, branch, make_member):
    for _n in range(12):
        make_member()
    make_member(name="陈建国")
    model = MemberTableModel(MemberService(db, branch.id))
    model.PAGE_SIZE = 5
    with qtbot.waitSignal(model.counted, timeout=10_000) as counted:
        model.set_filter("")
        assert model.rowCount() == 5, "the first page only, until the count comes"
    assert counted.args == [13] and model.rowCount() == 13
    assert model.row_at(12) is not None

    with qtbot.waitSignal(model.counted, timeout=10_000) as counted:
        model.set_filter("cjg")  # a short first page is everything: counted at once
    assert counted.args == [1] and model.row_at(0).name == "陈建国"


def test_a_newer_filter_cancels_the_count_of_the_older(qtbot, db, branch, make_member):
    for _n in range(8):
        make_member()
    model = MemberTableModel(MemberService(db, branch.id))
    model.PAGE_SIZE = 5
    counts: list[int] = []
    model.counted.connect(counts.append)
    model.set_filter("")
    model.set_filter("zzzz")
    qtbot.waitUntil(lambda: counts == [0], timeout=10_000)
    QCoreApplication.processEvents()  # a stale count, if one were still scheduled, runs here
    assert counts == [0] and model.rowCount() == 0
