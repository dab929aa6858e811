"""/cycle and the cycle buttons: an officer with several open reports picks the one to work on.

A press is re-authorised on arrival against the cycles open for the officer's agencies now; the command
that asked (``fill``, ``missing``) then carries on with the chosen cycle.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import choice
from bot.cycle import CycleGateway
from bot.identity import Identity
from bot.keyboards import CycleData
from bot.routers.filling import show_missing, start_walk


async def choose(message: Message, identity: Identity, state: FSMContext, cycle: CycleGateway) -> None:
    """/cycle: choose again among the open cycles."""
    await choice.forget(state)
    refs = await choice.officer_cycles(identity, cycle)
    if len(refs) > 1:
        await choice.ask(message, refs, "missing", cycle)
    elif refs:
        await message.answer(
            f"您目前只有一份进行中的年度报告（{refs[0].agency} {refs[0].year} 年度），无需选择。"
        )
    else:
        await message.answer("您目前没有进行中的年度报告。")


async def cycle_chosen(
    query: CallbackQuery, callback_data: CycleData, identity: Identity, state: FSMContext, cycle: CycleGateway
) -> None:
    ref = choice.find(await choice.officer_cycles(identity, cycle), callback_data.agency, callback_data.year)
    if ref is None or not isinstance(query.message, Message):
        await query.answer("此按钮已失效，未做任何更改。", show_alert=True)
        return
    await query.answer(f"已选择 {ref.year} 年度报告")
    await choice.remember(state, ref)
    if callback_data.then == "fill":
        await start_walk(query.message, state, cycle, ref)
    elif callback_data.then == "missing":
        await show_missing(query.message, ref, cycle)
    else:
        await query.message.answer(f"已选择{ref.agency} {ref.year} 年度报告，请重新发送刚才的命令或文件。")


def build_router() -> Router:
    """A fresh router (a router joins one dispatcher only; tests and benchmarks build several)."""
    router = Router(name="choosing")
    router.message.register(choose, Command("cycle"))
    router.callback_query.register(cycle_chosen, CycleData.filter())
    return router
