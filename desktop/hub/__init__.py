# SPDX-License-Identifier: GPL-3.0-or-later
"""The town hub: an HTTP service over the same sync core. No Qt."""
