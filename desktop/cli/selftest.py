# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward selftest`: does this installation work? Every part the clerk relies on, once.

In a throw-away folder, with a made-up account: a branch in a new encrypted data file (every
migration script run), a member written and read back after reopening, a PDF with Chinese text
and its font embedded, the main window opened and closed (offscreen unless a display is asked
for), a backup made and verified, a sync bundle sealed for a second data file and opened there.
One translated line per step; the first failing step is named with its reason and exits 1.

The installers run it on the installed files (`installer/build-linux`), so it is the check that
the bundle holds the Qt plugins, fonts, catalogues, migrations and SQLCipher. It calls the same
services the window and the other commands use; Qt is imported for the window step only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.cli.common import out
from desktop.errors import UserError
from desktop.i18n import _

#: An embedded TrueType subset: `/BaseFont /AAAAAA+<the face's PostScript name>` and its file.
_EMBEDDED_FONT = b"/FontFile2"
_SQLITE_HEADER = b"SQLite format 3\x00"


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    selftest = sub.add_parser(
        "selftest",
        parents=[common],
        help="check this installation in a throw-away folder (exit 0: everything works)",
    )
    selftest.add_argument(
        "--folder",
        metavar="DIR",
        help="work in DIR and keep what was made there (default: a temporary folder, removed)",
    )
    selftest.add_argument(
        "--screenshot",
        metavar="FILE.png",
        help="save a picture of the main window (to look at its text)",
    )
    selftest.set_defaults(handler=cmd_selftest)


class StepFailed(UserError):
    """A step ran but its result is wrong."""


@dataclass
class _Run:
    """What the steps hand on to each other."""

    folder: Path
    screenshot: Path | None
    user: str = "selftest"
    password: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    services: Any = None
    peer: Any = None
    branch_name: str = "红旗村党支部（自检）"
    member_name: str = "王建国"

    def credentials(self) -> Any:
        from desktop.models.store.keyring import Credentials

        return Credentials(self.user, self.password)

    def open(self, name: str, create: bool = True) -> Any:
        from desktop.models.store.db import Database
        from desktop.services import Services

        return Services(
            Database.open(self.folder / name, create=create, credentials=self.credentials())
        )

    def close(self) -> None:
        for services in (self.services, self.peer):
            if services is not None:
                services.db.close()
        self.services = self.peer = None


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise StepFailed(message)


def step_branch(run: _Run) -> None:
    from desktop.models.store import migrate

    heads = migrate.script_heads()  # the scripts are read from disk: are they all shipped?
    _check(
        heads == [migrate.HEAD],
        _("The migration scripts end at {found}, not at {expected}.").format(
            found=", ".join(heads) or "-", expected=migrate.HEAD
        ),
    )
    run.services = run.open("data")
    run.services.branches.create(run.branch_name, "自检镇", "自检县")
    _check(run.services.branch.name == run.branch_name, _("The new branch was not found."))


def step_database(run: _Run) -> None:
    run.services.members.save_fields(
        [
            f"name={run.member_name}",
            "id_number=11010519491231002X",
            "joined_on=1975.7.1",
            "confirmed_on=1976.7.1",
            "phone=13800138000",
        ]
    )
    path = run.services.db.path
    run.services.db.close()
    run.services = None
    _check(
        path.read_bytes()[:16] != _SQLITE_HEADER,
        _("The data file {path} is not encrypted.").format(path=path),
    )
    run.services = run.open("data", create=False)
    found = run.services.members.find_by_id_number("11010519491231002X")
    _check(
        found is not None and found.name == run.member_name,
        _("The member written to the data file was not read back."),
    )


