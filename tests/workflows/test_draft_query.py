"""One draft: what the cycle reports, what approvers read and what gets published are the stored document."""

from __future__ import annotations

import io

import docx
import pytest

from contracts import Decision, FormatVariant, Stage
from contracts.client import CycleClient, Refused
from domain.document import from_document, to_document
from domain.formats import report_format
from domain.rendering import render_docx
from domain.report import Report
from tests.workflows.cycle_env import (
    CycleWorld,
    published_document,
    report_document,
    start_cycle,
    wait_for_status,
)

YEAR = 2019
NOTE = "原文未注明金额单位"


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


async def test_approvers_read_the_stored_document_that_is_then_published(world: CycleWorld) -> None:
    cycles = CycleClient(world.client)
    agency = world.code("hq-xfb")
    await start_cycle(world, "hq-xfb", YEAR, f"{YEAR + 1}-01-02")
    await wait_for_status(world, "hq-xfb", YEAR, lambda s: bool(s.history))
    blank = from_document(await cycles.draft(agency, YEAR))
    assert (blank.agency, blank.year) == ("区信访办", YEAR)
    assert set(blank.cells.values()) == {None}

    officer = world.actor("王填报")
    submitted = report_document("000")
    assert NOTE in next(iter(submitted["notes"].values()))
    await cycles.submit(agency, YEAR, officer, submitted, "000.txt")
    result = await cycles.set_cells(agency, YEAR, officer, {"s3.new.natural": "１２"})
    assert (result.changed, result.revision) == ({"s3.new.natural": "12"}, 1)

    expected = from_document(submitted)
    expected.set_cell("s3.new.natural", 12)
    for_approver = await cycles.draft(agency, YEAR)
    report = from_document(for_approver)
    assert report.cells == expected.cells
    assert report.notes == expected.notes
    assert for_approver["meta"] == {
        "agency": "区信访办",
        "year": YEAR,
        "format": "2019",
        "variant": "standard",
    }
    assert NOTE in docx_text(render_docx(report))

    original = submitted["sections"]["s3"]["cells"]["s3.new.natural"]
    await cycles.set_cells(agency, YEAR, officer, {"s3.new.natural": str(original)})
    await cycles.declare_ready(agency, YEAR, officer)
    status = await cycles.status(agency, YEAR)
    for rule_id in {f.rule_id for f in status.findings if not f.acknowledged}:
        await cycles.acknowledge(agency, YEAR, officer, rule_id, "已核实")
    await wait_for_status(world, "hq-xfb", YEAR, lambda s: s.stage is Stage.APPROVING)
    approving = await cycles.draft(agency, YEAR)
    for name, step in (("李审核", 0), ("张主任", 1)):
        status = await cycles.status(agency, YEAR)
        await cycles.decide(
            agency, YEAR, Decision(world.actor(name), status.approval_round, step, approve=True)
        )
    published = await wait_for_status(world, "hq-xfb", YEAR, lambda s: s.stage is Stage.PUBLISHED)

    assert published_document(published.publications[-1].location) == approving
    assert await cycles.published_document(agency, YEAR) == approving


async def test_a_bad_figure_is_refused_by_the_activity_and_changes_nothing(world: CycleWorld) -> None:
    cycles = CycleClient(world.client)
    agency = world.code("hq-xfb")
    await start_cycle(world, "hq-xfb", YEAR, f"{YEAR + 1}-01-02")
    await wait_for_status(world, "hq-xfb", YEAR, lambda s: bool(s.history))
    officer = world.actor("王填报")
    with pytest.raises(Refused, match="负数"):
        await cycles.set_cells(agency, YEAR, officer, {"s3.new.natural": "3", "s3.new.commercial": "-2"})
    status = await cycles.status(agency, YEAR)
    assert status.filled == 0
    assert from_document(await cycles.draft(agency, YEAR)).cells["s3.new.natural"] is None


async def test_the_2021_variant_with_the_single_2019_row_is_carried_to_every_client(
    world: CycleWorld,
) -> None:
    """Guided filling builds its format from the status: every cell it names must exist in it."""
    year = 2021
    cycles = CycleClient(world.client)
    agency = world.code("hq-xfb")
    await start_cycle(world, "hq-xfb", year, f"{year + 1}-01-02")
    await wait_for_status(world, "hq-xfb", year, lambda s: bool(s.history))
    legacy = Report.blank("2021", agency="区信访办", year=year, legacy_other_row=True)
    legacy.set_cell("s3.new.natural", 5)
    result = await cycles.submit(agency, year, world.actor("王填报"), to_document(legacy), "2021.docx")

    status = await cycles.status(agency, year)
    assert status.format.variant is FormatVariant.LEGACY_OTHER
    assert result.format == status.format
    fmt = report_format(status.format_id, legacy_other_row=status.legacy_other_row)
    assert "s3.other.natural" in status.missing
    for key in status.missing:
        fmt.cell(key)
    edit = await cycles.set_cells(agency, year, world.actor("王填报"), {"s3.other.natural": "2"})
    assert edit.changed == {"s3.other.natural": "2"}
    assert "s3.other.natural" not in edit.missing
