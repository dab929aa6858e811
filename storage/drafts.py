"""Drafts: one report document per agency, year and revision; every change lands in the audit trail.

The highest revision of an agency's year is the current one. A published revision is never changed again:
a correction (更正) starts the next revision from it, so every published revision stays as it was.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, col, select

from storage.agencies import get_agency
from storage.audit import audit_entry, record_change, record_changes
from storage.errors import ConflictError, InvalidEntryError, NotFoundError
from storage.kinds import Channel
from storage.tables import AuditEntry, Draft
from storage.utc import utc_now

Document = dict[str, Any]


def document_values(document: Mapping[str, Any]) -> dict[str, object]:
    """Everything an audit row can name in a report document: each cell, each section's heading and prose."""
    values: dict[str, object] = {}
    sections: Mapping[str, Any] = document.get("sections") or {}
    for section_id, section in sections.items():
        values[f"{section_id}.heading"] = section.get("heading")
        if "text" in section:
            values[section_id] = section["text"]
        values.update(section.get("cells") or {})
    for key, note in (document.get("notes") or {}).items():
        values[f"note:{key}"] = note
    return values


def _checked_document(document: Mapping[str, Any]) -> Document:
    if not isinstance(document.get("meta"), Mapping) or not isinstance(document.get("sections"), Mapping):
        raise InvalidEntryError("报告数据缺少 meta 或 sections")
    return copy.deepcopy(dict(document))


def current_draft(*, session: Session, agency_code: str, year: int) -> Draft | None:
    """The newest revision of the agency's report for ``year``, or None before the cycle opened it."""
    query = (
        select(Draft)
        .where(Draft.agency_code == agency_code, Draft.year == year)
        .order_by(col(Draft.revision).desc())
    )
    return session.exec(query).first()


def require_draft(*, session: Session, agency_code: str, year: int) -> Draft:
    draft = current_draft(session=session, agency_code=agency_code, year=year)
    if draft is None:
        name = get_agency(session=session, code=agency_code).name
        raise NotFoundError(f"{name} 的 {year} 年度报告尚未开始起草")
    return draft


def published_draft(*, session: Session, agency_code: str, year: int) -> Draft | None:
    """The newest published revision for ``year`` (last year's report prefills this year's draft)."""
    query = (
        select(Draft)
        .where(Draft.agency_code == agency_code, Draft.year == year, col(Draft.published_at).is_not(None))
        .order_by(col(Draft.revision).desc())
    )
    return session.exec(query).first()


def draft_revision(*, session: Session, agency_code: str, year: int, revision: int) -> Draft:
    query = select(Draft).where(
        Draft.agency_code == agency_code, Draft.year == year, Draft.revision == revision
    )
    draft = session.exec(query).first()
    if draft is None:
        raise NotFoundError(f"没有「{agency_code}」{year} 年度报告的第 {revision} 版")
    return draft


def revisions(*, session: Session, agency_code: str, year: int) -> list[Draft]:
    query = (
        select(Draft)
        .where(Draft.agency_code == agency_code, Draft.year == year)
        .order_by(col(Draft.revision))
    )
    return list(session.exec(query))


def open_draft(
    *,
    session: Session,
    agency_code: str,
    year: int,
    format_id: str,
    document: Mapping[str, Any],
    stage: str,
    channel: Channel = Channel.SYSTEM,
    person_id: int | None = None,
) -> Draft:
    """Start revision 1 from ``document`` (a prefilled draft); an existing draft is returned unchanged.

    Returning the existing draft makes a retried activity harmless.
    """
    existing = current_draft(session=session, agency_code=agency_code, year=year)
    if existing is not None:
        return existing
    get_agency(session=session, code=agency_code)
    draft = Draft(
        agency_code=agency_code,
        year=year,
        revision=1,
        format=format_id,
        document=_checked_document(document),
        stage=stage,
    )
    session.add(draft)
    session.flush()
    # The prefilled figures and prose are recorded; the official headings are no one's change.
    _audit_differences(session, draft, {}, draft.document, channel, person_id, with_headings=False)
    return draft


def save_document(
    *,
    session: Session,
    agency_code: str,
    year: int,
    document: Mapping[str, Any],
    channel: Channel,
    person_id: int | None = None,
) -> list[AuditEntry]:
    """Replace the current revision's document; returns one audit row per changed cell or section."""
    draft = require_draft(session=session, agency_code=agency_code, year=year)
    _refuse_published(draft)
    new_document = _checked_document(document)
    changes = _audit_differences(session, draft, draft.document, new_document, channel, person_id)
    if changes:
        draft.document = new_document
        draft.updated_at = utc_now()
        session.add(draft)
        session.flush()
    return changes


def set_stage(
    *,
    session: Session,
    agency_code: str,
    year: int,
    stage: str,
    channel: Channel = Channel.SYSTEM,
    person_id: int | None = None,
) -> Draft:
    """Move the current revision to ``stage`` (audited; setting the same stage again records nothing)."""
    draft = require_draft(session=session, agency_code=agency_code, year=year)
    if draft.stage != stage:
        record_change(
            session=session,
            agency_code=agency_code,
            year=year,
            revision=draft.revision,
            target="stage",
            old_value=draft.stage,
            new_value=stage,
            channel=channel,
            person_id=person_id,
        )
        draft.stage = stage
        draft.updated_at = utc_now()
        session.add(draft)
        session.flush()
    return draft


def start_correction(
    *,
    session: Session,
    agency_code: str,
    year: int,
    reason: str,
    stage: str,
    channel: Channel,
    person_id: int | None = None,
) -> Draft:
    """Open the next revision (更正) from the published one; the published revision stays untouched."""
    if not reason.strip():
        raise InvalidEntryError("更正必须说明理由")
    published = require_draft(session=session, agency_code=agency_code, year=year)
    if published.published_at is None:
        raise ConflictError(f"第 {published.revision} 版尚未发布，直接修改即可，无需更正")
    draft = Draft(
        agency_code=agency_code,
        year=year,
        revision=published.revision + 1,
        format=published.format,
        document=copy.deepcopy(published.document),
        stage=stage,
        reason=reason.strip(),
    )
    session.add(draft)
    session.flush()
    record_change(
        session=session,
        agency_code=agency_code,
        year=year,
        revision=draft.revision,
        target="correction",
        old_value=published.revision,
        new_value=reason.strip(),
        channel=channel,
        person_id=person_id,
    )
    return draft


def _refuse_published(draft: Draft) -> None:
    if draft.published_at is not None:
        raise ConflictError(f"第 {draft.revision} 版已经发布，不能再修改；如需修改请发起更正")


def _audit_differences(
    session: Session,
    draft: Draft,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    channel: Channel,
    person_id: int | None,
    *,
    with_headings: bool = True,
) -> list[AuditEntry]:
    before, after = document_values(old), document_values(new)
    targets = [t for t in dict.fromkeys([*before, *after]) if with_headings or not t.endswith(".heading")]
    entries = [
        audit_entry(
            agency_code=draft.agency_code,
            year=draft.year,
            revision=draft.revision,
            target=target,
            old_value=before.get(target),
            new_value=after.get(target),
            channel=channel,
            person_id=person_id,
        )
        for target in targets
        if _blank_as_none(before.get(target)) != _blank_as_none(after.get(target))
    ]
    return record_changes(session=session, entries=entries) if entries else []


def _blank_as_none(value: object) -> object:
    """An empty prose section and an absent one read the same to a person."""
    return None if value == "" else value
