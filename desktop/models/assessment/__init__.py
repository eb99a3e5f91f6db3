# SPDX-License-Identifier: GPL-3.0-or-later
"""The annual assessment (年度考核): rules, scorers, score sheets, results."""
