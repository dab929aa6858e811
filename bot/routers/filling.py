"""Officers fill the draft: what is missing, a guided walk through the missing cells, edits and prose."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.formatting import Text, as_list

from bot.cycle import CycleGateway, RefusalError
from bot.identity import Identity
from bot.keyboards import EditData, FillData, edit_keyboard, fill_keyboard
from bot.presenters import (
    PROSE_NAMES,
    cell_question,
    missing_summary,
    progress,
    saved,
    split_label,
)
from contracts import EditResult, Role
from domain.formats import CellSpec, report_format
from domain.values import format_value

SKIP, ALL_ZERO, LAST_YEAR = "跳过", "全部为0", "同上年"
MAX_EDIT_CHOICES = 8


class Filling(StatesGroup):
    answering = State()
    editing = State()
    prose = State()


def officer_agency(identity: Identity) -> str | None:
    agencies = identity.agencies(Role.OFFICER)
    return agencies[0] if agencies else None


async def ask_next(
    message: Message,
    state: FSMContext,
    cycle: CycleGateway,
    lead: Text | None = None,
    edit: EditResult | None = None,
) -> None:
    """Ask the first missing cell not skipped, or say that the walk is over.

    After an accepted edit its result already says what is missing, which saves a status query.
    """
    data = await state.get_data()
    if edit is None or "format_id" not in data:
        status = await cycle.status(data["agency"])
        format_id, missing, filled, total = status.format_id, status.missing, status.filled, status.total
    else:
        format_id, missing, filled, total = data["format_id"], edit.missing, edit.filled, edit.total
    skipped = set(data.get("skipped", ()))
    key = next((k for k in missing if k not in skipped), None)
    if key is None:
        await state.clear()
        done = Text(f"逐项填报结束，{progress(filled, total)}。发送 /missing 查看仍缺的项目。")
        await message.answer(**(as_list(lead, done) if lead else done).as_kwargs())
        return
    await state.update_data(cell=key, format_id=format_id)
    question = cell_question(report_format(format_id).cell(key), filled, total)
    await message.answer(**(as_list(lead, Text(), question) if lead else question).as_kwargs())


async def missing(message: Message, identity: Identity, cycle: CycleGateway) -> None:
    agency = officer_agency(identity)
    if agency is None:
        await message.answer("您不是信息公开工作人员，没有需要填报的报告。")
        return
    try:
        status = await cycle.status(agency)
    except RefusalError as refusal:
        await message.answer(str(refusal))
        return
    await message.answer(**missing_summary(status).as_kwargs(), reply_markup=fill_keyboard(agency))


async def start_walk(message: Message, identity: Identity, state: FSMContext, cycle: CycleGateway) -> None:
    agency = officer_agency(identity)
    if agency is None:
        await message.answer("您不是信息公开工作人员，没有需要填报的报告。")
        return
    await state.set_state(Filling.answering)
    await state.set_data({"agency": agency, "skipped": []})
    try:
        await ask_next(message, state, cycle)
    except RefusalError as refusal:
        await state.clear()
        await message.answer(str(refusal))


async def fill(message: Message, identity: Identity, state: FSMContext, cycle: CycleGateway) -> None:
    await start_walk(message, identity, state, cycle)


async def fill_pressed(
    query: CallbackQuery, identity: Identity, state: FSMContext, cycle: CycleGateway
) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await start_walk(query.message, identity, state, cycle)


async def stop(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer("已暂停填报。发送 /fill 可继续。")


async def answer(message: Message, identity: Identity, state: FSMContext, cycle: CycleGateway) -> None:
    data = await state.get_data()
    spec = report_format(data["format_id"]).cell(data["cell"])
    text = (message.text or "").strip()
    if text == SKIP:
        await state.update_data(skipped=[*data["skipped"], spec.key])
        await ask_next(message, state, cycle, Text("已跳过，稍后可用 /fill 再填。"))
        return
    if text == LAST_YEAR:
        last_year = await cycle.last_year_value(data["agency"], spec.key)
        if last_year is None:
            await message.answer(f"{cycle.year - 1}年度已发布的报告中没有这一项的数字，请直接填写数字。")
            return
        text = format_value(last_year)
    values = {spec.key: text}
    if text == ALL_ZERO:
        values = await _section_zeros(spec, data["agency"], set(data["skipped"]), cycle)
    try:
        result = await cycle.set_cells(data["agency"], identity.actor, values)
    except RefusalError as refusal:
        await message.answer(**Text("未保存：", str(refusal), "\n请重新输入这一项。").as_kwargs())
        return
    lead = (
        saved(spec, result)
        if text != ALL_ZERO
        else Text(f"{split_label(spec)[0]}：其余 {len(values)} 项已填0。")
    )
    await ask_next(message, state, cycle, lead, result)


async def _section_zeros(
    spec: CellSpec, agency: str, skipped: set[str], cycle: CycleGateway
) -> dict[str, str]:
    """0 for every still-missing cell in the section of ``spec`` (全部为0), except those skipped for later."""
    status = await cycle.status(agency)
    fmt = report_format(status.format_id)
    section = split_label(spec)[0]
    return {
        key: "0" for key in status.missing if key not in skipped and split_label(fmt.cell(key))[0] == section
    }


async def edit(message: Message, command: CommandObject, identity: Identity, cycle: CycleGateway) -> None:
    agency = officer_agency(identity)
    if agency is None or not command.args:
        await message.answer("用法：/edit 关键词，例如 /edit 自然人")
        return
    status = await cycle.status(agency)
    cells = report_format(status.format_id).cells
    words = command.args.split()
    choices = [
        (i, split_label(c)[1])
        for i, c in enumerate(cells)
        if not c.key.startswith("meta.") and all(w in c.label for w in words)
    ]
    if not choices:
        await message.answer(f"没有找到包含“{command.args}”的项目，请换个关键词。")
        return
    shown = choices[:MAX_EDIT_CHOICES]
    more = (
        f"（共 {len(choices)} 项，只列出前 {len(shown)} 项，可加关键词缩小范围）"
        if len(choices) > len(shown)
        else ""
    )
    await message.answer(f"请选择要修改的项目{more}：", reply_markup=edit_keyboard(agency, shown))


async def edit_pressed(
    query: CallbackQuery, callback_data: EditData, identity: Identity, state: FSMContext, cycle: CycleGateway
) -> None:
    if callback_data.agency != officer_agency(identity) or not isinstance(query.message, Message):
        await query.answer("您无权修改这份报告。", show_alert=True)
        return
    status = await cycle.status(callback_data.agency)
    cells = report_format(status.format_id).cells
    if not 0 <= callback_data.index < len(cells):
        await query.answer("此按钮已失效。", show_alert=True)
        return
    await query.answer()
    await state.set_state(Filling.editing)
    await state.set_data({"agency": callback_data.agency, "cell": cells[callback_data.index].key})
    await query.message.answer(
        **Text("请输入新的数值：", split_label(cells[callback_data.index])[1]).as_kwargs()
    )


async def edit_value(message: Message, identity: Identity, state: FSMContext, cycle: CycleGateway) -> None:
    data = await state.get_data()
    try:
        result = await cycle.set_cells(
            data["agency"], identity.actor, {data["cell"]: (message.text or "").strip()}
        )
    except RefusalError as refusal:
        await message.answer(**Text("未保存：", str(refusal), "\n请重新输入这一项。").as_kwargs())
        return
    await state.clear()
    status = await cycle.status(data["agency"])
    await message.answer(**saved(report_format(status.format_id).cell(data["cell"]), result).as_kwargs())


async def prose(message: Message, command: CommandObject, identity: Identity, state: FSMContext) -> None:
    agency = officer_agency(identity)
    section = f"s{(command.args or '').strip()}"
    if agency is None or section not in PROSE_NAMES:
        await message.answer("用法：/prose 1（总体情况）、/prose 5（问题及改进）或 /prose 6（其他事项）")
        return
    await state.set_state(Filling.prose)
    await state.set_data({"agency": agency, "section": section})
    await message.answer(f"请发送“{PROSE_NAMES[section]}”的全文（一条消息）。")


async def prose_text(message: Message, identity: Identity, state: FSMContext, cycle: CycleGateway) -> None:
    data = await state.get_data()
    try:
        result = await cycle.set_prose(data["agency"], identity.actor, data["section"], message.text or "")
    except RefusalError as refusal:
        await message.answer(**Text("未保存：", str(refusal)).as_kwargs())
        return
    await state.clear()
    await message.answer(f"已保存“{PROSE_NAMES[data['section']]}”。{progress(result.filled, result.total)}")


def build_router() -> Router:
    """A fresh router (a router joins one dispatcher only; tests and benchmarks build several)."""
    router = Router(name="filling")
    # Commands first, so that /edit or /ready in the middle of a walk is a command, not an answer.
    router.message.register(missing, Command("missing"))
    router.message.register(fill, Command("fill"))
    router.callback_query.register(fill_pressed, FillData.filter())
    router.message.register(stop, Command("stop"), StateFilter(Filling))
    router.message.register(edit, Command("edit"))
    router.callback_query.register(edit_pressed, EditData.filter())
    router.message.register(prose, Command("prose"))
    router.message.register(answer, Filling.answering, F.text)
    router.message.register(edit_value, Filling.editing, F.text)
    router.message.register(prose_text, Filling.prose, F.text)
    return router