def step_pdf(run: _Run) -> None:
    import re

    from reportlab.pdfbase import pdfmetrics

    from desktop.printing import fonts, jobs

    options = jobs.choose_options(jobs.MEMBERS)
    data = run.services.printing.sheet(options.document, dt.date.today())
    path = run.folder / "members.pdf"
    result = jobs.write_pdf(path, options, data)
    _check(result.pages >= 1, _("The PDF has no page."))
    _check(
        not result.missing_glyphs,
        _("The font cannot print these characters: {chars}").format(
            chars=" ".join(result.missing_glyphs)
        ),
    )
    pdf = path.read_bytes()
    face = pdfmetrics.getFont(fonts.FONT).face.name  # b"WenQuanYiMicroHei"
    subset = re.search(rb"/BaseFont\s*/[A-Z]{6}\+" + re.escape(face), pdf)
    _check(
        subset is not None and _EMBEDDED_FONT in pdf,
        _("The Chinese font {font} is not embedded in the PDF.").format(font=fonts.FONT),
    )


def step_window(run: _Run) -> None:
    # The one Qt step; offscreen unless the caller asked for a platform (a display, Xvfb).
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop import APP_DISPLAY_NAME
    from desktop.i18n import language
    from desktop.views.app import Application
    from desktop.views.fonts import apply_app_font
    from desktop.views.tasks import db_pool

    # The window's remembered size and language go to the throw-away folder, not the user's.
    for kind in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(kind, QSettings.Scope.UserScope, str(run.folder / "settings"))
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationDisplayName(APP_DISPLAY_NAME)
    apply_app_font(app, 100)
    application = Application(app)
    application.apply_language(language())
    application.attach(run.services.db)
    application.show_window()
    window = application.window
    _check(window is not None and window.isVisible(), _("The main window did not open."))
    app.processEvents()
    if run.screenshot is not None:
        window.grab().save(str(run.screenshot))
    window.close()
    application.backup_timer.stop()
    db_pool().waitForDone(60_000)  # a page still loading finishes before the file closes
    app.processEvents()


def step_backup(run: _Run) -> None:
    from desktop.models.store import backup

    made = backup.backup_to_folder(run.services.db, run.folder / "backups")
    info = backup.verify_backup(made, run.credentials())
    _check(info is not None, _("The backup {path} could not be verified.").format(path=made))


def step_sync(run: _Run) -> None:
    run.peer = run.open("peer")
    here, there = run.services.sync, run.peer.sync
    here.trust(there.read_card(there.write_card(run.folder / "peer.card")))
    there.trust(here.read_card(here.write_card(run.folder / "here.card")))
    sealed = here.export(there.me()[0], run.folder / "bundle.rsb")
    summary = there.import_file(sealed.path)
    _check(
        summary.records_added > 0 and run.peer.branches.current() is not None,
        _("The sync bundle was opened but brought no records."),
    )


#: The steps, in order: each a translated line (its label) and what it does.
def steps() -> list[tuple[str, Callable[[_Run], None]]]:
    return [
        (_("Create a branch in a new encrypted data file"), step_branch),
        (_("Write and read the encrypted data file"), step_database),
        (_("Print a PDF with Chinese text and its font embedded"), step_pdf),
        (_("Open and close the main window"), step_window),
        (_("Make and verify a backup"), step_backup),
        (_("Seal and open a sync bundle"), step_sync),
    ]


def _reason(error: BaseException) -> str:
    if isinstance(error, UserError):
        return error.message
    return f"{type(error).__name__}: {error}"


def cmd_selftest(args: argparse.Namespace) -> int:
    given = Path(args.folder).expanduser() if args.folder else None
    folder = given or Path(tempfile.mkdtemp(prefix="red-steward-selftest-"))
    run = _Run(folder, Path(args.screenshot).expanduser().resolve() if args.screenshot else None)
    try:
        for number, (label, step) in enumerate(steps(), start=1):
            try:
                if number == 1:
                    folder.mkdir(parents=True, exist_ok=True)
                step(run)
            except Exception as error:  # every failure is reported as the step's failure
                out(_("[{n}] {step}: FAILED").format(n=number, step=label))
                sys.stderr.write(
                    "red-steward: "
                    + _("The self-test failed at step {n}, {step}: {reason}").format(
                        n=number, step=label, reason=_reason(error)
                    )
                    + "\n"
                )
                return 1
            out(_("[{n}] {step}: ok").format(n=number, step=label))
    finally:
        run.close()
        if given is None:
            shutil.rmtree(folder, ignore_errors=True)
    out(_("The self-test passed: this installation works."))
    return 0
