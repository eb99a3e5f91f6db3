# SPDX-License-Identifier: GPL-3.0-or-later
"""Qt's own words that Qt's shipped translations miss, from our catalogue.

qtbase_zh_CN.qm and qtbase_zh_TW.qm (in PySide6's wheel) translate Qt's dialogs and buttons, but
they predate Qt 6's mnemonics in the file dialog, so "&Look in:" and "Files of &type:" stayed
English in a Chinese window (issue 18). This translator, installed after Qt's, fills those gaps;
everything else it leaves to Qt's catalogue (None, a null string, means "not mine").
"""

from __future__ import annotations

from PySide6.QtCore import QTranslator

from desktop import i18n
from desktop.i18n import N_, _

#: (Qt's context, Qt's source text) → our message id.
GAPS: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): N_("&Look in:"),
    ("QFileDialog", "Files of &type:"): N_("Files of &type:"),
}


class QtWords(QTranslator):
    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        message = GAPS.get((context, source))
        if message is None or i18n.language() == "en":
            return None  # a null string: Qt asks the next translator
        return _(message)

    def isEmpty(self) -> bool:
        return False
