# SPDX-License-Identifier: GPL-3.0-or-later
"""Spreadsheets in and out: read the clerk's Excel, WPS and CSV rosters, export tables back.

No Qt here (tests/unit/test_layering.py checks it); openpyxl and xlrd are imported lazily, so the
command line and the window start without them. See docs/import-export.md.
"""
