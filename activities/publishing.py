"""Publication: render the approved revision in every format and hand it to the configured target.

The stored document is read in one short read-only transaction, rendered with no transaction open
(python-docx needs about 115 ms of CPU per report: in ``render_pool``, a process pool, it leaves the
worker's GIL to the workflows), handed to the target, and recorded in a second short transaction.
"""

from __future__ import annotations

from concurrent.futures import Executor
from typing import Any

from sqlalchemy import Engine
from temporalio import activity

from activities.boundary import domain_errors_are_final
from activities.publication_target import PublicationTarget
from contracts import PublicationInfo, PublishRequest
from domain.document import from_document, render_json
from domain.rendering import render_csv, render_docx, render_html
from storage import drafts, publications
from storage.engine import read_scope, session_scope


def render_files(document: dict[str, Any], stem: str) -> dict[str, bytes]:
    """Every published file of one revision, by file name (a top-level function: a process pool runs it)."""
    report = from_document(document)
    return {
        f"{stem}.docx": render_docx(report),
        f"{stem}.html": render_html(report).encode(),
        f"{stem}.json": render_json(report).encode(),
        f"{stem}.csv": render_csv(report).encode(),
    }


class PublishingActivities:
    def __init__(
        self, engine: Engine, target: PublicationTarget, render_pool: Executor | None = None
    ) -> None:
        self._engine = engine
        self._target = target
        self._render_pool = render_pool

    @activity.defn(name="publish")
    def publish(self, request: PublishRequest) -> PublicationInfo:
        """Render DOCX, HTML, JSON and CSV, publish them, and record where and when (once per revision)."""
        key = request.draft
        with domain_errors_are_final():
            with read_scope(self._engine) as session:
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
                document = dict(draft.document)
            if done is not None:
                return PublicationInfo(done.revision, done.location, tuple(done.files), done.at)
            stem = f"{key.agency_code}-{key.year}-r{key.revision}"
            if self._render_pool is None:
                files = render_files(document, stem)
            else:
                files = self._render_pool.submit(render_files, document, stem).result()
            location = self._target.publish(
                agency_code=key.agency_code, year=key.year, revision=key.revision, files=files
            )
            with session_scope(self._engine) as session:
                publication = publications.record_publication(
                    session=session,
                    agency_code=key.agency_code,
                    year=key.year,
                    revision=key.revision,
                    target=self._target.name,
                    location=location,
                    files=list(files),
                )
                return PublicationInfo(key.revision, location, tuple(publication.files), publication.at)
