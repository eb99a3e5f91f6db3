# SPDX-License-Identifier: GPL-3.0-or-later
"""What the start-up and memory scenarios run in a subprocess of their own:

    python -m benchmarks.probe app|bare FOLDER [--scroll]

`app` starts the window the way `red-steward gui` does (`desktop.views.app`), signed in from
the environment instead of the dialog; `bare` is the floor: PySide6 and sqlcipher3 only, the
same first page of the same file into a QTableView. Each prints `READY` once the member list
shows its first row, then, with `--scroll`, scrolls the list to its last row and prints
`RSS <peak resident MB>`.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

#: The first page's columns, as the member list shows them.
_PAGE_SQL = """
SELECT m.name, m.gender, p.name, m.status, m.birth_date, m.joined_on, m.phone, m.id_number,
       v.name
FROM member m
LEFT JOIN party_group p ON p.id = m.party_group_id
LEFT JOIN villager_group v ON v.id = m.villager_group_id
WHERE m.deleted = 0
  AND m.branch_id = (SELECT id FROM branch WHERE deleted = 0 ORDER BY id LIMIT 1)
ORDER BY m.name, m.id
LIMIT 200
"""


def _peak_mb() -> float:
    """This process's own peak RSS. Not `ru_maxrss` on Linux: that keeps the high-water mark
    of the parent it was spawned from (`vfork` + `exec` records the parent's memory as the
    child's), so a probe started by a benchmark run that had opened the county file read as
    big as the run itself; `VmHWM` is the peak of this program's own memory only."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _report(qapp: Any, table: Any, model: Any, scroll: bool) -> None:
    print("READY", flush=True)
    if scroll:
        table.scrollToBottom()
        deadline = time.monotonic() + 600
        last = model.rowCount() - 1
        while time.monotonic() < deadline:
            qapp.processEvents()
            if model.data(model.index(last, 0)) is not None:
                break
        for _ in range(5):
            qapp.processEvents()
        print(f"RSS {_peak_mb():.1f}", flush=True)
    os._exit(0)  # the measurement is done: no teardown


def _wait(qapp: Any, ready: Any) -> None:
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.setInterval(2)
    timer.timeout.connect(ready)
    timer.start()
    qapp.exec()


def run_app(folder: Path, scroll: bool) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop import paths
    from desktop.models.store.db import Database
    from desktop.views import app as gui
    from desktop.views.members.member_page import MembersPage

    paths.set_data_dir(folder)
    qapp = QApplication(sys.argv)
    application = gui.Application(qapp)
    application.apply_language("zh_CN")
    db = Database.open(folder, create=False)
    application.attach(db)
    application.backup_if_due()
    if not application.ensure_branch(False):
        raise SystemExit("no branch")
    application.show_window()

    def ready() -> None:
        window = application.window
        page = window.findChild(MembersPage) if window is not None else None
        if page is None:
            return
        model = page.table.model()
        if model.rowCount() > 0 and model.data(model.index(0, 0)) is not None:
            _report(qapp, page.table, model, scroll)

    _wait(qapp, ready)


def run_bare(folder: Path, scroll: bool) -> None:
    import sqlcipher3
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTableView

    from desktop import paths
    from desktop.models.store import keyring

    qapp = QApplication(sys.argv)
    credentials = keyring.Credentials.from_env()
    assert credentials is not None
    key, _account = keyring.KeyFile.load(keyring.keys_path(folder)).unlock(credentials)
    conn = sqlcipher3.connect(str(paths.database_path(folder)))
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    rows = conn.execute(_PAGE_SQL).fetchall()
    model = QStandardItemModel(len(rows), 9)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            model.setItem(r, c, QStandardItem("" if value is None else str(value)))
    table = QTableView()
    table.setModel(model)
    table.resize(1200, 800)
    table.show()

    def ready() -> None:
        if model.rowCount() > 0 and model.data(model.index(0, 0)) is not None:
            _report(qapp, table, model, scroll)

    _wait(qapp, ready)


def main() -> None:
    kind, folder = sys.argv[1], Path(sys.argv[2])
    scroll = "--scroll" in sys.argv[3:]
    {"app": run_app, "bare": run_bare}[kind](folder, scroll)


if __name__ == "__main__":
    main()
