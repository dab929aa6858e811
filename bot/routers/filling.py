"""Officers fill the draft: what is missing, a guided walk through the missing cells, edits and prose.

The walk keeps, in the conversation state, the cycle it works on, the format with its variant, and the cell
each question asked for (by the question's message). Updates of one chat are handled one at a time
(``bot.app``), so an answer goes to the cell of the question before it, or to the question it replies to;
an answer that cannot be tied to one question is refused, never guessed.
"""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.formatting import Text, as_list

from bot import choice
from bot.cycle import CycleGateway, CycleRef, RefusalError
from bot.identity import Identity
from bot.keyboards import EditData, FillData, edit_keyboard, fill_keyboard
from bot.presenters import DURABLE, PROSE_NAMES, cell_question, missing_summary, progress, saved, split_label
from contracts import EditResult, Role
from domain.formats import ReportFormat, report_format
from domain.values import format_value

SKIP, ALL_ZERO, LAST_YEAR = "跳过", "全部为0", "同上年"
MAX_EDIT_CHOICES = 8
# Questions remembered for answers sent as a reply to them (older ones are refused as expired), and
# answers remembered as handled.
KEPT = 20


class Filling(StatesGroup):
    answering = State()
    editing = State()
    prose = State()


def walk_format(data: dict[str, Any]) -> ReportFormat:
    return report_format(data["format_id"], legacy_other_row=data["variant"] == "legacy_other")


def cycle_of(data: dict[str, Any]) -> CycleRef:
    return CycleRef(data["agency"], data["year"])


async def ask_next(
    message: Message,
    state: FSMContext,
    cycle: CycleGateway,
    lead: Text | None = None,
    edit: EditResult | None = None,
) -> None:
    """Ask the first missing cell not skipped, or say that the walk is over.

    After an accepted edit its result already says what is missing, which saves a status query. The
    answer that led here is remembered as handled, so the same message delivered again (a bot stopped
    before it confirmed its updates) is not taken for the answer to the next question.
    """
    data = await state.get_data()
    ref = cycle_of(data)
    if edit is None:
        status = await cycle.status(ref.agency, ref.year)
        missing, filled, total = status.missing, status.filled, status.total
        lead = lead or Text(f"{status.agency_name} {status.year} 年度报告 · 逐项填报")
    else:
        missing, filled, total = edit.missing, edit.filled, edit.total
    skipped = set(data.get("skipped", ()))
    key = next((k for k in missing if k not in skipped), None)
    if key is None:
        await state.clear()
        done = Text(f"逐项填报结束，{progress(filled, total)}。发送 /missing 查看仍缺的项目。")
        await message.answer(**(as_list(lead, done) if lead else done).as_kwargs())
        return
    question = cell_question(walk_format(data).cell(key), filled, total)
    sent = await message.answer(**(as_list(lead, Text(), question) if lead else question).as_kwargs())
    asked = {**data.get("asked", {}), message_key(sent): key}
    handled = [*data.get("handled", ()), message_key(message)]
    await state.update_data(cell=key, asked=dict(list(asked.items())[-KEPT:]), handled=handled[-KEPT:])


def message_key(message: Message) -> str:
    """A message by id and time: ids start again at 1 on a new local Bot API server, times do not."""
    return f"{message.message_id}@{int(message.date.timestamp())}"


def asked_cell(message: Message, data: dict[str, Any]) -> str | None:
    """The cell this answer is for: the question it replies to, else the last question asked."""
    replied = message.reply_to_message
    if replied is None or not replied.from_user or not replied.from_user.is_bot:
        return str(data["cell"])
    key = data.get("asked", {}).get(message_key(replied))
    return str(key) if key is not None else None


async def missing(message: Message, identity: Identity, state: FSMContext, cycle: CycleGateway) -> None:
    ref = await choice.officer_cycle(message, identity, state, cycle, "missing")
    if ref is not None:
        await show_missing(message, ref, cycle)


async def show_missing(message: Message, ref: CycleRef, cycle: CycleGateway) -> None:
    try:
        status = await cycle.status(ref.agency, ref.year)
        fmt = await cycle.report_format(ref.agency, ref.year)
    except RefusalError as refusal:
        await message.answer(str(refusal))
        return
    keyboard = fill_keyboard(ref.agency, ref.year)
    await message.answer(**missing_summary(status, fmt).as_kwargs(), reply_markup=keyboard)


async def start_walk(message: Message, state: FSMContext, cycle: CycleGateway, ref: CycleRef) -> None:
    try:
        fmt = await cycle.report_format(ref.agency, ref.year)
    except RefusalError as refusal:
        await message.answer(str(refusal))
        return
    await state.set_state(Filling.answering)
    await state.set_data(
        {
            "agency": ref.agency,
            "year": ref.year,
            "format_id": fmt.id.value,
            "variant": fmt.variant,
            "skipped": [],
        }
    )
    try:
        await ask_next(message, state, cycle)
    except RefusalError as refusal:
        await state.clear()
        await message.answer(str(refusal))


async def fill(message: Message, identity: Identity, state: FSMContext, cycle: CycleGateway) -> None:
    ref = await choice.officer_cycle(message, identity, state, cycle, "fill")
    if ref is not None:
        await start_walk(message, state, cycle, ref)


async def fill_pressed(
    query: CallbackQuery, callback_data: FillData, identity: Identity, state: FSMContext, cycle: CycleGateway
) -> None:
    await query.answer()
    if not isinstance(query.message, Message):
        return
    if callback_data.year and callback_data.agency in identity.agencies(Role.OFFICER):
        await start_walk(query.message, state, cycle, CycleRef(callback_data.agency, callback_data.year))
    else:
        await fill(query.message, identity, state, cycle)


