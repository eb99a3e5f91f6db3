# SPDX-License-Identifier: GPL-3.0-or-later
"""Sync between replicas: keys and cards, sealed bundles, per-field merge, conflicts. No Qt.

See docs/sync.md for the model, the bundle format, pairing and the merge rules.
"""
