"""Publication: render the approved revision in every format and hand it to the configured target."""

from __future__ import annotations

from sqlalchemy import Engine
from temporalio import activity

from activities.boundary import domain_errors_are_final
from activities.payloads import PublishRequest
from activities.publication_target import PublicationTarget
from domain.document import from_document, render_json
from domain.rendering import render_csv, render_docx, render_html
from storage import drafts, publications
from storage.engine import session_scope
from workflows.contracts import PublicationInfo


class PublishingActivities:
    def __init__(self, engine: Engine, target: PublicationTarget) -> None:
        self._engine = engine
        self._target = target

    @activity.defn(name="publish")
    def publish(self, request: PublishRequest) -> PublicationInfo:
        """Render DOCX, HTML, JSON and CSV, publish them, and record where and when (once per revision)."""
        key = request.draft
        with domain_errors_are_final(), session_scope(self._engine) as session:
            draft = drafts.draft_revision(
                session=session, agency_code=key.agency_code, year=key.year, revision=key.revision
            )
            done = publications.publication_to(
                session=session,
                agency_code=key.agency_code,
                year=key.year,
                revision=key.revision,
                target=self._target.name,
            )
            if done is not None:
                return PublicationInfo(done.revision, done.location, tuple(done.files), done.at.isoformat())
            report = from_document(draft.document)
            stem = f"{key.agency_code}-{key.year}-r{key.revision}"
            files = {
                f"{stem}.docx": render_docx(report),
                f"{stem}.html": render_html(report).encode(),
                f"{stem}.json": render_json(report).encode(),
                f"{stem}.csv": render_csv(report).encode(),
            }
            location = self._target.publish(
                agency_code=key.agency_code, year=key.year, revision=key.revision, files=files
            )
            publication = publications.record_publication(
                session=session,
                agency_code=key.agency_code,
                year=key.year,
                revision=key.revision,
                target=self._target.name,
                location=location,
                files=list(files),
            )
            return PublicationInfo(key.revision, location, tuple(files), publication.at.isoformat())
