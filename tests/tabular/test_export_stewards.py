# SPDX-License-Identifier: GPL-3.0-or-later
"""Rosters, the service log and the stewards exported from the demo branch, read back and
compared with what the services return."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from desktop.i18n import _
from desktop.models.register import groups
from desktop.models.stewards.service import RosterService, ServiceLogService, StewardService
from desktop.models.stewards.steward import COMMITMENT_STAGES, ROLES
from desktop.tabular import export
from desktop.tabular.service import TabularService


@pytest.fixture
def branch_id(demo_db):  # type: ignore[no-untyped-def]
    with demo_db.read() as session:
        return groups.current_branch(session).id


@pytest.fixture
def service(demo_db, branch_id):  # type: ignore[no-untyped-def]
    return TabularService(demo_db, branch_id)


def read_back(path: Path) -> list[list[object]]:
    """The cells as written: values from the .xlsx, text from the CSV (whose BOM is checked)."""
    if path.suffix == ".csv":
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, for Excel and WPS"
        return list(csv.reader(data.decode("utf-8-sig").splitlines()))
    from openpyxl import load_workbook

    sheet = load_workbook(path).active
    assert all(c.font.bold for c in sheet[1]), "bold header"
    assert sheet.freeze_panes == "A2", "frozen header row"
    return [[c.value for c in row] for row in sheet.iter_rows()]


def cell(value: object, suffix: str) -> object:
    """What a value of the services looks like once written to `suffix` and read back."""
    if suffix == ".csv":
        if value is None:
            return ""
        if isinstance(value, float):
            return f"{value:g}"
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if value == "":
        return None
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return value


SUFFIXES = [".xlsx", ".csv"]


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_rosters_one_row_per_duty(service, demo_db, branch_id, tmp_path, suffix):
    path = tmp_path / f"rosters{suffix}"
    rosters = RosterService(demo_db, branch_id)
    rows = []
    for roster in rosters.rosters():
        for d in rosters.detail(roster.id).duties:
            hours = None if d.signed_minutes is None else round(d.signed_minutes / 60, 2)
            weekday = "星期" + "一二三四五六日"[d.day.weekday()]  # the default language
            rows.append(
                [
                    roster.team_name,
                    f"{roster.starts_on} – {roster.ends_on}",
                    d.day,
                    weekday,
                    d.slot,
                    d.person_name,
                    d.phone,
                    hours,
                ]
            )
    assert len(rows) > 10 and any(r[5] for r in rows)
    assert service.export("rosters", path) == len(rows)
    got = read_back(path)
    assert got[0] == [_(c.header) for c in export.TABLES["rosters"].columns]
    assert got[1:] == [[cell(v, suffix) for v in r] for r in rows]
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path).active
        assert sheet.cell(row=2, column=3).number_format == "yyyy-mm-dd"
        assert all(c.data_type == "s" for c in sheet["G"][1:] if c.value), "phones as text"


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_service_log_with_linked_commitments(service, demo_db, branch_id, tmp_path, suffix):
    path = tmp_path / f"service_log{suffix}"
    records = ServiceLogService(demo_db, branch_id).records()
    stewards = {
        s.commitment.id: s
        for s in StewardService(demo_db, branch_id).stewards(history=True)
        if s.commitment is not None
    }
    rows = []
    for r in records:
        rows.append(
            [
                r.served_on,
                "、".join(r.people),
                "、".join(r.households),
                r.kind_label,
                r.hours,
                r.party_group_name,
                r.notes,
            ]
        )
    assert len(rows) > 10
    assert any(r.commitment_id in stewards for r in records), "the demo links some services"
    assert service.export("service_log", path) == len(rows)
    got = read_back(path)
    assert got[0] == [_(c.header) for c in export.TABLES["service_log"].columns]
    assert [g[:7] for g in got[1:]] == [[cell(v, suffix) for v in r[:7]] for r in rows]
    # The commitment's wording follows the language; its parts are the steward's own.
    for g, record in zip(got[1:], records, strict=True):
        linked = stewards.get(record.commitment_id)
        if linked is None:
            assert g[7] in ("", None)
        else:
            assert linked.name in g[7] and linked.commitment.content in g[7]
            assert str(linked.commitment.year) in g[7]


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_stewards_without_id_numbers(service, demo_db, branch_id, tmp_path, suffix):
    path = tmp_path / f"stewards{suffix}"
    stewards = StewardService(demo_db, branch_id).stewards()
    rows = [
        [
            s.name,
            _(ROLES[s.role]),
            s.party_group_name,
            s.area,
            s.started_on,
            s.commitment.content if s.commitment else "",
            _(COMMITMENT_STAGES[s.commitment.stage]) if s.commitment else "",
        ]
        for s in stewards
    ]
    assert len(rows) > 3 and any(r[5] for r in rows)
    assert service.export("stewards", path) == len(rows)
    got = read_back(path)
    assert got[0] == [_(c.header) for c in export.TABLES["stewards"].columns]
    assert got[1:] == [[cell(v, suffix) for v in r] for r in rows]
    with demo_db.read() as session:
        from desktop.models.register import members

        id_numbers = {m.id_number for m in members.list_members(session, branch_id)}
    text = path.read_bytes().decode("utf-8-sig", errors="ignore") if suffix == ".csv" else str(got)
    assert not any(n and n in text for n in id_numbers), "never an ID number"


def test_cli_exports_the_new_tables_and_keeps_a_period(
    capsys, demo_db, data_dir, branch_id, tmp_path
):
    from desktop.cli.main import main
    from desktop.models.stewards.rows import ServiceQuery

    def export_(*args: str) -> int:
        return main(["export", *args, "--data-dir", str(data_dir)])

    for table in ("rosters", "service_log", "stewards"):
        assert export_(table, str(tmp_path / f"{table}.csv")) == 0
        assert len(read_back(tmp_path / f"{table}.csv")) > 2
    records = ServiceLogService(demo_db, branch_id).records()
    first, last = records[len(records) // 2].served_on, records[0].served_on
    assert (
        export_(
            "service_log",
            str(tmp_path / "period.xlsx"),
            "--from",
            first.isoformat(),
            "--to",
            last.isoformat(),
        )
        == 0
    )
    got = read_back(tmp_path / "period.xlsx")[1:]
    expected = ServiceLogService(demo_db, branch_id).records(ServiceQuery(first, last))
    assert [g[0].date() for g in got] == [r.served_on for r in expected]
    assert 0 < len(got) < len(records)
    capsys.readouterr()
    assert export_("members", str(tmp_path / "m.xlsx"), "--from", "2026-01-01") == 1
    assert "members" in capsys.readouterr().err
    assert (
        export_("rosters", str(tmp_path / "r.xlsx"), "--from", "2026-02-01", "--to", "2026-01-01")
        == 1
    )
    assert not (tmp_path / "m.xlsx").exists() and not (tmp_path / "r.xlsx").exists()
