"""An officer sends a filled .docx or .txt report: the importer reads it, the draft takes it, gaps are listed."""

from __future__ import annotations

import asyncio
import io

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram.utils.formatting import Text, as_list, as_marked_list

from bot import choice
from bot.cycle import CycleGateway, CycleRef, RefusalError
from bot.identity import Identity
from bot.presenters import missing_summary
from contracts import Role
from domain.document import to_document
from domain.errors import NianbaoError
from domain.importing import ImportResult, read_bytes

ACCEPTED = (".docx", ".txt")
MAX_BYTES = 20 * 1024 * 1024
MAX_LISTED = 10


async def uploaded(
    message: Message, bot: Bot, identity: Identity, state: FSMContext, cycle: CycleGateway
) -> None:
    document = message.document
    if document is None or not identity.agencies(Role.OFFICER):
        await message.answer("只有信息公开工作人员可以上传年报文件。")
        return
    name = document.file_name or "年报"
    if not name.lower().endswith(ACCEPTED) or (document.file_size or 0) > MAX_BYTES:
        await message.answer("请上传 .docx 或 .txt 格式、不超过 20MB 的年报文件。")
        return
    buffer = io.BytesIO()
    await bot.download(document.file_id, destination=buffer)
    try:
        imported = await asyncio.to_thread(read_bytes, buffer.getvalue(), source=name, partial_ok=True)
    except NianbaoError as refusal:
        await message.answer(**Text("未导入：", str(refusal)).as_kwargs())
        return
    ref = await _cycle_for(message, identity, state, cycle, imported.report.year)
    if ref is None:
        return
    try:
        result = await cycle.submit(ref.agency, ref.year, identity.actor, to_document(imported.report), name)
        status = await cycle.status(ref.agency, ref.year)
        fmt = await cycle.report_format(ref.agency, ref.year)
    except RefusalError as refusal:
        await message.answer(**Text("未导入：", str(refusal)).as_kwargs())
        return
    head = Text(f"已从“{name}”导入 {result.filled}/{result.total} 项。")
    await message.answer(**as_list(head, missing_summary(status, fmt), *_doubts(imported)).as_kwargs())


async def _cycle_for(
    message: Message, identity: Identity, state: FSMContext, cycle: CycleGateway, year: int | None
) -> CycleRef | None:
    """The open cycle of the year the report is about, when exactly one is; else the officer's choice."""
    of_year = [ref for ref in await choice.officer_cycles(identity, cycle) if ref.year == year]
    if len(of_year) == 1:
        return of_year[0]
    return await choice.officer_cycle(message, identity, state, cycle, "upload")


def _doubts(imported: ImportResult) -> list[Text]:
    doubts = [a.describe() for a in imported.ambiguities] + list(imported.warnings)
    if not doubts:
        return []
    listed = as_marked_list(*doubts[:MAX_LISTED])
    more = Text(f"另有 {len(doubts) - MAX_LISTED} 条未列出。") if len(doubts) > MAX_LISTED else Text()
    return [Text("以下内容无法确定，已留空，请核对后用 /fill 或 /edit 补填："), listed, more]


def build_router() -> Router:
    """A fresh router (a router joins one dispatcher only; tests and benchmarks build several)."""
    router = Router(name="upload")
    router.message.register(uploaded, F.document)
    return router
