# SPDX-License-Identifier: GPL-3.0-or-later
"""The demo's annual assessment: last year final and capped, this year being scored."""

from __future__ import annotations

from desktop.models.assessment.service import AssessmentService
from desktop.models.register.groups import current_branch
from tests.conftest import DEMO_DAY

DEMO_YEAR = DEMO_DAY.year  # the demo's "this year"


def test_demo_has_a_final_year_and_one_being_scored(demo_db):
    with demo_db.read() as s:
        branch = current_branch(s)
    service = AssessmentService(demo_db, branch.id)
    assert [(y.year, y.state) for y in service.years()] == [
        (DEMO_YEAR, "scoring"),
        (DEMO_YEAR - 1, "final"),
    ]
    last = service.results(DEMO_YEAR - 1)
    assert last.final and last.missing == 0 and len(last.stewards) == 13
    # Every party group scored every steward.
    assert all(s.boxes == 13 for s in service.sheets(DEMO_YEAR - 1) if s.code[5] == "D")
    grades = [s.grade for s in last.stewards]
    assert grades.count("excellent") == 13 * 30 // 100
    capped = [s for s in last.stewards if s.grade_by_total == "excellent" != s.grade]
    assert capped and all(s.grade == "competent" for s in capped)
    assert {h.year for h in service.history(last.stewards[0].steward_id)} == {DEMO_YEAR - 1}
    sheets = service.sheets(DEMO_YEAR)
    assert any(s.missing == 0 for s in sheets) and any(s.missing == s.boxes for s in sheets)
    assert [r.name for r in service.rules(DEMO_YEAR)][:5] == [
        r.name for r in service.rules(DEMO_YEAR - 1)
    ]
