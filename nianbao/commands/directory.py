"""``nianbao agencies``, ``nianbao people`` and ``nianbao invite``: who reports, who fills, who signs off.

Each command reads the settings, brings the database to the newest schema, and runs in one transaction:
a refused command (exit 1) or an unreadable file (exit 2) changes nothing.
"""

from __future__ import annotations

import argparse
import csv
import getpass
import io
import json
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session

from domain.errors import NianbaoError
from domain.times import beijing_time
from nianbao.settings import Settings, SettingsError, load_settings
from storage.agencies import get_agency, import_agencies, list_agencies, parse_agency_csv
from storage.credentials import set_password
from storage.engine import make_engine, session_scope
from storage.errors import InvalidEntryError
from storage.invites import create_invite
from storage.kinds import AGENCY_KIND_LABELS, ROLE_LABELS, AgencyKind, Channel, RoleName, parse_role
from storage.migrate import upgrade
from storage.people import add_person_with_role, find_person, list_people, roles_of, unassigned_agencies
from storage.people_import import import_people, parse_people_csv

EXIT_OK, EXIT_REFUSED, EXIT_UNREADABLE = 0, 1, 2
ROLE_CHOICES = "|".join(role.value for role in RoleName)

Action = Callable[[Session, argparse.Namespace, Settings], None]


class UnreadableInputError(Exception):
    """A file named on the command line cannot be read; the message is Chinese."""


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``agencies``, ``people`` and ``invite`` to the ``nianbao`` parser."""
    agencies = subparsers.add_parser("agencies", help="机关名录：导入、列出")
    agency_commands = agencies.add_subparsers(dest="agencies_command", required=True, metavar="SUBCOMMAND")
    importing = agency_commands.add_parser("import", help="从 CSV（code,name,kind,parent）导入或更新机关")
    importing.add_argument("file", type=Path, metavar="FILE.csv")
    importing.set_defaults(handler=_handler(_import_agencies))
    listing = agency_commands.add_parser("list", help="列出全部机关")
    listing.add_argument("--json", action="store_true", help="输出 JSON")
    listing.set_defaults(handler=_handler(_list_agencies))

    people = subparsers.add_parser("people", help="人员与角色：添加、列出")
    people_commands = people.add_subparsers(dest="people_command", required=True, metavar="SUBCOMMAND")
    adding = people_commands.add_parser("add", help="添加人员或为已有人员增加角色")
    adding.add_argument("--name", required=True, help="姓名")
    adding.add_argument("--agency", required=True, help="机关代码")
    adding.add_argument("--role", required=True, metavar=ROLE_CHOICES, help="角色")
    adding.add_argument("--chat-id", help="聊天账号编号（可选）")
    adding.add_argument(
        "--code", help="人员代码：工号或手机号（同名人员在其他地区时必须指明；不指明时新人员得到 P编号）"
    )
    adding.set_defaults(handler=_handler(_add_person))
    people_import = people_commands.add_parser(
        "import", help="从 CSV（code,name,agency,role[,chat_id]）批量导入人员；任何一行有误则全部不导入"
    )
    people_import.add_argument("file", type=Path, metavar="FILE.csv")
    people_import.set_defaults(handler=_handler(_import_people))
    people_listing = people_commands.add_parser("list", help="列出人员及其角色")
    people_listing.add_argument("--agency", help="只列出该机关的人员")
    people_listing.set_defaults(handler=_handler(_list_people))
    password = people_commands.add_parser(
        "password", help="设置登录年报工作台的密码（从标准输入读取，不回显、不记录）"
    )
    password.add_argument("person", metavar="NAME", help="姓名或编号")
    password.set_defaults(handler=_handler(_set_password))

    invite = subparsers.add_parser("invite", help="签发一次性邀请码（在机器人中 /start 邀请码）")
    invite.add_argument("--agency", help="机关代码（与 --out 同用时：只为这些机关的人员签发）", nargs="+")
    invite.add_argument("--role", metavar=ROLE_CHOICES, help="角色")
    invite.add_argument(
        "--out",
        type=Path,
        metavar="FILE.csv",
        help="批量：为每位尚未绑定聊天账号的人员的每个角色签发专属邀请码，写入 CSV 以便分发",
    )
    invite.add_argument("--by", metavar="PERSON", help="签发人（须为协调人），姓名或编号")
    invite.add_argument("--for", dest="for_person", metavar="PERSON", help="只能由该人员使用，姓名或编号")
    invite.set_defaults(handler=_handler(_issue_invite))


def _handler(action: Action) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        try:
            settings = load_settings()
            upgrade(settings.database_url)
            engine = make_engine(settings.database_url)
            try:
                with session_scope(engine) as session:
                    action(session, args, settings)
            finally:
                engine.dispose()
        except UnreadableInputError as error:
            print(f"错误：{error}", file=sys.stderr)
            return EXIT_UNREADABLE
        except (NianbaoError, SettingsError) as error:
            print(f"错误：{error}", file=sys.stderr)
            return EXIT_REFUSED
        return EXIT_OK

    return run


def _read_text(path: Path) -> str:
    """A CSV saved by Excel on a Chinese Windows is GB18030, elsewhere UTF-8 (with or without BOM)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableInputError(f"文件 {path} 不存在") from None
    except IsADirectoryError:
        raise UnreadableInputError(f"{path} 是目录，不是文件") from None
    except PermissionError:
        raise UnreadableInputError(f"没有权限读取文件 {path}") from None
    except OSError as error:
        raise UnreadableInputError(f"无法读取文件 {path}（{error.strerror or error}）") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableInputError(f"文件 {path} 不是 UTF-8 或 GB18030 编码的文本")


