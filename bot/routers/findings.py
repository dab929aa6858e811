"""After validation: each finding in plain words, buttons to fix its cells or acknowledge a warning."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.formatting import Text, as_list

from bot import choice
from bot.cycle import CycleGateway, CycleRef, RefusalError
from bot.identity import Identity
from bot.keyboards import AcknowledgeData, FindingsData, findings_keyboard
from bot.presenters import findings_list
from contracts import CycleStatus, FindingInfo, Role, Stage
from domain.formats import ReportFormat


class Acknowledging(StatesGroup):
    reason = State()


def keyboard_for(status: CycleStatus, fmt: ReportFormat) -> InlineKeyboardMarkup | None:
    positions = {spec.key: i for i, spec in enumerate(fmt.cells)}
    fixes = [
        (n, positions[f.cells[0]])
        for n, f in enumerate(status.findings)
        if f.cells and f.cells[0] in positions
    ]
    warnings = [n for n, f in enumerate(status.findings) if f.severity == "warning" and not f.acknowledged]
    if not fixes and not warnings:
        return None
    return findings_keyboard(status.agency_code, status.year, fixes, warnings)


async def show_findings(message: Message, ref: CycleRef, cycle: CycleGateway, lead: str = "") -> None:
    status = await cycle.status(ref.agency, ref.year)
    fmt = await cycle.report_format(ref.agency, ref.year)
    head = {
        Stage.ACKNOWLEDGING: "校验发现以下警告，请逐条确认（说明理由）或修改：",
        Stage.DRAFTING: "校验未通过，请修改以下问题后重新发送 /ready：",
    }.get(status.stage, f"当前阶段：{status.stage_label}。")
    body = as_list(Text(lead, head), findings_list(status.findings))
    await message.answer(**body.as_kwargs(), reply_markup=keyboard_for(status, fmt))


async def ready(message: Message, identity: Identity, state: FSMContext, cycle: CycleGateway) -> None:
    if not identity.agencies(Role.OFFICER):
        await message.answer("只有信息公开工作人员可以提请校验。")
        return
    await state.clear()
    ref = await choice.officer_cycle(message, identity, state, cycle, "ready")
    if ref is None:
        return
    try:
        await cycle.declare_ready(ref.agency, ref.year, identity.actor)
        await show_findings(message, ref, cycle, "已提请校验。")
    except RefusalError as refusal:
        await message.answer(**Text("未提交：", str(refusal)).as_kwargs())


async def findings(message: Message, identity: Identity, state: FSMContext, cycle: CycleGateway) -> None:
    if not identity.agencies(Role.OFFICER):
        await message.answer("只有信息公开工作人员可以查看校验结果。")
        return
    ref = await choice.officer_cycle(message, identity, state, cycle, "findings")
    if ref is None:
        return
    try:
        await show_findings(message, ref, cycle)
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
    await state.set_data({"agency": callback_data.agency, "year": callback_data.year, "rule_id": finding.key})
    await query.message.answer(**Text("请说明理由（将记录在案）：", finding.message).as_kwargs())


async def _finding(data: AcknowledgeData, identity: Identity, cycle: CycleGateway) -> FindingInfo | None:
    if data.agency not in identity.agencies(Role.OFFICER):
        return None
    try:
        status = await cycle.status(data.agency, data.year)
    except RefusalError:
        return None
    return status.findings[data.index] if 0 <= data.index < len(status.findings) else None


async def reason(message: Message, identity: Identity, state: FSMContext, cycle: CycleGateway) -> None:
    data = await state.get_data()
    try:
        status = await cycle.acknowledge(
            data["agency"], data["year"], identity.actor, data["rule_id"], (message.text or "").strip()
        )
    except RefusalError as refusal:
        await message.answer(**Text("未确认：", str(refusal)).as_kwargs())
        return
    await state.clear()
    left = sum(1 for f in status.findings if f.severity == "warning" and not f.acknowledged)
    await message.answer(f"已确认。尚有 {left} 条警告待确认。当前阶段：{status.stage_label}")


async def findings_pressed(
    query: CallbackQuery, identity: Identity, state: FSMContext, cycle: CycleGateway
) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await findings(query.message, identity, state, cycle)


def build_router() -> Router:
    """A fresh router (a router joins one dispatcher only; tests and benchmarks build several)."""
    router = Router(name="findings")
    router.message.register(ready, Command("ready"))
    router.message.register(findings, Command("findings"))
    router.callback_query.register(findings_pressed, FindingsData.filter())
    router.callback_query.register(acknowledge_pressed, AcknowledgeData.filter())
    router.message.register(reason, Acknowledging.reason, F.text)
    return router
