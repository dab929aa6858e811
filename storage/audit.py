"""The audit trail: one row for every change, saying who, when, through which channel, what, old and new."""

from __future__ import annotations

import json
from decimal import Decimal

from sqlalchemy import insert
from sqlmodel import Session, col, select

from storage.kinds import Channel
from storage.tables import AuditEntry, Person


def value_text(value: object) -> str | None:
    """How a value is kept in the trail: figures as written (``12``, ``3.5``), blank as NULL."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def audit_entry(
    *,
    agency_code: str,
    target: str,
    old_value: object,
    new_value: object,
    channel: Channel,
    person_id: int | None = None,
    year: int | None = None,
    revision: int | None = None,
) -> AuditEntry:
    """One audit row, not stored yet; ``target`` is a cell key, a section id or a field such as ``stage``."""
    return AuditEntry(
        agency_code=agency_code,
        year=year,
        revision=revision,
        target=target,
        old_value=value_text(old_value),
        new_value=value_text(new_value),
        person_id=person_id,
        channel=channel.value,
    )


def record_change(
    *,
    session: Session,
    agency_code: str,
    target: str,
    old_value: object,
    new_value: object,
    channel: Channel,
    person_id: int | None = None,
    year: int | None = None,
    revision: int | None = None,
) -> AuditEntry:
    """Store one audit row."""
    entry = audit_entry(
        agency_code=agency_code,
        target=target,
        old_value=old_value,
        new_value=new_value,
        channel=channel,
        person_id=person_id,
        year=year,
        revision=revision,
    )
    return record_changes(session=session, entries=[entry])[0]


def record_changes(*, session: Session, entries: list[AuditEntry]) -> list[AuditEntry]:
    """Store audit rows; more than one in one batch (one ``executemany``: a submitted document changes
    about 200 cells, which one at a time would be as many statements while the write lock is held).

    Rows of a batch are not added to the session: their ids are not read back (nobody needs them).
    """
    if len(entries) == 1:
        session.add(entries[0])
        session.flush()
    elif entries:
        rows = [entry.model_dump(exclude={"id"}) for entry in entries]
        session.connection().execute(insert(AuditEntry), rows)
    return entries


def audit_trail(
    *, session: Session, agency_code: str, year: int | None = None, target: str | None = None
) -> list[AuditEntry]:
    """The changes to one agency (optionally one year, one target), oldest first."""
    query = select(AuditEntry).where(AuditEntry.agency_code == agency_code)
    if year is not None:
        query = query.where(AuditEntry.year == year)
    if target is not None:
        query = query.where(AuditEntry.target == target)
    return list(session.exec(query.order_by(col(AuditEntry.id))))


def audit_trail_with_names(
    *, session: Session, agency_code: str, year: int | None = None
) -> list[tuple[AuditEntry, str | None]]:
    """The trail as ``audit_trail``, each row with the name of the person who made the change (None: the system)."""
    query = (
        select(AuditEntry, Person.name)
        .join(Person, col(AuditEntry.person_id) == col(Person.id), isouter=True)
        .where(AuditEntry.agency_code == agency_code)
    )
    if year is not None:
        query = query.where(AuditEntry.year == year)
    return [(entry, name) for entry, name in session.exec(query.order_by(col(AuditEntry.id)))]
