"""Last year's report as context for a table-二 row run together (``行政许可3960181``), rule per format.

- 2019 format (hard rule, decides): this year's 上一年项目数量 is last year's 上一年项目数量 plus last year's
  本年增/减, row by row; it applies when last year's report is in the 2019 format too.
- 2021 format (soft hint, never decides): 现行有效件数 = last year's 现行有效件数 + 本年制发件数 − 本年废止件数.
  Clean-ups of old documents break it in real reports, so it only puts the reading it supports first.
"""

from __future__ import annotations

from domain.formats import ReportFormat
from domain.importing.splitting import Reading
from domain.report import Report

RULE_2019 = "上一年项目数量（应等于上一年度的上一年项目数量加本年增/减）"
RULE_2021 = "现行有效件数（上一年度现行有效件数加本年制发件数减本年废止件数）"


def decide(
    options: list[Reading], keys: tuple[str, ...], fmt: ReportFormat, previous: Report
) -> list[Reading]:
    """The readings whose 上一年项目数量 continues last year's figures (2019 format); [] if no rule applies."""
    if fmt.id.value != "2019" or previous.format.id.value != "2019":
        return []
    stated: list[tuple[int, int]] = []
    for i, key in enumerate(keys):
        if not key.endswith(".previous"):
            continue
        row = key.removesuffix(".previous")
        before, change = previous.cells.get(key), previous.cells.get(f"{row}.change")
        if before is None or change is None:
            return []
        stated.append((i, int(before) + int(change)))
    if not stated:
        return []
    return [o for o in options if all(o[i] == str(value) for i, value in stated)]


def soft(options: list[Reading], keys: tuple[str, ...], fmt: ReportFormat, previous: Report) -> list[Reading]:
    """The readings that keep 现行有效件数 continuous with last year's (2021 format on both sides)."""
    if fmt.id.value != "2021" or previous.format.id.value != "2021" or not keys[0].endswith(".issued"):
        return []
    row = keys[0].removesuffix(".issued")
    last = previous.cells.get(f"{row}.in_force")
    if last is None:
        return []
    supported = []
    for option in options:
        issued, repealed, in_force = (_whole(v) for v in option)
        if None not in (issued, repealed, in_force) and int(last) + issued - repealed == in_force:  # type: ignore[operator]
            supported.append(option)
    return supported


def _whole(text: str | None) -> int | None:
    if text is None:
        return 0
    return int(text) if text.isascii() and text.isdigit() else None
