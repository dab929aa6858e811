"""Markdown and HTML of two example reports (one per format) compared with files a person has read.

To accept an intended change, regenerate the files with the renderer, read the diff, and commit it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from domain.importing import read_report
from domain.rendering import render_html, render_markdown
from domain.report import Report

from .conftest import GOLDEN, REPORTS

GOLDEN_REPORTS = ["000_0aa99e0fac0e428e", "102_pingtan_2022_concatenated-cells"]
RENDERERS: dict[str, Callable[[Report], str]] = {".md": render_markdown, ".html": render_html}


@pytest.mark.parametrize("suffix", sorted(RENDERERS))
@pytest.mark.parametrize("name", GOLDEN_REPORTS)
def test_rendering_matches_the_golden_file(name: str, suffix: str) -> None:
    report = read_report(REPORTS / f"{name}.txt").report
    expected = (GOLDEN / f"{name}{suffix}").read_text(encoding="utf-8")
    assert RENDERERS[suffix](report) == expected


def test_golden_files_cover_both_formats() -> None:
    formats = {read_report(REPORTS / f"{name}.txt").report.format.id.value for name in GOLDEN_REPORTS}
    assert formats == {"2019", "2021"}
