"""The draft is the stored report document: opened, edited, reopened and read here, never in the workflow.

Each edit is parsed and checked once (``report_documents``), stored with its audit rows in one
transaction, and answered with the compact ``DraftProgress`` the cycle keeps. A bad figure or document is
a ``FigureError``/``DocumentError``: final at once (``domain_errors_are_final``), and the update that sent
it fails with the Chinese reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from temporalio import activity

from activities import report_documents
from activities.boundary import domain_errors_are_final
from contracts import (
    Actor,
    Channel,
    DraftEdit,
    DraftKey,
    DraftProgress,
    EditResult,
    OpenDraft,
    ReopenRequest,
    Stage,
)
from domain.document import from_document, to_document
from domain.report import Report
from storage import drafts
from storage.audit import record_change
from storage.engine import read_scope, session_scope


def person_of(actor: Actor) -> int | None:
    return actor.person_id if actor.person_id > 0 else None


def published_report(session: Any, agency_code: str, year: int) -> Report | None:
    """The newest published revision of an agency's report for ``year``, if any."""
    published = drafts.published_draft(session=session, agency_code=agency_code, year=year)
    return from_document(published.document) if published is not None else None


@dataclass(frozen=True)
class OpenedDraft:
    """The current draft: its revision, the stored document and its report, and the cells a new draft took
    from last year's."""

    revision: int
    document: dict[str, Any]
    report: Report
    prefilled: tuple[str, ...] = ()


def open_or_create(session: Any, request: OpenDraft) -> OpenedDraft:
    """The current draft, created from last year's published report when there is none (idempotent)."""
    existing = drafts.current_draft(session=session, agency_code=request.agency_code, year=request.year)
    if existing is not None:
        return OpenedDraft(existing.revision, existing.document, from_document(existing.document))
    previous = published_report(session, request.agency_code, request.year - 1)
    report, prefilled = report_documents.starting_report(
        agency_name=request.agency_name, year=request.year, previous=previous
    )
    draft = drafts.open_draft(
        session=session,
        agency_code=request.agency_code,
        year=request.year,
        format_id=report.format.id.value,
        document=to_document(report),
        stage=Stage.DRAFTING.value,
    )
    return OpenedDraft(draft.revision, draft.document, report, prefilled)


def record_source(session: Any, key: DraftKey, actor: Actor, note: str) -> None:
    """One audit row saying where an edit's changes came from (a file, a template)."""
    record_change(
        session=session,
        agency_code=key.agency_code,
        year=key.year,
        revision=key.revision,
        target="import",
        old_value=None,
        new_value=note,
        channel=Channel(actor.channel.value),
        person_id=person_of(actor),
    )


class EditingActivities:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @activity.defn(name="open_report")
    def open_report(self, request: OpenDraft) -> DraftProgress:
        """The current draft's progress; created from last year's published report on the first call."""
        with domain_errors_are_final(), session_scope(self._engine) as session:
            opened = open_or_create(session, request)
            return report_documents.progress(opened.report, opened.revision)

    @activity.defn(name="apply_edit")
    def apply_edit(self, edit: DraftEdit) -> EditResult:
        """Parse, check and store one edit with its audit rows; all or nothing.

        The document is read and the edit parsed with no write lock held; only the store takes it. The
        cycle applies one edit at a time (its lock), so nothing else changes the draft in between.
        """
        key = edit.draft
        with domain_errors_are_final():
            with read_scope(self._engine) as session:
                draft = drafts.draft_revision(
                    session=session, agency_code=key.agency_code, year=key.year, revision=key.revision
                )
                report = from_document(draft.document)
            template_of = ""
            if edit.document is not None and edit.as_template:
                figures, template_of = report_documents.template_figures(edit.document, report.format)
                changes = report_documents.set_figures(report, figures)
            elif edit.document is not None:
                submitted = report_documents.submitted_report(edit.document, key.year, report.agency)
                changes = report_documents.differences(report, submitted)
                report = submitted
            elif edit.section is not None:
                report_documents.check_prose(edit.section, edit.text)
                changes = report_documents.set_prose(report, edit.section, edit.text)
            else:
                figures = report_documents.parse_figures(report.format, edit.figures or {})
                changes = report_documents.set_figures(report, figures)
            # A document may change only notes or headings, which ``changes`` does not list.
            if changes or edit.document is not None:
                with session_scope(self._engine) as session:
                    drafts.save_document(
                        session=session,
                        agency_code=key.agency_code,
                        year=key.year,
                        document=to_document(report),
                        channel=Channel(edit.actor.channel.value),
                        person_id=person_of(edit.actor),
                    )
                    if template_of:
                        source = f"，文件{edit.source}" if edit.source else ""
                        record_source(
                            session, key, edit.actor, f"按模板导入（仅取数字）：{template_of}{source}"
                        )
            return EditResult(
                {c.key: c.new for c in changes}, report_documents.progress(report, key.revision)
            )

    @activity.defn(name="reopen_report")
    def reopen_report(self, request: ReopenRequest) -> DraftProgress:
        """更正: the next revision starts as a copy of the published one (a retry finds it already open)."""
        key = request.draft
        with domain_errors_are_final(), session_scope(self._engine) as session:
            current = drafts.require_draft(session=session, agency_code=key.agency_code, year=key.year)
            if current.revision <= key.revision:
                current = drafts.start_correction(
                    session=session,
                    agency_code=key.agency_code,
                    year=key.year,
                    reason=request.reason,
                    stage=Stage.DRAFTING.value,
                    channel=Channel(request.actor.channel.value),
                    person_id=person_of(request.actor),
                )
            return report_documents.progress(from_document(current.document), current.revision)

    @activity.defn(name="read_document")
    def read_document(self, key: DraftKey) -> dict[str, Any]:
        """The stored document of one revision, as approvers see it and as it will be published."""
        with domain_errors_are_final(), read_scope(self._engine) as session:
            draft = drafts.draft_revision(
                session=session, agency_code=key.agency_code, year=key.year, revision=key.revision
            )
            return dict(draft.document)
