"""The ``draft`` query answers with the report document as the cycle holds it, edits included."""

from __future__ import annotations

from domain.document import from_document
from tests.workflows.cycle_env import CycleWorld, report_document, start_cycle, wait_for_status
from workflows.contracts import (
    QUERY_DRAFT,
    UPDATE_SET_CELLS,
    UPDATE_SUBMIT_DOCUMENT,
    SetCells,
    SubmitDocument,
)

YEAR = 2019


async def test_draft_query_returns_the_submitted_report_with_later_edits(world: CycleWorld) -> None:
    await start_cycle(world, "hq-xfb", YEAR, f"{YEAR + 1}-01-02")
    handle = world.handle("hq-xfb", YEAR)
    await wait_for_status(world, "hq-xfb", YEAR, lambda s: bool(s.history))
    blank = from_document(await handle.query(QUERY_DRAFT, result_type=dict))
    assert (blank.agency, blank.year) == ("区信访办", YEAR)
    assert set(blank.cells.values()) == {None}

    officer = world.actor("王填报")
    submitted = report_document("000")
    await handle.execute_update(UPDATE_SUBMIT_DOCUMENT, SubmitDocument(officer, submitted, "000.txt"))
    await handle.execute_update(UPDATE_SET_CELLS, SetCells(officer, {"s3.new.natural": "１２"}))

    draft = await handle.query(QUERY_DRAFT, result_type=dict)
    expected = from_document(submitted)
    expected.set_cell("s3.new.natural", 12)
    report = from_document(draft)
    assert report.cells == expected.cells
    assert report.prose("s1") == expected.prose("s1")
    assert draft["meta"] == {"agency": "区信访办", "year": YEAR, "format": "2019", "variant": "standard"}
