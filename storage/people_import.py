"""Bulk set-up of people from CSV (``code,name,agency,role[,chat_id]``): every row is checked first, every
error reported at once with its line number, and nothing is written unless all rows are valid."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlmodel import Session

from storage.errors import InvalidEntryError, InvalidRowsError
from storage.kinds import Channel, RoleName, parse_role
from storage.people import CODE_PATTERN, add_person_with_role, person_by_code
from storage.tables import Agency

CSV_HEADER: tuple[str, ...] = ("code", "name", "agency", "role")
OPTIONAL_COLUMNS: tuple[str, ...] = ("chat_id",)


@dataclass(frozen=True, slots=True)
class PersonRow:
    line: int
    code: str
    name: str
    agency_code: str
    role: RoleName
    chat_id: int | None


@dataclass(frozen=True, slots=True)
class PeopleSummary:
    people_created: int
    roles_added: int
    rows: int


def parse_people_csv(session: Session, text: str) -> list[PersonRow]:
    """Every row of a people CSV, checked against itself and the database; ``InvalidRowsError`` names
    every bad line."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    header = tuple(cell.strip().lower() for cell in next(reader, []))
    if header[: len(CSV_HEADER)] != CSV_HEADER or any(c not in OPTIONAL_COLUMNS for c in header[4:]):
        raise InvalidEntryError(f"表头应为「{','.join(CSV_HEADER)}」（可加 chat_id 列）", line=1)
    rows: list[PersonRow] = []
    errors: list[InvalidEntryError] = []
    names: dict[str, tuple[str, int]] = {}
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        try:
            row = _parse_row(session, cells, header, line)
        except InvalidEntryError as error:
            errors.append(error)
            continue
        earlier = names.setdefault(row.code, (row.name, line))
        if earlier[0] != row.name:
            errors.append(
                InvalidEntryError(
                    f"人员代码「{row.code}」在第 {earlier[1]} 行是「{earlier[0]}」，这里是「{row.name}」",
                    line=line,
                )
            )
            continue
        rows.append(row)
    if not rows and not errors:
        raise InvalidEntryError("文件中没有任何人员")
    if errors:
        raise InvalidRowsError(errors)
    return rows


def _parse_row(session: Session, cells: list[str], header: tuple[str, ...], line: int) -> PersonRow:
    if len(cells) != len(header):
        raise InvalidEntryError(
            f"应有 {len(header)} 列（{','.join(header)}），实有 {len(cells)} 列", line=line
        )
    values = dict(zip(header, (cell.strip() for cell in cells), strict=True))
    code, name, agency_code = values["code"], " ".join(values["name"].split()), values["agency"]
    problems: list[str] = []
    if not CODE_PATTERN.fullmatch(code):
        problems.append(f"人员代码「{code}」无效（应为工号或手机号等，1–40 位字母、数字）")
    if not name:
        problems.append("缺少姓名")
    if session.get(Agency, agency_code) is None:
        problems.append(f"没有代码为「{agency_code}」的机关")
    try:
        role = parse_role(values["role"])
    except InvalidEntryError as error:
        problems.append(str(error))
        role = RoleName.OFFICER
    chat_text = values.get("chat_id", "")
    chat_id = int(chat_text) if chat_text.lstrip("-").isdigit() else None
    if chat_text and chat_id is None:
        problems.append(f"聊天账号编号「{chat_text}」应为整数")
    stored = person_by_code(session=session, code=code) if CODE_PATTERN.fullmatch(code) else None
    if stored is not None and stored.name != name:
        problems.append(f"人员代码「{code}」已属于「{stored.name}」，不是「{name}」")
    if problems:
        raise InvalidEntryError("；".join(problems), line=line)
    return PersonRow(line, code, name, agency_code, role, chat_id)


def import_people(
    *, session: Session, rows: list[PersonRow], channel: Channel = Channel.CLI
) -> PeopleSummary:
    created = added = 0
    for row in rows:
        grant = add_person_with_role(
            session=session,
            name=row.name,
            agency_code=row.agency_code,
            role=row.role,
            chat_id=row.chat_id,
            channel=channel,
            code=row.code,
        )
        created += grant.person_created
        added += grant.role_added
    return PeopleSummary(people_created=created, roles_added=added, rows=len(rows))
