"""Recorded histories still replay on today's workflow code: a running year survives a deploy."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from workflows.kickoff import KickoffWorkflow
from workflows.report_cycle import ReportCycleWorkflow

HISTORIES = sorted((Path(__file__).resolve().parent / "histories").glob("*.json"))
RECORDED = {path.stem: path.read_text(encoding="utf-8") for path in HISTORIES}


def test_every_recorded_scenario_is_present() -> None:
    scenarios = ["department-published", "department-rejected-corrected", "government-rolled-up", "kickoff"]
    # Recorded before the draft lived only in storage, and after (DRAFT_IN_STORAGE).
    assert [p.stem for p in HISTORIES] == sorted([*scenarios, *(f"stored-{name}" for name in scenarios)])


@pytest.mark.parametrize("name", sorted(RECORDED))
async def test_history_replays_without_nondeterminism(name: str) -> None:
    history = WorkflowHistory.from_json(f"replay-{name}", RECORDED[name])
    replayer = Replayer(workflows=[ReportCycleWorkflow, KickoffWorkflow])
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure
