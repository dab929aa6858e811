"""What the public site lists: every published revision, by year and agency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from storage.tables import Agency, Draft, Publication


@dataclass(frozen=True, slots=True)
class PublishedRevision:
    year: int
    agency_code: str
    agency_name: str
    parent_code: str | None
    revision: int
    files: tuple[str, ...]
    at: datetime
    reason: str | None


def published_revisions(
    *, session: Session, year: int | None = None, agency_code: str | None = None
) -> list[PublishedRevision]:
    """Every published revision (optionally of one year or agency), newest year first, then by agency."""
    query = (
        select(Publication, Agency, Draft)
        .join(Agency, col(Agency.code) == col(Publication.agency_code))
        .join(
            Draft,
            (col(Draft.agency_code) == col(Publication.agency_code))
            & (col(Draft.year) == col(Publication.year))
            & (col(Draft.revision) == col(Publication.revision)),
        )
    )
    if year is not None:
        query = query.where(Publication.year == year)
    if agency_code is not None:
        query = query.where(Publication.agency_code == agency_code)
    query = query.order_by(
        col(Publication.year).desc(), col(Publication.agency_code), col(Publication.revision)
    )
    return [
        PublishedRevision(
            year=publication.year,
            agency_code=agency.code,
            agency_name=agency.name,
            parent_code=agency.parent_code,
            revision=publication.revision,
            files=tuple(publication.files),
            at=publication.at,
            reason=draft.reason,
        )
        for publication, agency, draft in session.exec(query)
    ]
