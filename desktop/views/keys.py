# SPDX-License-Identifier: GPL-3.0-or-later
"""The keyboard all the way: from a filter box to its table, and Esc that asks first.

`to_table_on_enter(edit, table)`: Enter or Down in a filter box puts the cursor on the table's
first row (five Tabs before). `DiscardGuard`: a dialog with typed data asks before Esc (or its
Cancel button, or the window's close button) throws the data away.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from desktop.i18n import _
from desktop.views import messages

_TO_TABLE_KEYS = (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter)


class _ToTable(QObject):
    def __init__(
        self, edit: QLineEdit, table: QAbstractItemView, before: Callable[[], None] | None
    ) -> None:
        super().__init__(edit)
        self._table, self._before = table, before

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)
            and isinstance(event, QKeyEvent)
            and event.key() in _TO_TABLE_KEYS
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            completer = watched.completer() if isinstance(watched, QLineEdit) else None
            if completer is not None and completer.popup().isVisible():
                return False  # the suggestion list has the keys
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()  # the key is the filter's: no shortcut (the table's Enter) takes it
                return True
            if self._before is not None:
                self._before()  # a filter that waits for typing to pause applies now
            focus_first_row(self._table)
            return True
        return False


def to_table_on_enter(
    edit: QLineEdit, table: QAbstractItemView, before: Callable[[], None] | None = None
) -> None:
    """Enter or Down in `edit` (a filter box) moves the cursor to the first row of `table`."""
    edit.installEventFilter(_ToTable(edit, table, before))


class _OnKeys(QObject):
    def __init__(self, widget: QWidget, keys: tuple[Qt.Key, ...], slot: Callable[[], None]) -> None:
        super().__init__(widget)
        self._keys, self._slot = keys, slot

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in self._keys
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            self._slot()
            return True
        return False


def on_keys(widget: QWidget, keys: tuple[Qt.Key, ...], slot: Callable[[], None]) -> None:
    """`slot` runs when one of `keys` is pressed in `widget` itself (while it has the focus).

    Unlike a QShortcut with WidgetShortcut context, it never takes the key from another widget
    (offscreen, and in some window states, such a shortcut fired for Enter typed elsewhere)."""
    widget.installEventFilter(_OnKeys(widget, keys, slot))


def focus_first_row(table: QAbstractItemView) -> None:
    """Focus `table` with its first row current and selected (when it has one)."""
    table.setFocus(Qt.FocusReason.ShortcutFocusReason)
    model = table.model()
    if model is None or model.rowCount() == 0:
        return
    table.selectionModel().setCurrentIndex(
        model.index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def _value(widget: QWidget) -> object:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, (QPlainTextEdit, QTextEdit)):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return (widget.currentIndex(), widget.currentText())
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QAbstractButton) and widget.isCheckable():
        return widget.isChecked()
    return None


def snapshot(dialog: QWidget) -> dict[int, object]:
    """What the clerk can type or choose in `dialog`, keyed by widget (to compare later)."""
    return {
        id(widget): _value(widget)
        for widget in dialog.findChildren(QWidget)
        if _value(widget) is not None and not widget.objectName().startswith("qt_")
    }


class DiscardGuard:
    """Mixed into a QDialog before QDialog: Esc, Cancel or the close button ask before the
    typed data is thrown away. Call `self.mark_clean()` once the dialog is filled in (the end of
    `__init__`); what differs from then on counts as typed."""

    _clean: dict[int, object] | None = None
    #: A close() from the program (the window closing, a test's teardown) does not ask.
    _closed_by_program = False

    def mark_clean(self) -> None:
        self._clean = snapshot(self)  # type: ignore[arg-type]

    def has_typed_data(self) -> bool:
        return self._clean is not None and snapshot(self) != self._clean  # type: ignore[arg-type]

    def confirm_discard(self) -> bool:
        """True when nothing was typed or the clerk agrees to throw it away."""
        if not self.has_typed_data():
            return True
        return messages.confirm(
            self,  # type: ignore[arg-type]
            _("Discard changes"),
            _("Close without saving what you typed?"),
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closed_by_program = not event.spontaneous()
        try:
            QDialog.closeEvent(self, event)  # type: ignore[arg-type]  # calls reject()
        finally:
            self._closed_by_program = False

    def reject(self) -> None:
        if self._closed_by_program or self.confirm_discard():
            QDialog.reject(self)  # type: ignore[arg-type]
