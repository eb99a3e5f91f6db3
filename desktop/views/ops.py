# SPDX-License-Identifier: GPL-3.0-or-later
"""The one way to run a change from the window (Anki's `CollectionOp`).

Every write the window makes goes through `Ops.run`: the service call runs on the one database
thread (`tasks.db_pool`), a progress dialog shows when it takes long, a `UserError` becomes a
message box and anything else the crash dialog, and on success `Ops.changed` announces which
areas changed (Anki's `operation_did_execute(changes)`). Pages subscribe to `changed` and refresh
what they show; nobody wires page-to-page signals by hand, and no write runs on the GUI thread.

A change whose result carries a backup still to take (`backup.BackupAfter`: an import, a sync)
has it taken after `done` showed the result, on the database thread, with a note in the status
bar (`backing_up`) and a message box only if it fails; the window waits for it when it closes.

The window owns one `Ops` and hands it to every page; a page built alone (a test) makes its own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop.errors import UserError
from desktop.i18n import _
from desktop.models.store.backup import BackupAfter
from desktop.views import messages, tasks

T = TypeVar("T")

# The areas a change can touch; a page refreshes when one it shows is among them.
MEMBERS = "members"
GROUPS = "groups"  # party groups and villager groups
STEWARDS = "stewards"  # appointments, teams, days away, commitments, photos
HOUSEHOLDS = "households"
ROSTERS = "rosters"
SERVICE_LOG = "service_log"
SYNC = "sync"  # peers, conflicts, the sync bookkeeping
BRANCH = "branch"
ACCOUNTS = "accounts"
BACKUP = "backup"
MEETINGS = "meetings"  # meetings, their attendance and decisions, the frequencies
ASSESSMENT = "assessment"  # the annual assessment: rules, scorers, sheets, scores, results
#: What an import of another machine's changes (or a restored backup) may touch: everything.
ALL = frozenset(
    {
        MEMBERS,
        GROUPS,
        STEWARDS,
        HOUSEHOLDS,
        ROSTERS,
        SERVICE_LOG,
        SYNC,
        BRANCH,
        ACCOUNTS,
        BACKUP,
        MEETINGS,
        ASSESSMENT,
    }
)

#: A change that takes longer than this shows a progress dialog.
PROGRESS_AFTER_MS = 400

_running = 0


def busy() -> bool:
    """True while a change runs, its results are being shown or the backup after it is taken
    (tests wait on this)."""
    return _running > 0


class Ops(QObject):
    """Runs changes on the database thread and announces what they changed."""

    #: frozenset[str]: the areas a finished change touched.
    changed = Signal(object)
    #: str: a note for the status bar while the backup after a change is taken.
    backing_up = Signal(str)
    #: The backup after a change is written (or failed: a message box says so). Not `changed`:
    #: a page waiting for its own change's announcement must not take this for it.
    backed_up = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._backups: set[tasks.Task] = set()

    def run(
        self,
        parent: QWidget | None,
        fn: Callable[[], T],
        changes: Iterable[str],
        *,
        done: Callable[[T], None] | None = None,
        refused: Callable[[UserError], bool] | None = None,
        finally_: Callable[[], None] | None = None,
        progress: str | None = None,
    ) -> tasks.Task:
        """Run `fn` (a service call) on the database thread.

        On success the areas in `changes` are announced, then `done(result)` runs (a page
        selects what it saved, a dialog closes). A `UserError` goes to `refused` first: it
        returns True when it showed the problem itself (next to a field); otherwise a message
        box says it. `finally_` runs after either (a button enabled again). `progress` labels
        the dialog shown when the change takes long.
        """
        return self.run_long(
            parent,
            lambda _progress, _cancelled: fn(),
            changes,
            done=done,
            refused=refused,
            finally_=finally_,
            progress=progress,
        )

    def run_long(
        self,
        parent: QWidget | None,
        fn: Callable[[tasks.ProgressFn, threading.Event], T],
        changes: Iterable[str],
        *,
        done: Callable[[T], None] | None = None,
        refused: Callable[[UserError], bool] | None = None,
        failed: Callable[[BaseException], None] | None = None,
        finally_: Callable[[], None] | None = None,
        progress: str | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        pool: QThreadPool | None = None,
    ) -> tasks.Task:
        """As `run`, for work that reports progress and can be cancelled.

        `failed(error)` replaces the message box for any failure (a page that shows the reason
        in its own panel); it comes after `refused`. `pool`: another thread pool for work that
        only reads the file (a backup copies it while the clerk goes on editing).
        """
        global _running
        areas = frozenset(changes)
        dialog = _ProgressDialog(parent, progress) if progress else None
        _running += 1

        def end() -> None:
            global _running
            if dialog is not None:
                dialog.finish()
            if finally_ is not None:
                finally_()

        def succeeded(result: Any) -> None:
            global _running
            try:
                end()
                if areas:
                    self.changed.emit(areas)
                if done is not None:
                    done(result)
            finally:
                # The result is shown: now the backup that holds it (never instead of it).
                after = getattr(result, "backup_after", None)
                if isinstance(after, BackupAfter):
                    self.take_backup_after(after)
                _running -= 1

        def went_wrong(error: BaseException) -> None:
            global _running
            try:
                end()
                if isinstance(error, UserError) and refused is not None and refused(error):
                    return
                if failed is not None:
                    failed(error)
                else:
                    messages.show_error(parent, error)
            finally:
                _running -= 1

        def progressed(value: int, total: int) -> None:
            if dialog is not None:
                dialog.progressed(value, total)
            if on_progress is not None:
                on_progress(value, total)

        task = tasks.run_task(fn, succeeded, went_wrong, progressed, pool)
        if dialog is not None:
            dialog.canceled.connect(task.cancelled.set)
        return task

    def take_backup_after(self, after: BackupAfter) -> tasks.Task:
        """Take the backup of a committed change on the database thread (after it: a next
        change waits for it, so that it holds the state the clerk saw). A note in the status
        bar while it runs; a message box only if it fails (the change itself is in)."""
        global _running
        _running += 1

        def end() -> bool:
            global _running
            self._backups.discard(task)
            _running -= 1
            alive = shiboken6.isValid(self)  # a dialog's own Ops may be gone with the dialog
            if alive:
                self.backed_up.emit()
            return alive

        def taken(_path: object) -> None:
            end()

        def failed(error: BaseException) -> None:
            parent = self.parent() if end() else None
            messages.show_error(parent if isinstance(parent, QWidget) else None, error)

        self.backing_up.emit(_("Backing up the changes just made…"))
        task = tasks.run_task(lambda _progress, _cancelled: after.take(), taken, failed)
        self._backups.add(task)
        return task

    def backing_up_now(self) -> bool:
        """True while a backup after a change is being taken."""
        return bool(self._backups)

    def wait_for_backups(self) -> None:
        """Block until the backups after changes are written (the window closes, and the
        process may end next: a backup cut short would leave the newest work without one)."""
        if not self._backups:
            return
        tasks.db_pool().waitForDone()
        # Their ends were queued for this thread: run them now, while the window still exists.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.MetaCall.value)


class _ProgressDialog(QProgressDialog):
    """Shown only when a change takes longer than PROGRESS_AFTER_MS."""

    def __init__(self, parent: QWidget | None, label: str) -> None:
        super().__init__(label, "", 0, 0, parent)
        self.setObjectName("op_progress")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setCancelButton(None)
        self.setAutoReset(False)
        self.setAutoClose(False)
        # Qt shows the dialog by itself once this much time has passed without finish().
        self.setMinimumDuration(PROGRESS_AFTER_MS)

    def progressed(self, value: int, total: int) -> None:
        self.setMaximum(max(total, 0))
        self.setValue(min(value, total) if total else 0)

    def finish(self) -> None:
        self.reset()  # stops the timer that would show it
        self.hide()
        self.deleteLater()
