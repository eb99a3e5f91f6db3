# SPDX-License-Identifier: GPL-3.0-or-later
"""Plan or record one meeting: every field reachable with Tab, Enter saves, problems shown next
to their fields."""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import UserError, ValidationFailed
from desktop.i18n import N_, _, qt_date_format
from desktop.models.meetings.rows import MeetingDraft
from desktop.models.meetings.service import MeetingService
from desktop.views.field_form import (
    FieldForm,
    error_label,
    form_error_label,
    with_mnemonic,
)
from desktop.views.keys import DiscardGuard
from desktop.views.ops import MEETINGS, Ops
from desktop.views.widgets.screen import FormScroll

#: The kinds and audiences the form offers, in the rules' order (codes of models/meetings).
KIND_LABELS = {
    "assembly": N_("Branch assembly"),
    "committee": N_("Committee meeting"),
    "group": N_("Party group meeting"),
    "lecture": N_("Party lecture"),
    "theme_day": N_("Theme party day"),
    "life": N_("Organisational life meeting"),
    "joint": N_("Joint meeting"),
}
AUDIENCE_LABELS = {
    "": N_("As usual for the kind"),
    "members": N_("All members"),
    "committee": N_("The branch committee"),
    "group": N_("One party group"),
    "stewards": N_("The red stewards"),
    "guests": N_("Named guests only"),
}
#: Field → (label, Alt letter).
FIELD_LABELS = {
    "kind": (N_("Kind"), "k"),
    "topic": (N_("Topic"), "t"),
    "starts_at": (N_("Time"), "i"),
    "place": (N_("Place"), "p"),
    "chair": (N_("Chair"), "c"),
    "recorder": (N_("Recorder"), "r"),
    "audience": (N_("Who should attend"), "w"),
    "party_group_id": (N_("Party group"), "g"),
    "agenda": (N_("Agenda"), "a"),
    "summary": (N_("Summary"), "s"),
    "held": (N_("Held"), "h"),
}


def _text(widget: QWidget) -> str:
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    assert isinstance(widget, QLineEdit)
    return widget.text()


