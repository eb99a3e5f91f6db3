# SPDX-License-Identifier: GPL-3.0-or-later
"""The print centre (打印): choose a sheet, preview it, print it or save it as PDF.

Rendering runs off the GUI thread (data in the database pool, layout in the global pool) with a
progress bar and a Cancel button; the preview is Qt's own PDF view of the very file that is
printed or saved, so what the clerk sees is what goes on the wall.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import shutil
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QTemporaryDir, QThreadPool, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import UserError
from desktop.i18n import _, babel_locale, format_date, ngettext
from desktop.models.documents.service import PrintService
from desktop.printing import jobs
from desktop.printing.fonts import UnprintableCharacter
from desktop.views import messages, tasks
from desktop.views.ops import ASSESSMENT, MEETINGS, ROSTERS, STEWARDS, Ops
from desktop.views.printing import pdf_printer

log = logging.getLogger(__name__)


_ASSESSMENT_DOCUMENTS = (jobs.ASSESSMENT, jobs.SCORE_SHEETS)
#: The documents printed for a chosen year.
_YEAR_DOCUMENTS = (jobs.BOARD, *_ASSESSMENT_DOCUMENTS, jobs.MEETING_REGISTER)
#: The roster combo's choices: one roster, or every team's rosters of a month.
_ONE_ROSTER, _MONTH = "roster", "month"


class PrintPage(QWidget):
    status_message = Signal(str)
    #: Emitted with the page count once a preview is on screen.
    preview_ready = Signal(int)
    preview_failed = Signal(object)

    def __init__(
        self, service: PrintService, parent: QWidget | None = None, *, ops: Ops | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("print_page")
        self.service = service
        self.ops = ops if ops is not None else Ops(self)
        #: The years offered are those with commitments; every print reads afresh.
        self.ops.changed.connect(self._on_changed)
        self._temp = QTemporaryDir()
        self._serial = itertools.count(1)
        self._task: tasks.Task | None = None
        self._pdf_path: Path | None = None
        self._rendered_options: jobs.PrintOptions | None = None
        #: The user chose to print although a character cannot be printed (for these choices).
        self._anyway = False

        self.document_combo = QComboBox(objectName="document_combo")
        for key in (*jobs.DOCUMENTS, jobs.ASSESSMENT, jobs.SCORE_SHEETS, jobs.MEETING_REGISTER):
            self.document_combo.addItem("", key)
        self.year_combo = QComboBox(objectName="year_combo")
        #: Which roster: any stored one, or a month of every team's (shown for the roster only).
        self.roster_combo = QComboBox(objectName="roster_combo")
        self.paper_combo = QComboBox(objectName="paper_combo")
        self.paper_combo.addItems(["A4", "A3"])
        self.orientation_combo = QComboBox(objectName="orientation_combo")
        self.orientation_combo.addItem("", False)
        self.orientation_combo.addItem("", True)
        self.qr_check = QCheckBox(objectName="qr_check")
        self.preview_button = QPushButton(objectName="preview_button")
        self.print_button = QPushButton(objectName="print_button")
        self.save_button = QPushButton(objectName="save_button")
        self.cancel_button = QPushButton(objectName="cancel_button")
        self.progress = QProgressBar(objectName="render_progress")
        self.progress.setTextVisible(False)
        self.info_label = QLabel(objectName="info_label")
        self.info_label.setWordWrap(True)

        self.pdf_document = QPdfDocument(self)
        self.pdf_view = QPdfView(self)
        self.pdf_view.setObjectName("pdf_view")
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pdf_view.setDocument(self.pdf_document)

        self._labels = {
            name: QLabel() for name in ("document", "roster", "year", "paper", "orientation")
        }
        for name, widget in (
            ("document", self.document_combo),
            ("roster", self.roster_combo),
            ("year", self.year_combo),
            ("paper", self.paper_combo),
            ("orientation", self.orientation_combo),
        ):
            self._labels[name].setBuddy(widget)
        form = QFormLayout()
        self._form = form
        form.addRow(self._labels["document"], self.document_combo)
        form.addRow(self._labels["roster"], self.roster_combo)
        form.addRow(self._labels["year"], self.year_combo)
        form.addRow(self._labels["paper"], self.paper_combo)
        form.addRow(self._labels["orientation"], self.orientation_combo)
        form.addRow(self.qr_check)
        buttons = QVBoxLayout()
        for button in (
            self.preview_button,
            self.print_button,
            self.save_button,
            self.cancel_button,
        ):
            buttons.addWidget(button)
        buttons.addWidget(self.progress)
        buttons.addWidget(self.info_label)
        buttons.addStretch()
        side = QVBoxLayout()
        side.addLayout(form)
        side.addLayout(buttons)
        side_widget = QWidget()
        side_widget.setLayout(side)
        side_widget.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 26)
        layout = QHBoxLayout(self)
        layout.addWidget(side_widget)
        layout.addWidget(self.pdf_view, 1)

        self.document_combo.currentIndexChanged.connect(self._on_document_combo_changed)
        for widget in (
            self.roster_combo,
            self.year_combo,
            self.paper_combo,
            self.orientation_combo,
        ):
            widget.currentIndexChanged.connect(self._on_options_changed)
        self.qr_check.toggled.connect(self._on_options_changed)
        self.preview_button.clicked.connect(self.render_preview)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.cancel_button.clicked.connect(self.cancel)
        QShortcut(QKeySequence.StandardKey.Refresh, self, self.render_preview)
        QShortcut(QKeySequence.StandardKey.Save, self, self._on_save_button_clicked)

        self.retranslate()
        self.reload_rosters()
        self.reload_years()
        self._on_document_combo_changed()
        self._set_busy(False)

    # ----------------------------------------------------------------------------- options

    def retranslate(self) -> None:
        names = {
            jobs.BOARD: _("Commitment board"),
            jobs.ROSTER: _("Duty roster"),
            jobs.MEMBERS: _("Member register"),
            jobs.ASSESSMENT: _("Annual assessment: results and forms (年度考核表)"),
            jobs.SCORE_SHEETS: _("Blank scoring sheets"),
            jobs.MEETING_REGISTER: _("Year's meeting register"),
        }
        for row in range(self.document_combo.count()):
            self.document_combo.setItemText(row, names[self.document_combo.itemData(row)])
        self.orientation_combo.setItemText(0, _("Portrait"))
        self.orientation_combo.setItemText(1, _("Landscape"))
        self._labels["document"].setText(_("&Document"))
        self._labels["roster"].setText(_("&Roster"))
        self._labels["year"].setText(_("&Year"))
        self._labels["paper"].setText(_("P&aper"))
        self._labels["orientation"].setText(_("&Orientation"))
        self.qr_check.setText(_("Add a &QR code"))
        self.preview_button.setText(_("P&review"))
        self.print_button.setText(_("&Print…"))
        self.save_button.setText(_("&Save as PDF…"))
        self.cancel_button.setText(_("Cancel"))

    def _on_changed(self, areas: frozenset[str]) -> None:
        if areas & {STEWARDS, ASSESSMENT, MEETINGS}:
            self.reload_years()
        if areas & {ROSTERS, STEWARDS}:
            self.reload_rosters()

    def reload_rosters(self) -> None:
        """Every stored roster, newest first, each month's preceded by a choice of all its
        teams' rosters at once; the newest roster is chosen, as before there was a choice."""
        current = self.roster_combo.currentData()
        self.roster_combo.blockSignals(True)
        self.roster_combo.clear()
        months: set[tuple[int, int]] = set()
        for row in self.service.roster_choices():
            month = row.starts_on.replace(day=1)
            if (month.year, month.month) not in months:
                months.add((month.year, month.month))
                self.roster_combo.addItem(
                    _("All teams, {month}").format(month=_month(month)),
                    f"{_MONTH}:{month.isoformat()}",
                )
            self.roster_combo.addItem(
                _("{team}, {start} to {end}").format(
                    team=row.team_name,
                    start=format_date(row.starts_on),
                    end=format_date(row.ends_on),
                ),
                f"{_ONE_ROSTER}:{row.id}",
            )
        index = self.roster_combo.findData(current) if current is not None else -1
        if index < 0:
            index = next(
                (
                    i
                    for i in range(self.roster_combo.count())
                    if self.roster_combo.itemData(i).startswith(_ONE_ROSTER)
                ),
                0,
            )
        self.roster_combo.setCurrentIndex(index)
        self.roster_combo.blockSignals(False)

    def reload_years(self) -> None:
        current = self.year_combo.currentData()
        # The assessment's documents offer its years; the board the years with commitments.
        document = self.document_combo.currentData()
        if document in _ASSESSMENT_DOCUMENTS:
            years = self.service.assessment_years()
        elif document == jobs.MEETING_REGISTER:
            years = self.service.meeting_years()
        else:
            years = self.service.commitment_years()
        years = years or [dt.date.today().year]
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for year in years:
            self.year_combo.addItem(str(year), year)
        index = self.year_combo.findData(current)
        self.year_combo.setCurrentIndex(max(index, 0))
        self.year_combo.blockSignals(False)

    def options(self) -> jobs.PrintOptions:
        document = self.document_combo.currentData()
        kind, _sep, chosen = (self.roster_combo.currentData() or "").partition(":")
        is_roster = document == jobs.ROSTER
        return jobs.PrintOptions(
            document=document,
            paper=self.paper_combo.currentText(),
            landscape=bool(self.orientation_combo.currentData()),
            year=self.year_combo.currentData() if document in _YEAR_DOCUMENTS else None,
            qr=self.qr_check.isChecked() and document == jobs.BOARD,
            roster_id=uuid.UUID(chosen) if is_roster and kind == _ONE_ROSTER else None,
            month=dt.date.fromisoformat(chosen) if is_roster and kind == _MONTH else None,
            anyway=self._anyway,
        )

    def set_options(
        self, document: str, paper: str | None = None, landscape: bool | None = None
    ) -> None:
        self.document_combo.setCurrentIndex(self.document_combo.findData(document))
        if paper is not None:
            self.paper_combo.setCurrentText(paper)
        if landscape is not None:
            self.orientation_combo.setCurrentIndex(1 if landscape else 0)

    def _on_document_combo_changed(self) -> None:
        document = self.document_combo.currentData()
        paper, landscape = jobs.DEFAULT_PAPER[document]
        for widget in (self.paper_combo, self.orientation_combo):
            widget.blockSignals(True)
        self.paper_combo.setCurrentText(paper)
        self.orientation_combo.setCurrentIndex(1 if landscape else 0)
        for widget in (self.paper_combo, self.orientation_combo):
            widget.blockSignals(False)
        is_board = document == jobs.BOARD
        self.reload_years()
        self.year_combo.setEnabled(document in _YEAR_DOCUMENTS)
        self._form.setRowVisible(self.roster_combo, document == jobs.ROSTER)
        self.qr_check.setEnabled(is_board)
        self._on_options_changed()

    def _on_options_changed(self) -> None:
        # Printing anyway was agreed for the sheet as it was: other choices ask again.
        self._anyway = False
        # The preview no longer shows these choices: printing must render again first.
        stale = self._rendered_options is not None and self._rendered_options != self.options()
        if stale:
            self.info_label.setText(_("The choices changed: press Preview to see the sheet."))
        self._update_buttons()

    # ----------------------------------------------------------------------------- render

    def render_preview(self) -> None:
        """Render the chosen sheet off the GUI thread, then show it."""
        if self._task is not None:
            return
        options = self.options()
        path = Path(self._temp.path()) / f"preview-{next(self._serial)}.pdf"
        printed_on = dt.date.today()
        self._set_busy(True)
        self.info_label.setText(_("Preparing the sheet…"))

        def load(_progress: tasks.ProgressFn, cancelled: threading.Event) -> Any:
            if cancelled.is_set():
                return None
            return self.service.sheet(
                options.document,
                printed_on,
                year=options.year,
                roster_id=options.roster_id,
                month=options.month,
            )

        def loaded(data: Any) -> None:
            if data is None or self._task is None or self._task.cancelled.is_set():
                self._finish_cancelled()
                return
            self._task = tasks.run_task(
                lambda progress, cancelled: jobs.write_pdf(
                    path, options, data, progress, cancelled
                ),
                self._alive(lambda result: self._on_rendered(options, path, result)),
                self._alive(self._on_render_failed),
                self._alive(self._on_progress),
                pool=QThreadPool.globalInstance(),
            )

        self._task = tasks.run_task(load, self._alive(loaded), self._alive(self._on_render_failed))

    def _alive(self, slot: Callable[..., None]) -> Callable[..., None]:
        """`slot`, skipped if the page was deleted meanwhile (the window is rebuilt on a language
        change while a render may still be running)."""

        def call(*args: Any) -> None:
            if shiboken6.isValid(self):
                slot(*args)

        return call

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancelled.set()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_rendered(self, options: jobs.PrintOptions, path: Path, result: Any) -> None:
        self._task = None
        self._set_busy(False)
        old = self._pdf_path
        self.pdf_document.close()
        error = self.pdf_document.load(str(path))
        if error != QPdfDocument.Error.None_:
            log.error("could not open the rendered PDF %s: %s", path, error)
            self.preview_failed.emit(error)
            return
        if old is not None and old != path:
            old.unlink(missing_ok=True)
        self._pdf_path, self._rendered_options = path, options
        pages = self.pdf_document.pageCount()
        text = ngettext("{n} page.", "{n} pages.", pages).format(n=pages)
        if result.missing_glyphs:
            text += " " + _(
                "The font cannot print these characters; they show as empty boxes: {chars}"
            ).format(chars=" ".join(result.missing_glyphs))
        self.info_label.setText(text)
        self._update_buttons()
        self.preview_ready.emit(pages)

    def _on_render_failed(self, error: BaseException) -> None:
        self._task = None
        self._set_busy(False)
        if isinstance(error, jobs.Cancelled):
            self._finish_cancelled()
            return
        if isinstance(error, UnprintableCharacter) and not self._anyway:
            self.info_label.setText(error.message)
            if self.ask_print_anyway(error):
                self._anyway = True
                self.render_preview()
            else:
                self.preview_failed.emit(error)
            return
        self.info_label.setText(error.message if isinstance(error, UserError) else "")
        self.preview_failed.emit(error)
        messages.show_error(self, error)

    def _finish_cancelled(self) -> None:
        self._task = None
        self._set_busy(False)
        self.info_label.setText(_("Cancelled."))

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.progress.setRange(0, 0)
        self.cancel_button.setVisible(busy)
        self.cancel_button.setEnabled(busy)
        for widget in (
            self.document_combo,
            self.roster_combo,
            self.year_combo,
            self.paper_combo,
            self.orientation_combo,
            self.preview_button,
        ):
            widget.setEnabled(not busy)
        if not busy:
            self.year_combo.setEnabled(self.document_combo.currentData() in _YEAR_DOCUMENTS)
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = (
            self._task is None
            and self._pdf_path is not None
            and self._rendered_options == self.options()
        )
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)

    def has_preview(self) -> bool:
        return self._pdf_path is not None

    # ----------------------------------------------------------------------------- output

    def ask_printer(self, printer: QPrinter) -> bool:
        """The native print dialog; tests replace this method."""
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print"))
        return dialog.exec() == QPrintDialog.DialogCode.Accepted

    def ask_print_anyway(self, error: UnprintableCharacter) -> bool:
        """Whether to print although `error`'s characters cannot be; tests replace this method."""
        return messages.confirm(
            self,
            _("Print anyway?"),
            error.message
            + "\n\n"
            + _(
                "Print anyway? The characters stay blank and every page is marked, so that "
                "they are written in by hand."
            ),
        )

    def ask_save_path(self) -> str:
        """The file dialog; tests replace this method."""
        suggested = str(Path.home() / f"{self.document_combo.currentText()}.pdf")
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save as PDF"), suggested, _("PDF files (*.pdf)")
        )
        return path

    def print_to(self, printer: QPrinter) -> int:
        """Send the previewed PDF to `printer` (already configured); returns pages printed."""
        progress = QProgressDialog(_("Printing…"), "", 0, self.pdf_document.pageCount(), self)
        progress.setCancelButton(None)
        progress.setMinimumDuration(500)

        def step(done: int, total: int) -> None:
            progress.setMaximum(total)
            progress.setValue(done)
            QApplication.processEvents()

        try:
            return pdf_printer.print_document(self.pdf_document, printer, progress=step)
        finally:
            progress.close()

    def _on_print_button_clicked(self) -> None:
        if not self.print_button.isEnabled() or self._rendered_options is None:
            return
        options = self._rendered_options
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        pdf_printer.configure(printer, options.paper, options.landscape)
        printer.setDocName(self.document_combo.currentText())
        if not self.ask_printer(printer):
            return
        pages = self.print_to(printer)
        if pages:
            self.status_message.emit(
                ngettext(
                    "Sent {n} page to the printer.", "Sent {n} pages to the printer.", pages
                ).format(n=pages)
            )
        else:
            messages.show_error(
                self,
                UserError(
                    _(
                        "The printer could not be used. Check that it is switched on and "
                        "connected, or save the sheet as PDF and print it from another computer."
                    )
                ),
            )

    def _on_save_button_clicked(self) -> None:
        if not self.save_button.isEnabled() or self._pdf_path is None:
            return
        target = self.ask_save_path()
        if not target:
            return
        path = Path(target)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            shutil.copyfile(self._pdf_path, path)
        except OSError as error:
            messages.show_error(
                self,
                UserError(
                    _("Could not write {path}: {reason}").format(
                        path=path, reason=error.strerror or error
                    )
                ),
            )
            return
        self.status_message.emit(_("Saved {path}.").format(path=path))


def _month(first: dt.date) -> str:
    """A month as a title names it: 2026年12月, December 2026."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", first, locale=babel_locale())
