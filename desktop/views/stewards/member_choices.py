# SPDX-License-Identifier: GPL-3.0-or-later
"""The register's members as choices for a `SearchPicker` (the team list, appointments)."""

from __future__ import annotations

from desktop.models.stewards.service import StewardService
from desktop.views.search_picker import Choice, Search


def member_search(stewards: StewardService) -> Search:
    """The first matches of a typed name, ID-number fragment or group, with the party group
    beside each name (namesakes are common in a county register); `extra` is the group's id."""

    def search(text: str, limit: int) -> list[Choice]:
        return [
            Choice(member_id, name, group_name if group_id else "", group_id)
            for member_id, name, group_id, group_name in stewards.candidates(text, limit)
        ]

    return search
