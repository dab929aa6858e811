"""Which cycle a person's command is about: the only one open, the one they chose before, or a question.

A person may hold roles at several agencies, and an agency may have cycles of several years open at once
(a late 2019 report next to this year's). The choice is remembered in its own FSM record (destiny
``cycle``), so finishing or abandoning a walk never forgets it, and it survives a restart with the rest
of the conversation.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.cycle import CycleGateway, CycleRef, RefusalError
from bot.identity import Identity
from bot.keyboards import cycles_keyboard
from contracts import Role, Stage

CHOICE_DESTINY = "cycle"
NOT_OFFICER = "您不是信息公开工作人员，没有需要填报的报告。"


def _memory(state: FSMContext) -> FSMContext:
    return FSMContext(state.storage, replace(state.key, destiny=CHOICE_DESTINY))


async def remember(state: FSMContext, ref: CycleRef) -> None:
    await _memory(state).set_data({"agency": ref.agency, "year": ref.year})


async def forget(state: FSMContext) -> None:
    await _memory(state).set_data({})


async def officer_cycles(identity: Identity, cycle: CycleGateway) -> tuple[CycleRef, ...]:
    """The cycles the officer may still fill."""
    return await fillable(await cycle.open_cycles(identity.agencies(Role.OFFICER)), cycle)


async def fillable(refs: tuple[CycleRef, ...], cycle: CycleGateway) -> tuple[CycleRef, ...]:
    """Published cycles stay open only for a correction (更正), not for filling.

    The listing's stage may lag behind a cycle that has just published: where it would leave a choice,
    each cycle's own status decides.
    """
    refs = tuple(ref for ref in refs if ref.stage is not Stage.PUBLISHED)
    if len(refs) < 2:
        return refs
    stages = await asyncio.gather(*(_stage(ref, cycle) for ref in refs))
    return tuple(ref for ref, stage in zip(refs, stages, strict=True) if stage not in (None, Stage.PUBLISHED))


async def _stage(ref: CycleRef, cycle: CycleGateway) -> Stage | None:
    try:
        return (await cycle.status(ref.agency, ref.year)).stage
    except RefusalError:
        return None


async def officer_cycle(
    message: Message, identity: Identity, state: FSMContext, cycle: CycleGateway, then: str
) -> CycleRef | None:
    """The cycle an officer's command ``then`` is about, or None once the officer was told why or asked."""
    agencies = identity.agencies(Role.OFFICER)
    if not agencies:
        await message.answer(NOT_OFFICER)
        return None
    running = await cycle.open_cycles(agencies)
    refs = await fillable(running, cycle)
    if not refs:
        done = "的年度报告均已发布" if running else "的年度报告工作尚未启动"
        await message.answer(f"{'、'.join(agencies)}{done}，目前没有需要填报的报告。")
        return None
    if len(refs) == 1:
        return refs[0]
    chosen = await _memory(state).get_data()
    for ref in refs:
        if (ref.agency, ref.year) == (chosen.get("agency"), chosen.get("year")):
            return ref
    await ask(message, refs, then, cycle)
    return None


async def ask(message: Message, refs: tuple[CycleRef, ...], then: str, cycle: CycleGateway) -> None:
    """Buttons for ``refs``, each named as officers say it (区工信局 2019 年度报告（起草中）)."""
    choices = [(ref.agency, ref.year, await _label(ref, cycle)) for ref in refs]
    await message.answer(
        "您有多份进行中的年度报告，请选择要处理的一份（之后可发送 /cycle 重新选择）：",
        reply_markup=cycles_keyboard(choices, then),
    )


async def _label(ref: CycleRef, cycle: CycleGateway) -> str:
    try:
        status = await cycle.status(ref.agency, ref.year)
    except RefusalError:
        return f"{ref.agency} {ref.year} 年度报告"
    return f"{status.agency_name} {ref.year} 年度报告（{status.stage_label}）"


def find(refs: tuple[CycleRef, ...], agency: str, year: int) -> CycleRef | None:
    return next((ref for ref in refs if (ref.agency, ref.year) == (agency, year)), None)
