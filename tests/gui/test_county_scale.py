# SPDX-License-Identifier: GPL-3.0-or-later
"""A county-size register (200,000 members, 5,000 households, a steward and team per party
group, a service and a branch meeting that expects every member): every page and the dialogs
that offer people open under a cap on the peak memory, and no widget holds more than a capped
number of items (issue #22: a combo box of every member crashed the process at about 100,000
and held the whole table; the households page and the service log's filters held every
household; the meetings list read the whole register once per meeting, 590 MB at its peak)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QAbstractProxyModel
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QCompleter, QListWidget, QWidget

from desktop.models.assessment import rules, scoring
from desktop.models.assessment.rows import RuleDraft
from desktop.models.meetings.meetings import save_meeting
from desktop.models.meetings.rows import MeetingDraft
from desktop.models.register import pinyin
from desktop.models.register.groups import add_party_group, create_branch
from desktop.models.register.members import save_member
from desktop.models.stewards import appointments, rosters
from desktop.models.stewards.households import save_household
from desktop.models.stewards.rows import HouseholdDraft, ServiceDraft
from desktop.models.stewards.service_records import record_service
from desktop.models.stewards.teams import list_group_volunteers
from desktop.models.store import keyring
from desktop.models.store.db import Database
from desktop.models.store.keyring import Credentials
from desktop.services import Services
from desktop.views.main_window import MainWindow
from desktop.views.meetings.meeting_dialog import MeetingDialog
from desktop.views.meetings.plan_dialog import PlanDialog
from desktop.views.qtmodels.member_table_model import MemberTableModel
from desktop.views.qtmodels.paged_model import PagedRowsModel
from desktop.views.stewards.appoint_dialog import AppointDialog
from desktop.views.stewards.household_dialog import HouseholdDialog
from tests.conftest import CHEAP_KDF, TEST_PASSWORD, TEST_USER, member_draft

pytestmark = [pytest.mark.gui, pytest.mark.slow]

MEMBERS = 200_000
#: More than a widget may hold (ITEM_CAP): the households page and the log must page or search.
HOUSEHOLDS = 5_000
#: No list, combo box or suggestion list may hold more than this many items.
ITEM_CAP = 2_000
#: What opening every page and those dialogs may add to the process's peak resident memory.
RSS_GROWTH_MB = 150
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
STARTED = dt.date(2024, 1, 1)
YESTERDAY = dt.date.today() - dt.timedelta(days=1)
NEW_YEAR = dt.date.today().replace(month=1, day=1)  # the meetings page shows this year


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no {field}")


def reset_peak_rss() -> None:
    """Start the peak (VmHWM) again from the current RSS (Linux 4.0 and later): a page that
    reads a whole table and lets it go leaves no trace in the RSS at the end, only in the peak."""
    Path("/proc/self/clear_refs").write_text("5")


@pytest.fixture(scope="session")
def county_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data file with 200,000 members, built once per session: one member through the app's
    own write path, then copied in SQL with new ids, names, ID numbers and phones (seconds,
    where inserting row by row takes minutes)."""
    folder = tmp_path_factory.mktemp("county") / "data"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(keyring, "KDF_DEFAULT", CHEAP_KDF)
        db = Database.open(folder, credentials=Credentials(TEST_USER, TEST_PASSWORD))
    try:
        with db.unit_of_work() as session:
            branch = create_branch(session, "青山县城关镇党委", "城关镇", "青山县")
            groups = [add_party_group(session, branch.id).id for _ in range(12)]
            seed = save_member(session, branch.id, member_draft(party_group_id=groups[0]))
            home = save_household(
                session,
                branch.id,
                HouseholdDraft("王建国", "第1组1号", party_group_id=groups[0], needs_visits=True),
            )
            # A steward (and so a team) per group, a service and a branch meeting (党员大会,
            # which expects every member): the stewards, log and meetings pages have rows.
            for group in groups:
                steward = save_member(session, branch.id, member_draft(party_group_id=group))
                appointments.appoint(session, branch.id, steward.id, "group", group, STARTED)
            carer = list_group_volunteers(session, branch.id, groups[0])[0]
            rosters.generate_roster(
                session, carer.team_id, YESTERDAY, YESTERDAY + dt.timedelta(days=13)
            )
            # This year's assessment, scoring started: the assessment page's four tabs have rows.
            rules.open_year(session, branch.id, NEW_YEAR.year)
            rules.save_rule(
                session, branch.id, NEW_YEAR.year, RuleDraft("服务数量", "party_group", Decimal(50))
            )
            scoring.start_scoring(session, branch.id, NEW_YEAR.year)
            record_service(
                session,
                branch.id,
                ServiceDraft(YESTERDAY, volunteer_ids=(carer.id,), household_ids=(home,)),
            )
            save_meeting(
                session,
                branch.id,
                MeetingDraft("assembly", dt.datetime.combine(NEW_YEAR, dt.time(9)), "党员大会"),
            )
        conn = db.raw_connection()
        try:
            columns = [row[1] for row in conn.execute("PRAGMA table_info(member)")]
            name = (
                f"substr('{SURNAMES}', i % 24 + 1, 1)"
                f" || substr('{GIVEN}', i / 24 % 24 + 1, 1)"
                f" || substr('{GIVEN}', i / 576 % 24 + 1, 1)"
            )
            # The pinyin search keys, derived from the name as the app derives them.
            for function in (pinyin.full_of, pinyin.initials_of, pinyin.given_of):
                conn.create_function(function.__name__, 1, function, deterministic=True)
            made = {
                "id": "lower(hex(randomblob(16)))",
                "name": name,
                "name_pinyin": f"full_of({name})",
                "name_initials": f"initials_of({name})",
                "name_given": f"given_of({name})",
                "id_number": "'43012119' || printf('%010d', i)",
                "phone": "'139' || printf('%08d', i)",
            }
            select = ", ".join(made.get(c, f"t.{c}") for c in columns)
            conn.execute("BEGIN")
            conn.execute(
                f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
                f"INSERT INTO member ({', '.join(columns)}) "
                f"SELECT {select} FROM n, member AS t WHERE t.id = ?",
                (MEMBERS - 1 - len(groups), seed.id.hex),
            )
            # Households likewise, from the one saved: heads and addresses of their own.
            columns = [row[1] for row in conn.execute("PRAGMA table_info(household)")]
            head = name.replace("i % 24", "(i * 7) % 24")
            made = {
                "id": "lower(hex(randomblob(16)))",
                "head_name": head,
                "head_pinyin": f"full_of({head})",
                "head_initials": f"initials_of({head})",
                "address": "'第' || (i % 40 + 1) || '组' || i || '号'",
                "phone": "'138' || printf('%08d', i)",
            }
            select = ", ".join(made.get(c, f"t.{c}") for c in columns)
            conn.execute(
                f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
                f"INSERT INTO household ({', '.join(columns)}) "
                f"SELECT {select} FROM n, household AS t WHERE t.id = ?",
                (HOUSEHOLDS - 1, home.hex),
            )
            conn.execute("COMMIT")
            assert conn.execute("SELECT count(*) FROM member").fetchone()[0] == MEMBERS
            assert conn.execute("SELECT count(*) FROM household").fetchone()[0] == HOUSEHOLDS
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
    finally:
        db.close()
    return folder


