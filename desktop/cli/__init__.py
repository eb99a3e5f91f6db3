# SPDX-License-Identifier: GPL-3.0-or-later
"""The red-steward command line: one module per command group (see main.py)."""
