# SPDX-License-Identifier: GPL-3.0-or-later
"""Qt helpers every page may use (layouts that fit large text on a small screen)."""
