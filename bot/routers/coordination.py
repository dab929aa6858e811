"""Coordinators watch every agency they coordinate: /status, /overdue, /remind AGENCY, /report AGENCY."""

from __future__ import annotations

import asyncio
from collections import Counter

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from aiogram.utils.formatting import Bold, Code, Text, as_list, as_marked_list

from bot.cycle import CycleGateway, CycleRef, RefusalError
from bot.identity import Directory, Identity, RegistrationRefusedError
from bot.presenters import findings_list, missing_summary, report_file, status_line
from contracts import ROLE_LABELS, CycleStatus, Role


async def _statuses(identity: Identity, cycle: CycleGateway) -> list[CycleStatus]:
    """The open cycles of every agency the person coordinates, of any year: newest year first."""

    async def one(ref: CycleRef) -> CycleStatus | None:
        try:
            return await cycle.status(ref.agency, ref.year)
        except RefusalError:
            return None

    found = await asyncio.gather(*map(one, await cycle.open_cycles(identity.agencies(Role.COORDINATOR))))
    return sorted(
        (s for s in found if s is not None),
        key=lambda s: (-s.year, not s.overdue, -s.days_left, s.agency_code),
    )


async def _target(command: CommandObject, identity: Identity, cycle: CycleGateway) -> CycleRef | None:
    """``AGENCY [YEAR]`` of a coordinated agency; without a year, its newest open cycle."""
    words = (command.args or "").split()
    if not 1 <= len(words) <= 2 or not _may_coordinate(identity, words[0]):
        return None
    if len(words) == 2:
        return CycleRef(words[0], int(words[1])) if words[1].isdigit() else None
    refs = await cycle.open_cycles((words[0],))
    if not refs:
        raise RefusalError(f"{words[0]}目前没有进行中的年度报告工作")
    return refs[0]


def _may_coordinate(identity: Identity, agency: str) -> bool:
    return agency in identity.agencies(Role.COORDINATOR)


async def status(message: Message, identity: Identity, cycle: CycleGateway) -> None:
    if not identity.has(Role.COORDINATOR):
        await message.answer("此命令仅供政务公开主管部门使用。")
        return
    statuses = await _statuses(identity, cycle)
    if not statuses:
        await message.answer("尚无进行中的年报。")
        return
    parts: list[Text] = []
    for year in sorted({s.year for s in statuses}, reverse=True):
        of_year = [s for s in statuses if s.year == year]
        counts = Counter(s.stage_label for s in of_year)
        summary = "，".join(f"{label} {n} 家" for label, n in counts.items())
        parts += [Bold(f"{year} 年度报告进度"), Text(summary), as_marked_list(*map(status_line, of_year))]
    await message.answer(**as_list(*parts).as_kwargs())


async def overdue(message: Message, identity: Identity, cycle: CycleGateway) -> None:
    if not identity.has(Role.COORDINATOR):
        await message.answer("此命令仅供政务公开主管部门使用。")
        return
    late = [s for s in await _statuses(identity, cycle) if s.overdue]
    if not late:
        await message.answer("目前没有逾期的单位。")
        return
    await message.answer(
        **as_list(Bold(f"逾期单位 {len(late)} 家"), as_marked_list(*map(status_line, late))).as_kwargs()
    )


async def remind(message: Message, command: CommandObject, identity: Identity, cycle: CycleGateway) -> None:
    target = await _target(command, identity, cycle)
    if target is None:
        await message.answer("用法：/remind 单位代码 [年度]（仅限您负责的单位）")
        return
    try:
        reminded = await cycle.remind(target.agency, target.year, identity.actor)
    except RefusalError as refusal:
        await message.answer(str(refusal))
        return
    await message.answer(f"已向{target.agency}的 {reminded} 人发出催办提醒（{target.year} 年度报告）。")


async def report(message: Message, command: CommandObject, identity: Identity, cycle: CycleGateway) -> None:
    target = await _target(command, identity, cycle)
    if target is None:
        await message.answer("用法：/report 单位代码 [年度]（仅限您负责的单位）")
        return
    try:
        current = await cycle.status(target.agency, target.year)
        draft = await cycle.draft(target.agency, target.year)
    except RefusalError as refusal:
        await message.answer(str(refusal))
        return
    summary = missing_summary(current, draft.format)
    await message.answer(**as_list(summary, findings_list(current.findings)).as_kwargs())
    caption = f"当前草稿（第{current.revision}版，{current.stage_label}）"
    await message.answer_document(await asyncio.to_thread(report_file, draft), caption=caption)


async def invite(message: Message, command: CommandObject, identity: Identity, directory: Directory) -> None:
    words = (command.args or "").split()
    roles = {role.value: role for role in Role} | {label: role for role, label in ROLE_LABELS.items()}
    if len(words) != 2 or not _may_coordinate(identity, words[0]) or words[1] not in roles:
        await message.answer("用法：/invite 单位代码 officer|reviewer|head|coordinator（仅限您负责的单位）")
        return
    try:
        issued = await directory.issue_invite(
            agency_code=words[0], role=roles[words[1]], issued_by=identity.person_id
        )
    except RegistrationRefusedError as refusal:
        await message.answer(str(refusal))
        return
    await message.answer(
        **as_list(
            Text(
                f"{issued.agency_code} {ROLE_LABELS[issued.role]}的邀请码（仅可使用一次，{issued.expires_at} 前有效）："
            ),
            Code(issued.code),
            Text("请将“/start ", issued.code, "”转告本人，由其发送给本助手。"),
        ).as_kwargs()
    )


def build_router() -> Router:
    """A fresh router (a router joins one dispatcher only; tests and benchmarks build several)."""
    router = Router(name="coordination")
    router.message.register(status, Command("status"))
    router.message.register(overdue, Command("overdue"))
    router.message.register(remind, Command("remind"))
    router.message.register(report, Command("report"))
    router.message.register(invite, Command("invite"))
    return router
