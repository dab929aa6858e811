"""One agency's cycle on the real dev server: what officers, approvers and coordinators would see."""

from __future__ import annotations

import pytest
from temporalio.client import WorkflowUpdateFailedError

from contracts import (
    UPDATE_ACKNOWLEDGE,
    UPDATE_DECIDE,
    UPDATE_DECLARE_READY,
    UPDATE_REQUEST_CORRECTION,
    UPDATE_SET_CELLS,
    UPDATE_SUBMIT_DOCUMENT,
    Acknowledge,
    CorrectionRequest,
    CycleStatus,
    Decision,
    DeclareReady,
    ReadyResult,
    SetCells,
    Stage,
    SubmitDocument,
)
from storage.audit import audit_trail
from storage.engine import session_scope
from tests.workflows.cycle_env import (
    CycleWorld,
    outbox_texts,
    published_document,
    published_files,
    report_document,
    start_cycle,
    wait_for_status,
)

YEAR = 2019
START = "2020-01-02"


async def refusal(world: CycleWorld, agency: str, name: str, payload: object) -> str:
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await world.handle(agency, YEAR).execute_update(name, payload)
    return str(failure.value.cause)


async def approve_all(world: CycleWorld, agency: str, approvers: tuple[str, ...]) -> CycleStatus:
    status = await world.status(agency, YEAR)
    for index, name in enumerate(approvers):
        decision = Decision(world.actor(name), status.approval_round, index, approve=True)
        status = await world.handle(agency, YEAR).execute_update(
            UPDATE_DECIDE, decision, result_type=CycleStatus
        )
    return await wait_for_status(world, agency, YEAR, lambda s: s.stage is Stage.PUBLISHED)


async def test_validation_failure_fix_warning_and_publication(world: CycleWorld) -> None:
    await start_cycle(world, "hq-xfb", YEAR, START)
    handle = world.handle("hq-xfb", YEAR)
    officer = world.actor("王填报")
    submitted = report_document("000")
    await handle.execute_update(UPDATE_SUBMIT_DOCUMENT, SubmitDocument(officer, submitted, "000.txt"))
    await handle.execute_update(UPDATE_SET_CELLS, SetCells(officer, {"s3.new.natural": "３"}))

    failed = await handle.execute_update(UPDATE_DECLARE_READY, DeclareReady(officer), result_type=ReadyResult)
    assert failed.stage is Stage.DRAFTING
    assert any(f.rule_id == "s3.balance" and f.severity == "error" for f in failed.findings)
    assert any(
        "校验未通过" in text and "s3.balance" in text
        for text in outbox_texts(world.engine, officer.person_id)
    )

    await handle.execute_update(UPDATE_SET_CELLS, SetCells(officer, {"s3.new.natural": "0"}))
    checked = await handle.execute_update(
        UPDATE_DECLARE_READY, DeclareReady(officer), result_type=ReadyResult
    )
    assert checked.stage is Stage.ACKNOWLEDGING
    assert [f.rule_id for f in checked.findings if f.severity == "warning"] == ["cells.money_unit"]

    no_reason = Acknowledge(officer, "cells.money_unit", " ")
    assert "理由" in await refusal(world, "hq-xfb", UPDATE_ACKNOWLEDGE, no_reason)
    reason = "原表未注明单位，已核实为万元"
    await handle.execute_update(UPDATE_ACKNOWLEDGE, Acknowledge(officer, "cells.money_unit", reason))
    status = await wait_for_status(world, "hq-xfb", YEAR, lambda s: s.stage is Stage.APPROVING)
    assert status.current_step is not None
    assert status.current_step.label == "分管领导审核"

    published = await approve_all(world, "hq-xfb", ("李审核", "张主任"))
    location = published.publications[0].location
    assert published_files(location) == [".csv", ".docx", ".html", ".json"]
    document = published_document(location)
    for section in ("s2", "s3", "s4"):
        assert document["sections"][section]["cells"] == submitted["sections"][section]["cells"]
    assert [c.stage for c in published.history][-2:] == [Stage.PUBLISHING, Stage.PUBLISHED]
    with session_scope(world.engine) as session:
        changes = audit_trail(
            session=session, agency_code=world.code("hq-xfb"), year=YEAR, target="s3.new.natural"
        )
    assert [(c.old_value, c.new_value, c.channel, c.person_id) for c in changes] == [
        (None, "0", "cli", officer.person_id),
        ("0", "3", "cli", officer.person_id),
        ("3", "0", "cli", officer.person_id),
    ]


async def test_refused_updates_change_nothing(world: CycleWorld) -> None:
    await start_cycle(world, "hq-gxj", YEAR, START)
    officer = world.actor("赵填报")
    await world.handle("hq-gxj", YEAR).execute_update(
        UPDATE_SET_CELLS, SetCells(officer, {"s3.new.natural": "2"})
    )
    before = await world.status("hq-gxj", YEAR)

    bad_value = SetCells(officer, {"s3.new.natural": "5", "s3.new.legal": "减3", "s3.new.other": "两件"})
    reason = await refusal(world, "hq-gxj", UPDATE_SET_CELLS, bad_value)
    assert "负数" in reason
    assert "两件" in reason
    wrong_person = SetCells(world.actor("钱审核"), {"s3.new.natural": "5"})
    assert "无权" in await refusal(world, "hq-gxj", UPDATE_SET_CELLS, wrong_person)
    other_agency = SetCells(world.actor("王填报"), {"s3.new.natural": "5"})
    assert "无权" in await refusal(world, "hq-gxj", UPDATE_SET_CELLS, other_agency)
    wrong_stage = Decision(world.actor("钱审核"), 1, 0, approve=True)
    assert "起草中" in await refusal(world, "hq-gxj", UPDATE_DECIDE, wrong_stage)
    wrong_year = report_document("001")
    assert "2020" in await refusal(
        world, "hq-gxj", UPDATE_SUBMIT_DOCUMENT, SubmitDocument(officer, wrong_year)
    )

    after = await world.status("hq-gxj", YEAR)
    assert after == before
    with session_scope(world.engine) as session:
        changes = audit_trail(
            session=session, agency_code=world.code("hq-gxj"), year=YEAR, target="s3.new.natural"
        )
    assert [c.new_value for c in changes] == [None, "2"] or [c.new_value for c in changes] == ["2"]


