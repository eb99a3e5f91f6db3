# SPDX-License-Identifier: GPL-3.0-or-later
"""What the record dialogs share: fields by name, an error label under each, problems shown."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from desktop.i18n import _
from desktop.views.widgets.wrap import WrapLabel

ERROR_STYLE = "color: #b00020;"


def _generic_problem() -> str:
    return _("Some fields need attention; see the messages next to them.")


def with_mnemonic(text: str, letter: str | None) -> str:
    """A field's label with `letter` as its Alt shortcut: marked where the label has it
    (Name → &Name), else after it in brackets, as Chinese labels do (姓名 → 姓名(&N))."""
    if not letter:
        return text
    at = text.casefold().find(letter.casefold())
    return f"{text[:at]}&{text[at:]}" if at >= 0 else f"{text}(&{letter.upper()})"


def error_label(field: str) -> QLabel:
    """The hidden label that shows a field's problem, under the field; it wraps, and gets the
    height all its lines need."""
    label = WrapLabel(objectName=f"{field}_error")
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


def form_error_label() -> QLabel:
    """The label above a dialog's buttons for problems that belong to no single field."""
    label = WrapLabel(objectName="form_error")
    label.setStyleSheet(ERROR_STYLE)
    return label


class FieldForm:
    """Mixed into a QDialog that fills `fields`, `errors` (field → widget / error label) and has
    a `form_error` label for problems that belong to no single field."""

    fields: dict[str, QWidget]
    errors: dict[str, QLabel]
    form_error: QLabel

    def line(self, field: str) -> QLineEdit:
        widget = self.fields[field]
        assert isinstance(widget, QLineEdit)
        return widget

    def combo(self, field: str) -> QComboBox:
        widget = self.fields[field]
        assert isinstance(widget, QComboBox)
        return widget

    def check(self, field: str) -> QCheckBox:
        widget = self.fields[field]
        assert isinstance(widget, QCheckBox)
        return widget

    def current_problems(self) -> Mapping[str, str]:
        """The problems of what the form holds now (a dialog that can check without saving
        says so here); used to clear a field's message once the clerk has fixed it."""
        return {}

    def watch_fields(self) -> None:
        """Re-check a field whose problem is shown each time the clerk changes it."""
        for field, widget in self.fields.items():
            signal = None
            if isinstance(widget, QLineEdit):
                signal = widget.textChanged
            elif isinstance(widget, QComboBox):
                signal = widget.currentIndexChanged
            elif isinstance(widget, QCheckBox):
                signal = widget.toggled
            elif isinstance(widget, QPlainTextEdit):
                signal = widget.textChanged
            elif isinstance(widget, QSpinBox):
                signal = widget.valueChanged
            if signal is not None and field in self.errors:
                signal.connect(lambda *_args, field=field: self._recheck(field))

    def _recheck(self, field: str) -> None:
        label = self.errors[field]
        if label.isHidden():
            return
        message = self.current_problems().get(field, "")
        label.setText(message)
        label.setVisible(bool(message))
        fixed_all = all(other.isHidden() for other in self.errors.values())
        if fixed_all and self.form_error.text() == _generic_problem():
            self.form_error.clear()

    def error_text(self, field: str) -> str:
        label = self.errors[field]
        return label.text() if not label.isHidden() else ""

    def show_problems(self, problems: Mapping[str, str]) -> None:
        """Each problem next to its field, the rest above the buttons; focus the first."""
        first: QWidget | None = None
        for field, label in self.errors.items():
            message = problems.get(field, "")
            label.setText(message)
            label.setVisible(bool(message))
            if message and first is None:
                first = self.fields[field]
        unplaced = [m for f, m in problems.items() if f not in self.errors]
        if problems:
            self.form_error.setText("\n".join(unplaced) or _generic_problem())
        else:
            self.form_error.clear()
        if first is not None:
            first.setFocus()