def _import_agencies(session: Session, args: argparse.Namespace, _settings: Settings) -> None:
    rows = parse_agency_csv(_read_text(args.file))
    summary = import_agencies(session=session, rows=rows)
    governments = sum(row.kind is AgencyKind.GOVERNMENT for row in rows)
    print(
        f"已导入 {len(rows)} 个机关（政府 {governments} 个，部门 {len(rows) - governments} 个）："
        f"新增 {summary.created} 个，更新 {summary.updated} 个，"
        f"未变 {len(rows) - summary.created - summary.updated} 个。"
    )


def _list_agencies(session: Session, args: argparse.Namespace, _settings: Settings) -> None:
    agencies = list_agencies(session=session)
    if args.json:
        records = [
            {"code": a.code, "name": a.name, "kind": a.kind, "parent": a.parent_code, "active": a.active}
            for a in agencies
        ]
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return
    if not agencies:
        print("尚无机关。请先运行：nianbao agencies import FILE.csv")
        return
    names = {agency.code: agency.name for agency in agencies}
    for agency in agencies:
        parent = f"，隶属 {names.get(agency.parent_code, agency.parent_code)}" if agency.parent_code else ""
        inactive = "（已停用）" if not agency.active else ""
        print(
            f"{agency.code}\t{agency.name}\t{AGENCY_KIND_LABELS[AgencyKind(agency.kind)]}{parent}{inactive}"
        )
    print(f"共 {len(agencies)} 个机关。")


