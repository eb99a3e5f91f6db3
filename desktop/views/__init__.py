# SPDX-License-Identifier: GPL-3.0-or-later
"""Everything Qt: the window, pages, dialogs, item models and the background-task helper."""
