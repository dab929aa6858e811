"""Sign-offs that can be trusted: nothing incomplete is approved, every warning is explained on its own,
and the approver sees the reasons, the earlier rounds and what changed since."""

from __future__ import annotations

import copy
import re

import pytest
from temporalio.client import WorkflowUpdateFailedError

from contracts import (
    UPDATE_ACKNOWLEDGE,
    UPDATE_DECIDE,
    UPDATE_DECLARE_READY,
    UPDATE_SET_CELLS,
    UPDATE_SUBMIT_DOCUMENT,
    Acknowledge,
    CycleStatus,
    Decision,
    DeclareReady,
    EditResult,
    ReadyResult,
    SetCells,
    Stage,
    SubmitDocument,
)
from contracts.client import CycleClient
from storage.audit import audit_trail
from storage.engine import session_scope
from storage.kinds import RoleName
from storage.people import add_person_with_role
from tests.workflows.cycle_env import (
    CycleWorld,
    outbox_texts,
    report_document,
    start_cycle,
    wait_for_notice,
    wait_for_status,
)

YEAR = 2019
START = "2020-01-02"


async def refusal(world: CycleWorld, agency: str, name: str, payload: object) -> str:
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await world.handle(agency, YEAR).execute_update(name, payload)
    return str(failure.value.cause)


async def test_a_draft_with_blank_cells_goes_back_to_drafting_and_cannot_be_approved(
    world: CycleWorld,
) -> None:
    await start_cycle(world, "hq-xfb", YEAR, START)
    handle = world.handle("hq-xfb", YEAR)
    officer = world.actor("王填报")
    document = report_document("000")
    document["sections"]["s3"]["cells"]["s3.new.legal"] = None
    document["sections"]["s3"]["cells"]["s3.new.natural"] = None
    await handle.execute_update(UPDATE_SUBMIT_DOCUMENT, SubmitDocument(officer, document, "000.txt"))

    result = await handle.execute_update(UPDATE_DECLARE_READY, DeclareReady(officer), result_type=ReadyResult)

    assert result.stage is Stage.DRAFTING
    [blank] = [f for f in result.findings if f.rule_id == "pre_publication.blank_cells"]
    assert blank.severity == "error"
    assert "2个空白单元格" in blank.message
    decision = Decision(world.actor("李审核"), 1, 0, approve=True)
    assert "起草中" in await refusal(world, "hq-xfb", UPDATE_DECIDE, decision)


async def test_each_warning_needs_its_own_reason_and_the_approver_sees_them_all(world: CycleWorld) -> None:
    await start_cycle(world, "hq-xfb", YEAR, START)
    handle = world.handle("hq-xfb", YEAR)
    officer = world.actor("王填报")
    document = copy.deepcopy(report_document("000"))
    document["sections"]["s1"]["heading"] = "1、 总体情况"
    document["sections"]["s6"]["heading"] = "六、其他需求报告的事项"
    await handle.execute_update(UPDATE_SUBMIT_DOCUMENT, SubmitDocument(officer, document, "000.txt"))
    checked = await handle.execute_update(
        UPDATE_DECLARE_READY, DeclareReady(officer), result_type=ReadyResult
    )
    assert checked.stage is Stage.ACKNOWLEDGING
    keys = [f.key for f in checked.findings if f.severity == "warning"]
    assert keys == [
        "cells.money_unit:s2.art20_9.procurement.amount",
        "structure.heading:s1",
        "structure.heading:s6",
    ]

    by_rule = Acknowledge(officer, "structure.heading", "按原文")
    reason = await refusal(world, "hq-xfb", UPDATE_ACKNOWLEDGE, by_rule)
    assert "structure.heading:s1" in reason
    assert "structure.heading:s6" in reason
    after_one = await handle.execute_update(
        UPDATE_ACKNOWLEDGE,
        Acknowledge(officer, "structure.heading:s1", "沿用原文标题"),
        result_type=CycleStatus,
    )
    assert [f.key for f in after_one.findings if f.acknowledged] == ["structure.heading:s1"]
    assert after_one.stage is Stage.ACKNOWLEDGING
    # A single open warning of a rule may still be named by the rule.
    await handle.execute_update(UPDATE_ACKNOWLEDGE, Acknowledge(officer, "structure.heading", "沿用原文标题"))
    await handle.execute_update(UPDATE_ACKNOWLEDGE, Acknowledge(officer, "cells.money_unit", "已核实为万元"))
    await wait_for_status(world, "hq-xfb", YEAR, lambda s: s.stage is Stage.APPROVING)

    reviewer = world.actor("李审核")
    [request] = await wait_for_notice(world.engine, reviewer.person_id, "分管领导审核")
    assert "［structure.heading:s6］" in request
    assert request.count("理由：沿用原文标题") == 2
    assert "理由：已核实为万元" in request

    rejection = Decision(reviewer, 1, 0, approve=False, comment="标题请按规定格式")
    await handle.execute_update(UPDATE_DECIDE, rejection)
    await wait_for_status(world, "hq-xfb", YEAR, lambda s: s.stage is Stage.DRAFTING)
    # The same document again: nothing changed since the rejection, and the approver is told so.
    await handle.execute_update(UPDATE_SUBMIT_DOCUMENT, SubmitDocument(officer, document, "000.txt"))
    await handle.execute_update(UPDATE_DECLARE_READY, DeclareReady(officer))
    await wait_for_status(world, "hq-xfb", YEAR, lambda s: s.stage is Stage.APPROVING)
    second = [t for t in outbox_texts(world.engine, reviewer.person_id) if "第2轮" in t]
    [again] = second
    assert "标题请按规定格式" in again
    assert "自上次审核以来：无变化" in again

    await handle.execute_update(UPDATE_DECIDE, Decision(reviewer, 2, 0, approve=False, comment="仍需修改"))
    await wait_for_status(world, "hq-xfb", YEAR, lambda s: s.stage is Stage.DRAFTING)
    await handle.execute_update(
        UPDATE_SET_CELLS, SetCells(officer, {"s4.review.upheld": "1", "s4.review.total": "1"})
    )
    await handle.execute_update(UPDATE_DECLARE_READY, DeclareReady(officer))
    [third] = await wait_for_notice(world.engine, reviewer.person_id, "第3轮")
    assert "自上次审核以来改动2处" in third
    assert "四、行政复议 结果维持：0 → 1" in third


