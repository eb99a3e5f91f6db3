# SPDX-License-Identifier: GPL-3.0-or-later
"""The printed sheets read the stewards' and rosters' own data: area, public phone, photo and
duties."""

from __future__ import annotations

import io
import subprocess

from PIL import Image

from desktop.cli.main import main
from desktop.models.documents import sheets
from desktop.models.register.groups import current_branch
from desktop.models.register.member import Member
from desktop.models.stewards import appointments, rosters
from desktop.models.stewards.steward import Steward
from desktop.models.stewards.team import Volunteer
from desktop.printing.roster import render_roster_sheet
from tests.printing.conftest import DEMO_YEAR
from tests.printing.pdfcheck import assert_fonts_embedded, flat, page_count, text


def _stewards(db):  # type: ignore[no-untyped-def]
    with db.read() as session:
        return appointments.list_stewards(session, current_branch(session).id, year=DEMO_YEAR)


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 400), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def test_board_shows_the_area_the_agreed_phone_and_the_photo(tmp_path, demo_db):
    _chief, first, second = _stewards(demo_db)[:3]
    with demo_db.unit_of_work("test") as session:
        appointments.set_details(session, first.id, area="上塘组和下塘组", phone_public=True)
        appointments.set_details(session, second.id, phone_public=False)
        appointments.set_photo(session, first.id, _photo())
    out = tmp_path / "board.pdf"
    assert (
        main(
            [
                "print",
                "board",
                "--data-dir",
                str(demo_db.path.parent),
                "--year",
                str(DEMO_YEAR),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    shown = flat(text(out))
    assert "上塘组和下塘组" in shown
    assert first.phone and first.phone in shown
    assert second.phone and second.phone not in shown
    # Exactly one photo on the sheet: the one just stored (the others are silhouettes).
    images = subprocess.run(
        ["pdfimages", "-list", str(out)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert len(images) == 1 and images[0].split()[3:5] == ["450", "600"]


def test_print_roster_prints_the_newest_stored_roster_with_its_duties(tmp_path, demo_db, capsys):
    with demo_db.read() as session:
        rows = rosters.list_rosters(session, current_branch(session).id)
        chosen = rows[-1]
        detail = rosters.roster_detail(session, chosen.id)
    out = tmp_path / "roster.pdf"
    assert (
        main(
            [
                "print",
                "roster",
                "--data-dir",
                str(demo_db.path.parent),
                "--roster",
                str(chosen.id)[:8],
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert page_count(out) >= 1
    assert_fonts_embedded(out)
    shown = flat(text(out))
    assert chosen.team_name in shown and "签到" in shown
    names = {d.person_name for d in detail.duties if d.person_name}
    assert names and all(name in shown for name in names)
    assert f"{chosen.starts_on.month}月{chosen.starts_on.day}日" in shown


def test_print_roster_with_no_roster_or_an_unknown_id_is_one_clear_line(
    tmp_path, branch, db, capsys
):
    out = str(tmp_path / "r.pdf")
    assert main(["print", "roster", "--data-dir", str(db.path.parent), "--out", out]) == 1
    assert "还没有值班表" in capsys.readouterr().err
    assert (
        main(
            ["print", "roster", "--data-dir", str(db.path.parent), "--roster", "zzz", "--out", out]
        )
        == 1
    )
    assert "zzz" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.pdf*"))


def test_a_roster_shows_only_the_phones_of_stewards_who_agreed(tmp_path, demo_db):
    # Volunteers have no consent of their own: a number is printed only for a volunteer who is a
    # steward that agreed to show it (the demo's stewards of groups 3 and 6 did not); the
    # villagers' mobiles never are.
    with demo_db.read() as session:
        branch = current_branch(session)
        agreed = {
            m.phone
            for s in session.query(Steward).filter(Steward.phone_public.is_(True))
            for m in [session.get_one(Member, s.member_id)]
        }
        withheld = {
            v.phone for v in session.query(Volunteer).filter(Volunteer.member_id.is_(None))
        } | {
            m.phone
            for s in session.query(Steward).filter(Steward.phone_public.is_(False))
            for m in [session.get_one(Member, s.member_id)]
        }
        data = [
            sheets.roster_sheet(session, r.id) for r in rosters.list_rosters(session, branch.id)
        ]
    printed = {p for d in data for duty in d.duties for p in duty.phone.split("、") if p}
    assert printed and printed <= agreed
    assert not printed & withheld
    chosen = next(d for d in data if any(duty.phone for duty in d.duties))
    out = tmp_path / "list.pdf"
    with out.open("wb") as pdf:
        render_roster_sheet(chosen, pdf, layout="list")
    shown = flat(text(out))
    assert any(phone in shown for phone in printed)
    assert not any(phone in shown for phone in withheld if phone)