async def test_rejection_returns_to_drafting_and_stale_decisions_are_refused(world: CycleWorld) -> None:
    await start_cycle(world, "hq-gxj", YEAR, START)
    handle = world.handle("hq-gxj", YEAR)
    officer = world.actor("赵填报")
    await handle.execute_update(UPDATE_SUBMIT_DOCUMENT, SubmitDocument(officer, report_document("002")))
    await handle.execute_update(UPDATE_DECLARE_READY, DeclareReady(officer))
    await handle.execute_update(UPDATE_DECIDE, Decision(world.actor("钱审核"), 1, 0, approve=True))
    assert "意见" in await refusal(
        world, "hq-gxj", UPDATE_DECIDE, Decision(world.actor("孙局长"), 1, 1, False, "")
    )
    assert "无权" in await refusal(
        world, "hq-gxj", UPDATE_DECIDE, Decision(world.actor("钱审核"), 1, 1, True)
    )

    rejection = Decision(world.actor("孙局长"), 1, 1, approve=False, comment="第五部分写得太简略")
    await handle.execute_update(UPDATE_DECIDE, rejection)
    status = await wait_for_status(world, "hq-gxj", YEAR, lambda s: s.stage is Stage.DRAFTING)
    assert status.history[-1].note == "退回修改：第五部分写得太简略"
    assert any("第五部分写得太简略" in t for t in outbox_texts(world.engine, officer.person_id))

    await handle.execute_update(UPDATE_DECLARE_READY, DeclareReady(officer))
    replayed = Decision(world.actor("钱审核"), 1, 0, approve=True)
    assert "过期" in await refusal(world, "hq-gxj", UPDATE_DECIDE, replayed)
    published = await approve_all(world, "hq-gxj", ("钱审核", "孙局长"))
    assert [(a.round, a.step, a.approve) for a in published.approvals] == [
        (1, 0, True),
        (1, 1, False),
        (2, 0, True),
        (2, 1, True),
    ]


async def test_correction_after_publication_keeps_every_revision(world: CycleWorld) -> None:
    await start_cycle(world, "hq-gxj", YEAR, START)
    handle = world.handle("hq-gxj", YEAR)
    officer = world.actor("赵填报")
    await handle.execute_update(UPDATE_SUBMIT_DOCUMENT, SubmitDocument(officer, report_document("002")))
    await handle.execute_update(UPDATE_DECLARE_READY, DeclareReady(officer))
    first = await approve_all(world, "hq-gxj", ("钱审核", "孙局长"))

    assert "理由" in await refusal(world, "hq-gxj", UPDATE_REQUEST_CORRECTION, CorrectionRequest(officer, ""))
    reopened = await handle.execute_update(
        UPDATE_REQUEST_CORRECTION, CorrectionRequest(officer, "行政复议数字有误"), result_type=CycleStatus
    )
    assert (reopened.stage, reopened.revision) == (Stage.DRAFTING, 2)
    await handle.execute_update(
        UPDATE_SET_CELLS, SetCells(officer, {"s4.review.upheld": "1", "s4.review.total": "1"})
    )
    await handle.execute_update(UPDATE_DECLARE_READY, DeclareReady(officer))
    second = await approve_all(world, "hq-gxj", ("钱审核", "孙局长"))

    assert [p.revision for p in second.publications] == [1, 2]
    old = published_document(first.publications[0].location)
    new = published_document(second.publications[1].location)
    assert old["sections"]["s4"]["cells"]["s4.review.upheld"] == 0
    assert new["sections"]["s4"]["cells"]["s4.review.upheld"] == 1


async def test_fixing_the_draft_instead_of_explaining_a_warning_sends_it_back_to_drafting(
    world: CycleWorld,
) -> None:
    await start_cycle(world, "hq-xfb", YEAR, START)
    handle = world.handle("hq-xfb", YEAR)
    officer = world.actor("王填报")
    await handle.execute_update(UPDATE_SUBMIT_DOCUMENT, SubmitDocument(officer, report_document("000")))
    checked = await handle.execute_update(
        UPDATE_DECLARE_READY, DeclareReady(officer), result_type=ReadyResult
    )
    assert checked.stage is Stage.ACKNOWLEDGING

    await handle.execute_update(
        UPDATE_SET_CELLS, SetCells(officer, {"s2.art20_9.procurement.amount": "39891元"})
    )
    status = await wait_for_status(world, "hq-xfb", YEAR, lambda s: s.stage is Stage.DRAFTING)
    assert status.history[-1].note == "校验后修改了草稿，需重新提请校验"
