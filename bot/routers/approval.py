"""Approvers get the rendered report (DOCX) and its summary with 通过 / 退回; 退回 asks for a comment first."""

from __future__ import annotations

import asyncio

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.cycle import CycleGateway, RefusalError
from bot.identity import Identity
from bot.keyboards import DecisionData, ReviewData, decision_keyboard
from bot.presenters import report_file, report_summary
from contracts import Decision, Role, Stage

APPROVER_ROLES = (Role.REVIEWER, Role.HEAD)


class Rejecting(StatesGroup):
    comment = State()


async def review(message: Message, identity: Identity, cycle: CycleGateway) -> None:
    """Every report of any year waiting for a step this person may take."""
    shown = 0
    for ref in await cycle.open_cycles(identity.agencies(*APPROVER_ROLES)):
        try:
            status = await cycle.status(ref.agency, ref.year)
        except RefusalError:
            continue
        step = status.current_step
        if status.stage != Stage.APPROVING or step is None or (ref.agency, step.role) not in identity.roles:
            continue
        # The document first, so that the buttons sit right under what is being signed off.
        draft = await cycle.draft(ref.agency, ref.year)
        await message.answer_document(await asyncio.to_thread(report_file, draft))
        keyboard = decision_keyboard(ref.agency, ref.year, status.approval_round, step.index)
        await message.answer(**report_summary(status).as_kwargs(), reply_markup=keyboard)
        shown += 1
    if not shown:
        await message.answer("目前没有等待您审核的报告。")


async def approve(
    query: CallbackQuery, callback_data: DecisionData, identity: Identity, cycle: CycleGateway
) -> None:
    decision = Decision(identity.actor, callback_data.round, callback_data.step, approve=True)
    try:
        status = await cycle.decide(callback_data.agency, callback_data.year, decision)
    except RefusalError as refusal:
        await query.answer(str(refusal), show_alert=True)
        return
    await query.answer("已通过")
    if isinstance(query.message, Message):
        await query.message.edit_text(
            f"您已通过{status.agency_name} {status.year} 年度报告。当前：{status.stage_label}"
        )


async def reject(
    query: CallbackQuery, callback_data: DecisionData, identity: Identity, state: FSMContext
) -> None:
    if callback_data.agency not in identity.agencies(*APPROVER_ROLES):
        await query.answer("您无权审核这份报告。", show_alert=True)
        return
    await query.answer()
    await state.set_state(Rejecting.comment)
    await state.set_data(callback_data.model_dump())
    if isinstance(query.message, Message):
        await query.message.answer("请输入退回意见（将转告填报人）：")


async def rejection_comment(
    message: Message, identity: Identity, state: FSMContext, cycle: CycleGateway
) -> None:
    comment = (message.text or "").strip()
    if not comment:
        await message.answer("退回意见不能为空，请输入退回意见：")
        return
    data = DecisionData.model_validate(await state.get_data())
    await state.clear()
    decision = Decision(identity.actor, data.round, data.step, approve=False, comment=comment)
    try:
        status = await cycle.decide(data.agency, data.year, decision)
    except RefusalError as refusal:
        await message.answer(f"未退回：{refusal}")
        return
    await message.answer(f"已退回{status.agency_name} {status.year} 年度报告，意见已转告填报人。")


async def review_pressed(query: CallbackQuery, identity: Identity, cycle: CycleGateway) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await review(query.message, identity, cycle)


def build_router() -> Router:
    """A fresh router (a router joins one dispatcher only; tests and benchmarks build several)."""
    router = Router(name="approval")
    router.message.register(review, Command("review"))
    router.callback_query.register(review_pressed, ReviewData.filter())
    router.callback_query.register(approve, DecisionData.filter(F.approve))
    router.callback_query.register(reject, DecisionData.filter(~F.approve))
    router.message.register(rejection_comment, Rejecting.comment, F.text)
    return router