async def stop(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer("已暂停填报。发送 /fill 可继续。")


async def answer(message: Message, identity: Identity, state: FSMContext, cycle: CycleGateway) -> None:
    data = await state.get_data()
    if message_key(message) in data.get("handled", ()):
        return
    key = asked_cell(message, data)
    if key is None:
        await message.answer("未保存：这条回复对应的问题已过期，无法确定是哪一项。请回复最新的问题。")
        return
    ref, spec, text = cycle_of(data), walk_format(data).cell(key), (message.text or "").strip()
    if text == SKIP:
        await state.update_data(skipped=[*data["skipped"], spec.key])
        await ask_next(message, state, cycle, Text("已跳过，稍后可用 /fill 再填。"))
        return
    if text == LAST_YEAR:
        last_year = await cycle.last_year_value(ref.agency, ref.year, spec.key)
        if last_year is None:
            await message.answer(f"{ref.year - 1}年度已发布的报告中没有这一项的数字，请直接填写数字。")
            return
        text = format_value(last_year)
    values = {spec.key: text}
    if text == ALL_ZERO:
        values = await _section_zeros(data, spec.key, cycle)
    try:
        result = await cycle.set_cells(ref.agency, ref.year, identity.actor, values)
    except RefusalError as refusal:
        await message.answer(**Text("未保存：", str(refusal), "\n请重新输入这一项。").as_kwargs())
        return
    lead = (
        saved(spec, result)
        if text != ALL_ZERO
        else Text(f"{split_label(spec)[0]}：其余 {len(values)} 项已填0（{DURABLE}）。")
    )
    await ask_next(message, state, cycle, lead, result)


async def _section_zeros(data: dict[str, Any], key: str, cycle: CycleGateway) -> dict[str, str]:
    """0 for every still-missing cell in the section of ``key`` (全部为0), except those skipped for later."""
    ref, fmt = cycle_of(data), walk_format(data)
    status = await cycle.status(ref.agency, ref.year)
    section, skipped = split_label(fmt.cell(key))[0], set(data["skipped"])
    return {k: "0" for k in status.missing if k not in skipped and split_label(fmt.cell(k))[0] == section}


async def edit(
    message: Message, command: CommandObject, identity: Identity, state: FSMContext, cycle: CycleGateway
) -> None:
    if identity.agencies(Role.OFFICER) and not command.args:
        await message.answer("用法：/edit 关键词，例如 /edit 自然人")
        return
    ref = await choice.officer_cycle(message, identity, state, cycle, "edit")
    if ref is None or not command.args:
        return
    cells = (await cycle.report_format(ref.agency, ref.year)).cells
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
    await message.answer(
        f"请选择要修改的项目{more}：", reply_markup=edit_keyboard(ref.agency, ref.year, shown)
    )


async def edit_pressed(
    query: CallbackQuery, callback_data: EditData, identity: Identity, state: FSMContext, cycle: CycleGateway
) -> None:
    if callback_data.agency not in identity.agencies(Role.OFFICER) or not isinstance(query.message, Message):
        await query.answer("您无权修改这份报告。", show_alert=True)
        return
    fmt = await cycle.report_format(callback_data.agency, callback_data.year)
    if not 0 <= callback_data.index < len(fmt.cells):
        await query.answer("此按钮已失效。", show_alert=True)
        return
    await query.answer()
    spec = fmt.cells[callback_data.index]
    await state.set_state(Filling.editing)
    await state.set_data(
        {"agency": callback_data.agency, "year": callback_data.year, "cell": spec.key}
        | {"format_id": fmt.id.value, "variant": fmt.variant}
    )
    await query.message.answer(**Text("请输入新的数值：", split_label(spec)[1]).as_kwargs())


async def edit_value(message: Message, identity: Identity, state: FSMContext, cycle: CycleGateway) -> None:
    data = await state.get_data()
    ref = cycle_of(data)
    try:
        result = await cycle.set_cells(
            ref.agency, ref.year, identity.actor, {data["cell"]: (message.text or "").strip()}
        )
    except RefusalError as refusal:
        await message.answer(**Text("未保存：", str(refusal), "\n请重新输入这一项。").as_kwargs())
        return
    await state.clear()
    await message.answer(**saved(walk_format(data).cell(data["cell"]), result).as_kwargs())


async def prose(
    message: Message, command: CommandObject, identity: Identity, state: FSMContext, cycle: CycleGateway
) -> None:
    section = f"s{(command.args or '').strip()}"
    if not identity.agencies(Role.OFFICER) or section not in PROSE_NAMES:
        await message.answer("用法：/prose 1（总体情况）、/prose 5（问题及改进）或 /prose 6（其他事项）")
        return
    ref = await choice.officer_cycle(message, identity, state, cycle, "prose")
    if ref is None:
        return
    await state.set_state(Filling.prose)
    await state.set_data({"agency": ref.agency, "year": ref.year, "section": section})
    await message.answer(f"请发送“{PROSE_NAMES[section]}”的全文（一条消息）。")


async def prose_text(message: Message, identity: Identity, state: FSMContext, cycle: CycleGateway) -> None:
    data = await state.get_data()
    ref = cycle_of(data)
    try:
        result = await cycle.set_prose(
            ref.agency, ref.year, identity.actor, data["section"], message.text or ""
        )
    except RefusalError as refusal:
        await message.answer(**Text("未保存：", str(refusal)).as_kwargs())
        return
    await state.clear()
    name, done = PROSE_NAMES[data["section"]], progress(result.filled, result.total)
    await message.answer(f"已保存“{name}”（{DURABLE}）。{done}")


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