def _parse_chat_id(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        raise InvalidEntryError(f"聊天账号编号「{text}」应为整数") from None


def _add_person(session: Session, args: argparse.Namespace, _settings: Settings) -> None:
    role = parse_role(args.role)
    agency = get_agency(session=session, code=args.agency)
    grant = add_person_with_role(
        session=session,
        name=args.name,
        agency_code=agency.code,
        role=role,
        chat_id=_parse_chat_id(args.chat_id),
        channel=Channel.CLI,
        code=args.code,
    )
    who = f"{grant.person.name}（代码 {grant.person.code}）"
    what = f"{agency.name} {ROLE_LABELS[role]}"
    if grant.person_created:
        print(f"已添加人员 {who}，角色：{what}。")
    elif grant.role_added:
        print(f"人员 {who}已存在，已为其增加角色：{what}。")
    else:
        print(f"人员 {who}已是{what}，未作更改。")
    if args.chat_id is not None:
        print(f"聊天账号 {args.chat_id} 已绑定到 {who}。")


def _import_people(session: Session, args: argparse.Namespace, _settings: Settings) -> None:
    rows = parse_people_csv(session, _read_text(args.file))
    summary = import_people(session=session, rows=rows)
    print(
        f"已导入 {summary.rows} 行：新增人员 {summary.people_created} 人，新增角色 {summary.roles_added} 个。"
    )
    nobody = unassigned_agencies(session=session)
    if nobody:
        listed = "、".join(code for code, _name in nobody[:20]) + ("等" if len(nobody) > 20 else "")
        print(f"注意：{len(nobody)} 个机关仍没有填报人员：{listed}")


def _list_people(session: Session, args: argparse.Namespace, _settings: Settings) -> None:
    entries = list_people(session=session, agency_code=args.agency)
    if not entries:
        print("尚无人员。请先运行：nianbao people add --name 姓名 --agency 机关代码 --role 角色")
        return
    names = {agency.code: agency.name for agency in list_agencies(session=session)}
    for entry in entries:
        roles = "；".join(f"{names.get(code, code)} {ROLE_LABELS[role]}" for code, role in entry.roles)
        chats = "、".join(str(chat) for chat in entry.chat_ids) or "未绑定"
        print(f"{entry.code}\t{entry.name}\t{roles or '无角色'}\t聊天账号：{chats}")
    print(f"共 {len(entries)} 人。")


def _set_password(session: Session, args: argparse.Namespace, _settings: Settings) -> None:
    if sys.stdin.isatty():
        text = getpass.getpass("新密码：")
        if getpass.getpass("再输入一次：") != text:
            raise InvalidEntryError("两次输入的密码不一致")
    else:
        text = sys.stdin.readline().rstrip("\r\n")
    person = set_password(session=session, reference=args.person, password=text)
    print(f"已为 {person.name}（编号 {person.id}）设置工作台密码。")


def _issue_invite(session: Session, args: argparse.Namespace, settings: Settings) -> None:
    if args.out is not None:
        _issue_invites_to_csv(session, args, settings)
        return
    if args.role is None or not args.agency or len(args.agency) != 1:
        raise InvalidEntryError("请用 --agency 指定一个机关、--role 指定角色（或用 --out 批量签发）")
    role = parse_role(args.role)
    agency = get_agency(session=session, code=args.agency[0])
    issuer_id = None
    if args.by is not None:
        issuer = find_person(session=session, reference=args.by)
        issuer_id = issuer.id
        if issuer_id is None or not any(
            r is RoleName.COORDINATOR for _, r in roles_of(session=session, person_id=issuer_id)
        ):
            raise InvalidEntryError(f"{issuer.name} 不是协调人，不能签发邀请码")
    for_person_id = None
    if args.for_person is not None:
        for_person_id = find_person(session=session, reference=args.for_person).id
    invite = create_invite(
        session=session,
        agency_code=agency.code,
        role=role,
        ttl=timedelta(hours=settings.invite_ttl_hours),
        created_by=issuer_id,
        for_person_id=for_person_id,
    )
    print(f"邀请码：{invite.code}")
    print(
        f"用于：{agency.name} {ROLE_LABELS[role]}；仅可使用一次，有效期至 {beijing_time(invite.expires_at)}。"
    )
    print(f"请在机器人对话中发送：/start {invite.code}")


INVITE_CSV_HEADER = ("code", "name", "agency", "agency_name", "role", "invite", "expires")


def _issue_invites_to_csv(session: Session, args: argparse.Namespace, settings: Settings) -> None:
    """One personal invite per role of everyone not yet in the bot, as a CSV to hand out."""
    wanted_role = parse_role(args.role) if args.role else None
    names = {agency.code: agency.name for agency in list_agencies(session=session)}
    for code in args.agency or ():
        get_agency(session=session, code=code)
    rows: list[tuple[str, ...]] = []
    for entry in list_people(session=session):
        if entry.chat_ids:
            continue
        for agency_code, role in entry.roles:
            if (args.agency and agency_code not in args.agency) or (wanted_role and role is not wanted_role):
                continue
            invite = create_invite(
                session=session,
                agency_code=agency_code,
                role=role,
                ttl=timedelta(hours=settings.invite_ttl_hours),
                for_person_id=entry.person_id,
            )
            rows.append(
                (
                    entry.code,
                    entry.name,
                    agency_code,
                    names[agency_code],
                    role.value,
                    invite.code,
                    beijing_time(invite.expires_at),
                )
            )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(INVITE_CSV_HEADER)
    writer.writerows(rows)
    try:
        args.out.write_text(buffer.getvalue(), encoding="utf-8-sig")
    except OSError as error:
        raise UnreadableInputError(f"无法写入 {args.out}（{error.strerror or error}）") from None
    print(
        f"已为 {len({row[0] for row in rows})} 人签发 {len(rows)} 个专属邀请码，写入 {args.out}（每码仅可使用一次）。"
    )
