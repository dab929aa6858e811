"""Agencies: import from CSV (``code,name,kind,parent``), look-up, listing, a government's departments."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from storage.audit import record_change
from storage.errors import InvalidEntryError, InvalidRowsError, NotFoundError
from storage.kinds import AGENCY_KIND_LABELS, AgencyKind, Channel
from storage.tables import Agency

CSV_HEADER: tuple[str, ...] = ("code", "name", "kind", "parent")
# Codes end up in workflow ids and in 64-byte chat callback data: keep them short and plain.
CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,31}")


@dataclass(frozen=True, slots=True)
class AgencyRow:
    """One validated line of an agency CSV file."""

    line: int
    code: str
    name: str
    kind: AgencyKind
    parent_code: str | None


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """How many agencies were new, and how many changed (unchanged ones count in neither)."""

    created: int
    updated: int


def parse_agency_csv(text: str) -> list[AgencyRow]:
    """Read and check every line of an agency CSV file; every bad line is named in one
    ``InvalidRowsError``."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    header = next(reader, None)
    if header is None or tuple(cell.strip().lower() for cell in header) != CSV_HEADER:
        raise InvalidEntryError(f"表头应为「{','.join(CSV_HEADER)}」", line=1)
    rows: list[AgencyRow] = []
    errors: list[InvalidEntryError] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        try:
            parsed = _parse_row(row, line)
        except InvalidEntryError as error:
            errors.append(error)
            continue
        if parsed.code in seen:
            errors.append(
                InvalidEntryError(f"机关代码「{parsed.code}」与第 {seen[parsed.code]} 行重复", line=line)
            )
            continue
        seen[parsed.code] = line
        rows.append(parsed)
    if errors:
        raise InvalidRowsError(errors)
    if not rows:
        raise InvalidEntryError("文件中没有任何机关")
    return rows


def _parse_row(row: Sequence[str], line: int) -> AgencyRow:
    if len(row) != len(CSV_HEADER):
        raise InvalidEntryError(
            f"应有 {len(CSV_HEADER)} 列（{','.join(CSV_HEADER)}），实有 {len(row)} 列", line=line
        )
    code, name, kind_text, parent = (cell.strip() for cell in row)
    if not CODE_PATTERN.fullmatch(code):
        raise InvalidEntryError(
            f"机关代码「{code}」无效：须为 1–32 位字母、数字、点、横线或下划线，且以字母或数字开头", line=line
        )
    if not name:
        raise InvalidEntryError(f"机关「{code}」缺少名称", line=line)
    try:
        kind = AgencyKind(kind_text.lower())
    except ValueError:
        raise InvalidEntryError(
            f"机关类型「{kind_text}」无效，应为 department（部门）或 government（政府）", line=line
        ) from None
    if kind is AgencyKind.GOVERNMENT and parent:
        raise InvalidEntryError(f"政府「{code}」的上级一栏应为空", line=line)
    if parent == code:
        raise InvalidEntryError(f"机关「{code}」不能以自己为上级", line=line)
    return AgencyRow(line=line, code=code, name=name, kind=kind, parent_code=parent or None)


def import_agencies(
    *,
    session: Session,
    rows: Sequence[AgencyRow],
    channel: Channel = Channel.CLI,
    person_id: int | None = None,
) -> ImportSummary:
    """Create or update the agencies of ``rows`` (each change audited).

    A parent must be a government of the file or of the database.
    """
    kinds_in_file = {row.code: row.kind for row in rows}
    errors: list[InvalidEntryError] = []
    for row in rows:
        if row.parent_code is None:
            continue
        parent_kind = kinds_in_file.get(row.parent_code) or _stored_kind(session, row.parent_code)
        if parent_kind is None:
            errors.append(
                InvalidEntryError(f"上级机关「{row.parent_code}」既不在文件中也不在系统中", line=row.line)
            )
        elif parent_kind is not AgencyKind.GOVERNMENT:
            errors.append(
                InvalidEntryError(f"上级机关「{row.parent_code}」不是政府，部门只能隶属于政府", line=row.line)
            )
    if errors:
        raise InvalidRowsError(errors)
    _refuse_orphaning_departments(session, kinds_in_file)
    created = updated = 0
    # Parents first, so that the foreign key holds at every insert.
    for row in sorted(rows, key=lambda r: r.parent_code is not None):
        agency = session.get(Agency, row.code)
        before = (
            None
            if agency is None
            else _described(agency.name, agency.kind, agency.parent_code, agency.active)
        )
        after = _described(row.name, row.kind.value, row.parent_code, True)
        if before == after:
            continue
        if agency is None:
            agency = Agency(code=row.code, name=row.name, kind=row.kind.value, parent_code=row.parent_code)
            created += 1
        else:
            agency.name, agency.kind, agency.parent_code, agency.active = (
                row.name,
                row.kind.value,
                row.parent_code,
                True,
            )
            updated += 1
        session.add(agency)
        session.flush()
        record_change(
            session=session,
            agency_code=row.code,
            target="agency",
            old_value=before,
            new_value=after,
            channel=channel,
            person_id=person_id,
        )
    return ImportSummary(created=created, updated=updated)


def _described(name: str, kind: str, parent_code: str | None, active: bool) -> str:
    parent = f"，隶属 {parent_code}" if parent_code else ""
    return f"{name}（{AGENCY_KIND_LABELS[AgencyKind(kind)]}{parent}）" + ("" if active else "（已停用）")


def _stored_kind(session: Session, code: str) -> AgencyKind | None:
    agency = session.get(Agency, code)
    return None if agency is None else AgencyKind(agency.kind)


def _refuse_orphaning_departments(session: Session, kinds_in_file: dict[str, AgencyKind]) -> None:
    """A government turned into a department would leave its stored departments under a non-government."""
    demoted = [code for code, kind in kinds_in_file.items() if kind is AgencyKind.DEPARTMENT]
    if not demoted:
        return
    children = session.exec(
        select(Agency).where(col(Agency.parent_code).in_(demoted), col(Agency.code).not_in(kinds_in_file))
    ).first()
    if children is not None:
        raise InvalidEntryError(
            f"「{children.parent_code}」下仍有部门「{children.code}」，不能把它改为部门；请先调整这些部门的上级"
        )


def get_agency(*, session: Session, code: str) -> Agency:
    agency = session.get(Agency, code)
    if agency is None:
        raise NotFoundError(f"没有代码为「{code}」的机关")
    return agency


def list_agencies(
    *, session: Session, kind: AgencyKind | None = None, active_only: bool = False
) -> list[Agency]:
    """Every agency in code order, optionally only one kind or only the active ones."""
    query = select(Agency).order_by(col(Agency.code))
    if kind is not None:
        query = query.where(Agency.kind == kind.value)
    if active_only:
        query = query.where(col(Agency.active).is_(True))
    return list(session.exec(query))


def departments_of(*, session: Session, government_code: str) -> list[Agency]:
    """The active departments that report to a government, in code order."""
    government = get_agency(session=session, code=government_code)
    if government.kind != AgencyKind.GOVERNMENT:
        raise InvalidEntryError(f"「{government.name}」是部门，没有下属部门")
    query = (
        select(Agency)
        .where(Agency.parent_code == government_code, col(Agency.active).is_(True))
        .order_by(col(Agency.code))
    )
    return list(session.exec(query))