@pytest.fixture
def county_db(county_folder: Path) -> Iterator[Database]:
    db = Database.open(county_folder, create=False)  # only read: the session's copy serves
    yield db
    db.close()


def _too_full(root: QWidget) -> list[str]:
    """Every item view, combo box and suggestion list under `root` that holds too much."""
    found = []

    def check(name: str, model: QAbstractItemModel | None) -> None:
        while isinstance(model, QAbstractProxyModel):
            model = model.sourceModel()
        if model is None or model.rowCount() <= ITEM_CAP:
            return
        if isinstance(model, MemberTableModel | PagedRowsModel):
            # These page from the database: only the pages they keep count.
            held = sum(len(page) for page in model._pages.values())
            if held <= model.PAGE_SIZE * model.MAX_PAGES:
                return
        found.append(f"{name}: {model.rowCount()}")

    for combo in root.findChildren(QComboBox):
        if combo.count() > ITEM_CAP:
            found.append(f"{combo.objectName() or combo}: {combo.count()} items")
    for lst in root.findChildren(QListWidget):
        if lst.count() > ITEM_CAP:
            found.append(f"{lst.objectName() or lst}: {lst.count()} items")
    for completer in root.findChildren(QCompleter):
        check(f"completer of {completer.widget()}", completer.model())
    for view in root.findChildren(QAbstractItemView):
        if not isinstance(view.parent(), QComboBox):
            check(view.objectName() or type(view).__name__, view.model())
    return found


def test_every_page_and_the_people_dialogs_at_county_scale(qtbot, county_db):  # type: ignore[no-untyped-def]
    reset_peak_rss()
    before = rss_mb()
    services = Services(county_db)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    for key, _page in window.pages:
        window.show_page(key)
        qtbot.wait(1)  # the page's own show handlers run
    assessment = window.page("assessment")
    for tab in range(assessment.tabs.count()):  # each tab reads its rows when first shown
        assessment.tabs.setCurrentIndex(tab)
        qtbot.wait(1)
    assert assessment.sheets_model.rowCount() == 12  # a sheet per party group
    assert window.page("rosters").roster_model.rowCount() == 1
    stewards = window.stewards_page
    assert len(stewards.member_picker.search("王")) == stewards.member_picker.LIMIT
    households = window.page("households")
    assert households.model.rowCount() == HOUSEHOLDS
    households.table.scrollToBottom()
    qtbot.wait(1)
    meetings = window.page("meetings")
    assert [row.expected for row in meetings.meeting_model.rows()] == [MEMBERS]  # counted
    meetings.meeting_table.selectRow(0)  # its attendance list: every member, paged
    assert meetings.attendance.model.rowCount() == MEMBERS
    meetings.attendance.table.scrollToBottom()
    qtbot.wait(1)
    log = window.page("service_log")
    assert log.record_model.rowCount() == 1
    dialogs = [
        AppointDialog(services.stewards, window),
        HouseholdDialog(services.stewards, None, window),
        MeetingDialog(services.meetings, None, window),
        PlanDialog(services.meetings, window.ops, dt.date.today(), window),
        log.open_edit_dialog(log.record_model.row_at(0)),
        window.members_page.open_dialog(None),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
    qtbot.wait(1)
    growth = rss_mb("VmHWM") - before
    too_full = [problem for root in [window, *dialogs] for problem in _too_full(root)]
    assert not too_full, too_full
    assert growth < RSS_GROWTH_MB, f"{growth:.0f} MB"
    # The log's household filter finds a household among thousands by typing.
    picker = window.page("service_log").household_filter
    assert len(picker.search("王")) == picker.LIMIT
