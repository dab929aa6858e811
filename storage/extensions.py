"""Deadline extensions: a coordinator moves an agency's deadline for a year, with a reason (audited)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from storage.agencies import get_agency
from storage.audit import record_change
from storage.errors import InvalidEntryError
from storage.kinds import Channel
from storage.tables import DeadlineExtension


def extend_deadline(
    *,
    session: Session,
    agency_code: str,
    year: int,
    deadline: date,
    reason: str,
    person_id: int | None,
    previous: date | None,
    channel: Channel = Channel.SYSTEM,
) -> DeadlineExtension:
    """Record a new deadline; it must lie after the one it replaces (``previous``) and give a reason."""
    get_agency(session=session, code=agency_code)
    if not reason.strip():
        raise InvalidEntryError("延期必须说明理由")
    if previous is not None and deadline <= previous:
        raise InvalidEntryError(f"新的截止日期应晚于现在的 {previous.isoformat()}")
    extension = DeadlineExtension(
        agency_code=agency_code, year=year, deadline=deadline, reason=reason.strip(), person_id=person_id
    )
    session.add(extension)
    session.flush()
    record_change(
        session=session,
        agency_code=agency_code,
        year=year,
        target="deadline",
        old_value=previous.isoformat() if previous else None,
        new_value=f"{deadline.isoformat()}：{reason.strip()}",
        channel=channel,
        person_id=person_id,
    )
    return extension


def extensions_of(*, session: Session, agency_code: str, year: int) -> list[DeadlineExtension]:
    """Every extension of the agency's deadline for ``year``, oldest first (the last one holds)."""
    query = select(DeadlineExtension).where(
        DeadlineExtension.agency_code == agency_code, DeadlineExtension.year == year
    )
    return list(session.exec(query.order_by(col(DeadlineExtension.id))))