class MeetingDialog(FieldForm, DiscardGuard, QDialog):
    meeting_saved = Signal(object)  # the saved meeting's id

    def __init__(
        self,
        meetings: MeetingService,
        meeting_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
        *,
        now: dt.datetime | None = None,
        ops: Ops | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("meeting_dialog")
        self._meetings = meetings
        self._ops = ops if ops is not None else Ops(self)
        self._meeting_id = meeting_id
        now = (now or dt.datetime.now()).replace(second=0, microsecond=0)
        self.saved_id: uuid.UUID | None = None
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self._labels: dict[str, QLabel] = {}
        self._grid = QGridLayout()
        self._grid.setHorizontalSpacing(12)
        self._grid.setColumnMinimumWidth(1, 360)

        kind = QComboBox()
        for code in KIND_LABELS:
            kind.addItem("", code)
        self._add("kind", kind)
        self._add("topic", QLineEdit())
        when = QDateTimeEdit(QDateTime(now))
        when.setDisplayFormat(qt_date_format(time=True))
        when.setCalendarPopup(True)
        self._add("starts_at", when)
        self._add("place", QLineEdit())
        self._add("chair", QLineEdit())
        self._add("recorder", QLineEdit())
        audience = QComboBox()
        for code in AUDIENCE_LABELS:
            audience.addItem("", code)
        self._add("audience", audience)
        group = QComboBox()
        for group_id, number, name in meetings.party_groups():
            group.addItem(name or str(number), group_id)
        self._add("party_group_id", group)
        for field in ("agenda", "summary"):
            text = QPlainTextEdit()
            text.setTabChangesFocus(True)
            text.setMaximumHeight(80)
            self._add(field, text)
        self._add("held", QCheckBox())
        kind.currentIndexChanged.connect(self._update_group)
        audience.currentIndexChanged.connect(self._update_group)

        self.form_error = form_error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("save_button")
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(FormScroll(self._grid))
        layout.addWidget(self.form_error)
        layout.addWidget(self.buttons)
        self.retranslate()
        self.watch_fields()
        if meeting_id is not None:
            self._load(meetings.overview(meeting_id).meeting.draft())
        else:
            self.check("held").setChecked(True)
        self._update_group()
        kind.setFocus()
        self.mark_clean()  # Esc asks before throwing away what is typed from now on

    def _add(self, field: str, widget: QWidget) -> None:
        widget.setObjectName(field)
        label = QLabel()
        label.setBuddy(widget)
        error = error_label(field)
        row = len(self.fields) * 2
        self._grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignRight)
        self._grid.addWidget(widget, row, 1)
        self._grid.addWidget(error, row + 1, 1)
        self.fields[field], self.errors[field], self._labels[field] = widget, error, label

    def retranslate(self) -> None:
        self.setWindowTitle(
            _("Edit meeting") if self._meeting_id else _("Plan or record a meeting")
        )
        for field, (label, letter) in FIELD_LABELS.items():
            self._labels[field].setText(with_mnemonic(_(label), letter))
        for combo, labels in (
            (self.combo("kind"), KIND_LABELS),
            (self.combo("audience"), AUDIENCE_LABELS),
        ):
            for index in range(combo.count()):
                combo.setItemText(index, _(labels[combo.itemData(index)]))
        self.check("held").setText(_("The meeting took place (untick to plan it)"))
        self.line("topic").setPlaceholderText(_("What the meeting is about"))

    def _load(self, draft: MeetingDraft) -> None:
        self.combo("kind").setCurrentIndex(self.combo("kind").findData(draft.kind))
        self.combo("audience").setCurrentIndex(
            max(0, self.combo("audience").findData(draft.audience))
        )
        if draft.party_group_id is not None:
            group = self.combo("party_group_id")
            group.setCurrentIndex(max(0, group.findData(draft.party_group_id)))
        when = self.fields["starts_at"]
        assert isinstance(when, QDateTimeEdit)
        when.setDateTime(QDateTime(draft.starts_at))
        for field in ("topic", "place", "chair", "recorder"):
            self.line(field).setText(getattr(draft, field))
        for field in ("agenda", "summary"):
            widget = self.fields[field]
            assert isinstance(widget, QPlainTextEdit)
            widget.setPlainText(getattr(draft, field))
        self.check("held").setChecked(draft.held)

    def _audience(self) -> str:
        chosen = self.combo("audience").currentData() or ""
        if chosen:
            return chosen
        return "group" if self.combo("kind").currentData() == "group" else ""

    def _update_group(self) -> None:
        """The party group matters only for a meeting of one group."""
        self.fields["party_group_id"].setEnabled(self._audience() == "group")

    def draft(self) -> MeetingDraft:
        when = self.fields["starts_at"]
        assert isinstance(when, QDateTimeEdit)
        audience = self._audience()
        return MeetingDraft(
            kind=self.combo("kind").currentData(),
            starts_at=when.dateTime().toPython(),
            topic=_text(self.fields["topic"]),
            place=_text(self.fields["place"]),
            chair=_text(self.fields["chair"]),
            recorder=_text(self.fields["recorder"]),
            audience=self.combo("audience").currentData() or "",
            party_group_id=(
                self.combo("party_group_id").currentData() if audience == "group" else None
            ),
            agenda=_text(self.fields["agenda"]),
            summary=_text(self.fields["summary"]),
            held=self.check("held").isChecked(),
        )

    def _on_save(self) -> None:
        """Save on the database thread; the dialog stays open with the problems next to their
        fields when the rules refuse, and closes once the meeting is saved."""
        draft, meeting_id = self.draft(), self._meeting_id

        def saved(row: object) -> None:
            self.saved_id = row.id  # type: ignore[attr-defined]
            self.show_problems({})
            self.meeting_saved.emit(self.saved_id)
            self.accept()

        def refused(error: UserError) -> bool:
            if not isinstance(error, ValidationFailed):
                return False
            self.show_problems(error.problems)
            return True

        self.save_button.setEnabled(False)
        self._ops.run(
            self,
            lambda: self._meetings.save(draft, meeting_id),
            {MEETINGS},
            done=saved,
            refused=refused,
            finally_=lambda: self.save_button.setEnabled(True),
        )

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        meetings: MeetingService,
        meeting_id: uuid.UUID | None = None,
        ops: Ops | None = None,
    ) -> uuid.UUID | None:
        dialog = cls(meetings, meeting_id, parent, ops=ops)
        return dialog.saved_id if dialog.exec() == QDialog.DialogCode.Accepted else None
