"""Open-data CSV never hands a spreadsheet a formula: a title like ``=HYPERLINK(...)`` goes in as text."""

from __future__ import annotations

import csv
import io

import pytest

from domain.rendering import render_csv
from domain.rendering.opendata import spreadsheet_safe
from domain.report import Report


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","点我")', "+1+2", "-1+2", "@SUM(A1)", "\t=1", "\r=1"])
def test_would_be_formulas_get_a_leading_quote(text: str) -> None:
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["-3", "+2.5", "12", "清河区教育局", ""])
def test_numbers_and_plain_text_stay_as_they_are(text: str) -> None:
    assert spreadsheet_safe(text) == text


def test_an_agency_named_like_a_formula_is_neutralised_in_the_csv() -> None:
    report = Report.blank("2021", agency='=HYPERLINK("http://evil.example","年报")', year=2024)
    rows = list(csv.reader(io.StringIO(render_csv(report).removeprefix("\ufeff"))))
    values = [cell for row in rows for cell in row]
    assert "'" + '=HYPERLINK("http://evil.example","年报")' in values
    assert not any(value.startswith("=") for value in values)