async def test_a_report_of_another_agency_is_refused_unless_taken_as_a_template(world: CycleWorld) -> None:
    await start_cycle(world, "hq-xfb", YEAR, START)
    handle = world.handle("hq-xfb", YEAR)
    officer = world.actor("王填报")
    foreign = report_document("003")  # 相城区人民政府办公室, 2019
    reason = await refusal(
        world, "hq-xfb", UPDATE_SUBMIT_DOCUMENT, SubmitDocument(officer, foreign, "003.txt")
    )
    assert "相城区人民政府办公室" in reason
    assert "区信访办" in reason
    assert (await world.status("hq-xfb", YEAR)).filled == 0

    template = SubmitDocument(officer, foreign, "003.txt", as_template=True)
    result = await handle.execute_update(UPDATE_SUBMIT_DOCUMENT, template, result_type=EditResult)
    figures = sum(1 for key, value in foreign["sections"]["s3"]["cells"].items() if value is not None)
    assert result.filled >= figures > 0
    status = await world.status("hq-xfb", YEAR)
    assert set(status.missing_prose) == {"s1", "s5", "s6"}
    draft = await CycleClient(world.client).draft(world.code("hq-xfb"), YEAR)
    assert draft["meta"]["agency"] == "区信访办"
    with session_scope(world.engine) as session:
        [entry] = audit_trail(session=session, agency_code=world.code("hq-xfb"), year=YEAR, target="import")
    assert entry.new_value == "按模板导入（仅取数字）：相城区人民政府办公室2019年度报告，文件003.txt"


async def test_a_report_of_another_year_is_refused_naming_both_years(world: CycleWorld) -> None:
    await start_cycle(world, "hq", YEAR, START)
    other_year = report_document("001")  # 天津市红桥区人民政府, 2020
    reason = await refusal(
        world, "hq", UPDATE_SUBMIT_DOCUMENT, SubmitDocument(world.actor("周填报"), other_year)
    )
    assert "2020年" in reason
    assert "2019年度" in reason


async def test_a_governments_coordinator_is_told_who_holds_a_late_department_report(
    world: CycleWorld,
) -> None:
    with session_scope(world.engine) as session:
        grant = add_person_with_role(
            session=session, name="区督办", agency_code=world.code("hq"), role=RoleName.COORDINATOR
        )
        assert grant.person.id is not None
        district_coordinator = grant.person.id
    await start_cycle(world, "hq-gxj", YEAR, "2020-01-30")
    [escalation] = await wait_for_notice(world.engine, district_coordinator, "督办", seconds=20)
    assert "由信息公开工作人员赵填报办理" in escalation
    assert "报告处于“起草中”阶段" in escalation
    assert re.search(r"已逾期\d+天", escalation), escalation
