# SPDX-License-Identifier: GPL-3.0-or-later
"""The annual assessment page: rules, scorers, the score grid, results."""
