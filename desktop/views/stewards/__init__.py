# SPDX-License-Identifier: GPL-3.0-or-later
"""The stewards area: stewards and teams, households, duty rosters, the service log."""
