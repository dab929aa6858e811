"""The dashboard table: where each agency's cycle stands, kept current by the workflows."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.errors import InvalidEntryError
from storage.tables import CycleStatus
from storage.utc import utc_now


def upsert_status(
    *,
    session: Session,
    agency_code: str,
    year: int,
    stage: str,
    percent_complete: int,
    deadline: date | None,
    overdue: bool,
) -> CycleStatus:
    if not 0 <= percent_complete <= 100:
        raise InvalidEntryError(f"完成度应在 0–100 之间，收到 {percent_complete}")
    status = session.get(CycleStatus, (agency_code, year)) or CycleStatus(
        agency_code=agency_code, year=year, stage=stage
    )
    status.stage, status.percent_complete, status.deadline, status.overdue = (
        stage,
        percent_complete,
        deadline,
        overdue,
    )
    status.updated_at = utc_now()
    session.add(status)
    session.flush()
    return status


def remove_status(*, session: Session, agency_code: str, year: int) -> bool:
    """Drop a withdrawn cycle's row from the dashboard; False when there was none."""
    status = session.get(CycleStatus, (agency_code, year))
    if status is None:
        return False
    session.delete(status)
    session.flush()
    return True


def statuses(*, session: Session, year: int, overdue_only: bool = False) -> list[CycleStatus]:
    """One year's rows, overdue first, then by deadline and agency code."""
    query = select(CycleStatus).where(CycleStatus.year == year)
    if overdue_only:
        query = query.where(col(CycleStatus.overdue).is_(True))
    query = query.order_by(
        col(CycleStatus.overdue).desc(), col(CycleStatus.deadline), col(CycleStatus.agency_code)
    )
    return list(session.exec(query))


def counts_by_stage(*, session: Session, year: int) -> dict[str, int]:
    """How many agencies are in each stage in ``year`` (stages with nobody in them are absent)."""
    query = (
        select(CycleStatus.stage, func.count())
        .where(CycleStatus.year == year)
        .group_by(col(CycleStatus.stage))
        .order_by(col(CycleStatus.stage))
    )
    return dict(session.exec(query).all())


def overdue_count(*, session: Session, year: int) -> int:
    query = select(func.count()).where(CycleStatus.year == year, col(CycleStatus.overdue).is_(True))
    return session.exec(query).one()
