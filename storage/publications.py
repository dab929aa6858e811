"""Publications: where and when each revision was published; publishing freezes the revision."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from storage.audit import record_change
from storage.drafts import draft_revision
from storage.kinds import Channel
from storage.tables import Publication
from storage.utc import utc_now


def record_publication(
    *,
    session: Session,
    agency_code: str,
    year: int,
    revision: int,
    target: str,
    location: str,
    files: Sequence[str],
    now: datetime | None = None,
) -> Publication:
    """Record that a revision went out to ``target``; recording the same target again returns the first record.

    The revision becomes published: it can no longer be edited, only corrected by a new revision.
    """
    moment = now or utc_now()
    draft = draft_revision(session=session, agency_code=agency_code, year=year, revision=revision)
    existing = publication_to(
        session=session, agency_code=agency_code, year=year, revision=revision, target=target
    )
    if existing is not None:
        return existing
    publication = Publication(
        agency_code=agency_code,
        year=year,
        revision=revision,
        target=target,
        location=location,
        files=list(files),
        at=moment,
    )
    session.add(publication)
    if draft.published_at is None:
        draft.published_at = moment
        session.add(draft)
    record_change(
        session=session,
        agency_code=agency_code,
        year=year,
        revision=revision,
        target=f"publication:{target}",
        old_value=None,
        new_value=location,
        channel=Channel.SYSTEM,
    )
    return publication


def publication_to(
    *, session: Session, agency_code: str, year: int, revision: int, target: str
) -> Publication | None:
    """The record of the revision's publication to ``target``, if it went out there already."""
    query = select(Publication).where(
        Publication.agency_code == agency_code,
        Publication.year == year,
        Publication.revision == revision,
        Publication.target == target,
    )
    return session.exec(query).first()


def publications_of(*, session: Session, agency_code: str, year: int) -> list[Publication]:
    """Every publication of the agency's report for ``year``, every revision, oldest first."""
    query = select(Publication).where(Publication.agency_code == agency_code, Publication.year == year)
    return list(session.exec(query.order_by(col(Publication.revision), col(Publication.id))))


def published_years(*, session: Session, agency_code: str) -> list[int]:
    query = select(Publication.year).where(Publication.agency_code == agency_code).distinct()
    return sorted(session.exec(query))
