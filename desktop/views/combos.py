# SPDX-License-Identifier: GPL-3.0-or-later
"""Small helpers for combo boxes that carry ids."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox


def select_data(combo: QComboBox, value: Any, default: int = 0) -> None:
    """Select the item whose data equals `value` (else the item at `default`).

    QComboBox.findData() compares wrapped Python objects such as uuid.UUID by identity, so an id
    read again from the database never matches it: compare by value instead.
    """
    index = next((i for i in range(combo.count()) if combo.itemData(i) == value), default)
    combo.setCurrentIndex(index)
