# SPDX-License-Identifier: GPL-3.0-or-later
"""The town's hub sees each branch's assessment results and meetings held against due: the
same results as the branch's own, after a real exchange of bundles (issues #20, #21)."""

from __future__ import annotations

import datetime as dt
import json

from desktop.cli.main import main
from desktop.models.meetings.rows import MeetingDraft
from desktop.models.meetings.service import MeetingService
from desktop.models.register.groups import current_branch
from desktop.models.register.service import BranchService
from tests.conftest import DEMO_DAY
from tests.sync.conftest import pair


def _json(capsys, *args):  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_hub_shows_each_branchs_results_and_meetings(nodes, capsys):
    office, hub, other = nodes("office", "hub", "other", demo="office")
    with office.db.read() as session:
        demo = current_branch(session)
    assert demo is not None
    second = BranchService(other.db, "other").create("青山村党支部", "青山镇", "山水县")
    today = dt.date.today()
    held_on = dt.datetime.combine(today.replace(day=1), dt.time(9))
    MeetingService(other.db, second.id, "other").save(
        MeetingDraft(kind="committee", starts_at=held_on, topic="支委会", held=True)
    )
    pair(office, hub)
    pair(other, hub)
    office.send(hub)
    other.send(hub)

    year = DEMO_DAY.year - 1  # the demo's finished year (the demo's, not today's, year - 1)
    at_hub = _json(capsys, "assessment", "town", "--year", str(year), "--data-dir", str(hub.folder))
    assert [b["branch"] for b in at_hub] == sorted([demo.name, "青山村党支部"])
    [shown] = [b for b in at_hub if b["branch_id"] == str(demo.id)]
    own = _json(
        capsys, "assessment", "results", "--year", str(year), "--data-dir", str(office.folder)
    )
    assert shown["final"] and shown["stewards"]
    assert {k: shown[k] for k in own} == own  # the branch's own results, to the last point
    [empty] = [b for b in at_hub if b["branch_id"] == str(second.id)]
    assert empty["state"] is None

    # On the test's day, not the command's own: a run may cross midnight (or the new year).
    on = ("--today", today.isoformat())
    meetings = _json(capsys, "meetings", "town", *on, "--data-dir", str(hub.folder))
    by_branch = {b["branch_id"]: b for b in meetings}
    expected = MeetingService(office.db, demo.id).held_against_due(today.year, today)
    assert [(k["kind"], k["held"], k["due"]) for k in by_branch[str(demo.id)]["kinds"]] == [
        (r.kind, r.held, r.due) for r in expected
    ]
    assert by_branch[str(demo.id)]["overdue_decisions"] >= 1
    committee = next(k for k in by_branch[str(second.id)]["kinds"] if k["kind"] == "committee")
    assert (committee["held"], committee["due"], committee["now"]) == (1, today.month, "held")

    capsys.readouterr()
    assert main(["meetings", "town", *on, "--data-dir", str(hub.folder)]) == 0
    text = capsys.readouterr().out
    assert "青山村党支部" in text and demo.name in text
