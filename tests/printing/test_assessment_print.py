# SPDX-License-Identifier: GPL-3.0-or-later
"""The assessment's printouts: blank sheets per scorer group, the wall list, the forms."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.errors import UserError
from desktop.models.assessment.rows import AssessmentOptions
from desktop.models.documents.service import PrintService
from desktop.printing.assessment import render_assessment_results, render_blank_sheets
from tests.assessment_year import YEAR, key_everything, make_year
from tests.printing import pdfcheck
from tests.printing.conftest import DEMO_YEAR

PRINTED_ON = dt.date(2025, 12, 30)


@pytest.fixture
def year(db, branch, make_member):  # type: ignore[no-untyped-def]
    service, ids, _v = make_year(db, branch, make_member)
    return service, PrintService(db, branch.id), ids


def test_blank_sheets_one_per_group_with_every_steward_and_item(year, tmp_path):
    service, printing, _ids = year
    with pytest.raises(UserError):
        printing.assessment_sheets(YEAR, PRINTED_ON)
    service.start_scoring(YEAR)
    sheets = printing.assessment_sheets(YEAR, PRINTED_ON)
    assert [s.code for s in sheets] == ["2025-D1", "2025-D2", "2025-C1", "2025-C2", "2025-Z1"]
    pdf = tmp_path / "blank.pdf"
    with pdf.open("wb") as out:
        rendered = render_blank_sheets(sheets, out)
    assert rendered.pages == 5 and rendered.missing_glyphs == ()
    pdfcheck.assert_fonts_embedded(pdf)
    pdfcheck.assert_size(pdf, (pdfcheck.A4[1], pdfcheck.A4[0]))
    first = pdfcheck.flat(pdfcheck.text(pdf, 1))
    for expected in ("2025-D1", "第一党小组", "李书记", "王一", "赵二", "服务数量", "50", "签名"):
        assert expected in first, expected
    assert "服务质量" not in first  # scored by the villager groups, on their sheets
    # The villager group of group 1's area scores the chief and 王一, not 赵二.
    third = pdfcheck.flat(pdfcheck.text(pdf, 3))
    assert "2025-C1" in third and "王一" in third and "赵二" not in third


def test_results_print_the_wall_list_and_every_score_on_the_forms(year, tmp_path):
    service, printing, _ids = year
    service.set_options(
        YEAR,
        AssessmentOptions(
            excellent_share=34,
            published_from=dt.date(2026, 1, 5),
            published_until=dt.date(2026, 1, 11),
        ),
    )
    service.start_scoring(YEAR)
    key_everything(service, value="45")
    service.finalise(YEAR, PRINTED_ON)
    data = printing.assessment_results(YEAR, PRINTED_ON)
    assert data.result_list.final and len(data.forms) == 3
    pdf = tmp_path / "results.pdf"
    with pdf.open("wb") as out:
        rendered = render_assessment_results(data, out)
    assert rendered.pages == 4
    pdfcheck.assert_fonts_embedded(pdf)
    wall = pdfcheck.flat(pdfcheck.text(pdf, 1))
    for line in data.result_list.lines:
        assert all(pdfcheck.flat(v) in wall for v in (line.name, line.total, line.grade))
    assert "公示" in wall and "2026年1月5日" in wall and "2026年1月11日" in wall
    assert "未定稿" not in wall
    for page, form in enumerate(data.forms, start=2):
        text = pdfcheck.flat(pdfcheck.text(pdf, page))
        assert all(pdfcheck.flat(v) in text for v in (form.name, form.total, form.grade))
        for line in form.lines:
            assert pdfcheck.flat(line.name) in text and line.score in text, (form.name, line)


def test_each_of_the_demos_blank_sheets_fits_one_page_with_its_signature_line(
    demo_db, demo_branch, tmp_path
):
    sheets = PrintService(demo_db, demo_branch.id).assessment_sheets(
        DEMO_YEAR, PRINTED_ON
    )  # the year it scores
    pdf = tmp_path / "blank.pdf"
    with pdf.open("wb") as out:
        rendered = render_blank_sheets(sheets, out)
    assert rendered.pages == len(sheets) == 25
    for page, sheet in ((1, sheets[0]), (25, sheets[-1])):
        text = pdfcheck.flat(pdfcheck.text(pdf, page))
        assert sheet.code in text and "签名" in text
        assert all(name in text for name, _post in sheet.stewards)
