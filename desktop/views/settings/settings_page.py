# SPDX-License-Identifier: GPL-3.0-or-later
"""Settings kept on this PC: the language of the window and the text size."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from desktop import i18n, paths
from desktop.i18n import _
from desktop.views import ui_state

# Each language is named in itself, so a clerk who switched by mistake can find the way back.
LANGUAGE_NAMES = {"zh_CN": "简体中文", "zh_TW": "繁體中文", "en": "English"}


class SettingsPage(QWidget):
    language_changed = Signal(str)
    text_scale_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settings_page")
        self.language_combo = QComboBox(objectName="language_combo")
        for code in i18n.LANGUAGES:
            self.language_combo.addItem(LANGUAGE_NAMES[code], code)
        self.language_combo.setCurrentIndex(self.language_combo.findData(i18n.language()))
        self.scale_combo = QComboBox(objectName="scale_combo")
        for scale in ui_state.TEXT_SCALES:
            self.scale_combo.addItem(f"{scale} %", scale)
        self.scale_combo.setCurrentIndex(self.scale_combo.findData(ui_state.text_scale()))
        self.data_label = QLabel(objectName="data_label")
        self.data_label.setWordWrap(True)
        self._language_label, self._scale_label = QLabel(), QLabel()
        self._language_label.setBuddy(self.language_combo)
        self._scale_label.setBuddy(self.scale_combo)

        form = QFormLayout()
        form.addRow(self._language_label, self.language_combo)
        form.addRow(self._scale_label, self.scale_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.data_label)
        layout.addStretch()
        self.language_combo.currentIndexChanged.connect(self._on_language_combo_changed)
        self.scale_combo.currentIndexChanged.connect(self._on_scale_combo_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self._language_label.setText(_("&Language"))
        self._scale_label.setText(_("&Text size"))
        self.data_label.setText(_("The data is kept in {path}").format(path=paths.data_dir()))

    def _on_language_combo_changed(self) -> None:
        code = self.language_combo.currentData()
        ui_state.set_language(code)
        self.language_changed.emit(code)

    def _on_scale_combo_changed(self) -> None:
        scale = self.scale_combo.currentData()
        ui_state.set_text_scale(scale)
        self.text_scale_changed.emit(scale)
