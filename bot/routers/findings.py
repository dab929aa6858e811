"""After validation: each finding in plain words, buttons to fix its cells or acknowledge a warning."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.formatting import Text, as_list

from bot.cycle import CycleGateway, RefusalError
from bot.identity import Identity
from bot.keyboards import AcknowledgeData, FindingsData, findings_keyboard
from bot.presenters import findings_list
from bot.routers.filling import officer_agency
from domain.formats import report_format
from workflows.contracts import CycleStatus, FindingInfo, Stage


class Acknowledging(StatesGroup):
    reason = State()


def keyboard_for(status: CycleStatus) -> InlineKeyboardMarkup | None:
    positions = {spec.key: i for i, spec in enumerate(report_format(status.format_id).cells)}
    fixes = [
        (n, positions[f.cells[0]])
        for n, f in enumerate(status.findings)
        if f.cells and f.cells[0] in positions
    ]
    warnings = [n for n, f in enumerate(status.findings) if f.severity == "warning" and not f.acknowledged]
    return findings_keyboard(status.agency_code, fixes, warnings) if fixes or warnings else None


async def show_findings(message: Message, status: CycleStatus, lead: str = "") -> None:
    head = {
        Stage.ACKNOWLEDGING: "校验发现以下警告，请逐条确认（说明理由）或修改：",
        Stage.DRAFTING: "校验未通过，请修改以下问题后重新发送 /ready：",
    }.get(status.stage, f"当前阶段：{status.stage_label}。")
    body = as_list(Text(lead, head), findings_list(status.findings))
    await message.answer(**body.as_kwargs(), reply_markup=keyboard_for(status))


async def ready(message: Message, identity: Identity, state: FSMContext, cycle: CycleGateway) -> None:
    agency = officer_agency(identity)
    if agency is None:
        await message.answer("只有信息公开工作人员可以提请校验。")
        return
    await state.clear()
    try:
        await cycle.declare_ready(agency, identity.actor)
        status = await cycle.status(agency)
    except RefusalError as refusal:
        await message.answer(**Text("未提交：", str(refusal)).as_kwargs())
        return
    await show_findings(message, status, "已提请校验。")


async def findings(message: Message, identity: Identity, cycle: CycleGateway) -> None:
    agency = officer_agency(identity)
    if agency is None:
        await message.answer("只有信息公开工作人员可以查看校验结果。")
        return
    try:
        await show_findings(message, await cycle.status(agency))
    except RefusalError as refusal:
        await message.answer(str(refusal))


async def acknowledge_pressed(
    query: CallbackQuery,
    callback_data: AcknowledgeData,
    identity: Identity,
    state: FSMContext,
    cycle: CycleGateway,
) -> None:
    finding = await _finding(callback_data, identity, cycle)
    if finding is None or not isinstance(query.message, Message):
        await query.answer("此按钮已失效，未做任何更改。", show_alert=True)
        return
    await query.answer()
    await state.set_state(Acknowledging.reason)
    await state.set_data({"agency": callback_data.agency, "rule_id": finding.key})
    await query.message.answer(**Text("请说明理由（将记录在案）：", finding.message).as_kwargs())


async def _finding(data: AcknowledgeData, identity: Identity, cycle: CycleGateway) -> FindingInfo | None:
    if data.agency != officer_agency(identity):
        return None
    status = await cycle.status(data.agency)
    return status.findings[data.index] if 0 <= data.index < len(status.findings) else None


async def reason(message: Message, identity: Identity, state: FSMContext, cycle: CycleGateway) -> None:
    data = await state.get_data()
    try:
        status = await cycle.acknowledge(
            data["agency"], identity.actor, data["rule_id"], (message.text or "").strip()
        )
    except RefusalError as refusal:
        await message.answer(**Text("未确认：", str(refusal)).as_kwargs())
        return
    await state.clear()
    left = sum(1 for f in status.findings if f.severity == "warning" and not f.acknowledged)
    await message.answer(f"已确认。尚有 {left} 条警告待确认。当前阶段：{status.stage_label}")


async def findings_pressed(query: CallbackQuery, identity: Identity, cycle: CycleGateway) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await findings(query.message, identity, cycle)


def build_router() -> Router:
    """A fresh router (a router joins one dispatcher only; tests and benchmarks build several)."""
    router = Router(name="findings")
    router.message.register(ready, Command("ready"))
    router.message.register(findings, Command("findings"))
    router.callback_query.register(findings_pressed, FindingsData.filter())
    router.callback_query.register(acknowledge_pressed, AcknowledgeData.filter())
    router.message.register(reason, Acknowledging.reason, F.text)
    return router
