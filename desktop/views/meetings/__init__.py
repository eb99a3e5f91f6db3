# SPDX-License-Identifier: GPL-3.0-or-later
"""The meetings page: what is due, the meetings held, their attendance and decisions."""
