"""``/start CODE`` binds the chat to a person through an invite; ``/start`` and ``/help`` explain the bot."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import Message
from aiogram.utils.formatting import Bold, Text, as_list, as_marked_list

from bot.identity import Directory, Identity, RegistrationRefusedError
from contracts import ROLE_LABELS, Role

COMMANDS: dict[Role, tuple[str, ...]] = {
    Role.OFFICER: ("/missing 查看缺项", "/fill 逐项填报", "/edit 关键词 修改已填项", "/prose 1|5|6 填写文字部分",
                   "发送 .docx/.txt 年报文件 自动导入", "/ready 提请校验", "/findings 查看校验结果",
                   "/cycle 选择要处理的年度报告（有多份时）"),
    Role.REVIEWER: ("/review 查看待审核的报告",),
    Role.HEAD: ("/review 查看待审核的报告",),
    Role.COORDINATOR: ("/status 各单位进度", "/overdue 逾期单位", "/remind 单位代码 [年度] 催办", "/report 单位代码 [年度] 报告概况", "/invite 单位代码 角色 签发邀请码"),
}  # fmt: skip


def welcome(identity: Identity) -> Text:
    roles = [f"{code}：{ROLE_LABELS[role]}" for code, role in identity.roles]
    commands = dict.fromkeys(c for _, role in identity.roles for c in COMMANDS[role])
    return as_list(
        Bold(f"{identity.name}，您好！"),
        Text("您的身份："),
        as_marked_list(*roles),
        Text("可用操作："),
        as_marked_list(*commands),
    )


async def start(
    message: Message, command: CommandObject, identity: Identity | None, directory: Directory
) -> None:
    if not command.args:
        if identity is not None:
            await message.answer(**welcome(identity).as_kwargs())
        return
    user = message.from_user
    name = user.full_name if user else "未署名"
    try:
        identity = await directory.redeem(code=command.args.strip(), chat_id=message.chat.id, name=name)
    except RegistrationRefusedError as refusal:
        await message.answer(str(refusal))
        return
    await message.answer(**as_list(Text("登记成功。"), welcome(identity)).as_kwargs())


async def help_(message: Message, identity: Identity) -> None:
    await message.answer(**welcome(identity).as_kwargs())


def build_router() -> Router:
    """A fresh router (a router joins one dispatcher only; tests and benchmarks build several)."""
    router = Router(name="registration")
    router.message.register(start, CommandStart())
    router.message.register(help_, Command("help"))
    return router
