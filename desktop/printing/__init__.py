# SPDX-License-Identifier: GPL-3.0-or-later
"""Printed sheets: ReportLab templates taking read models, writing PDF. No Qt, no Session."""
