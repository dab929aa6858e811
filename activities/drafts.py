"""The draft in the database: checked, approved, rolled up, its stage followed; and the edits of cycles
started before the draft lived only in storage (``open_draft``, ``record_edit``, ``reopen``), which the
workflow had already parsed (see ``workflows.cycle_legacy``; new cycles use ``activities.editing``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from temporalio import activity

from activities import report_documents
from activities.boundary import domain_errors_are_final
from activities.editing import open_or_create, person_of, published_report, record_source
from contracts import (
    AcknowledgementRecord,
    CheckResult,
    DecisionRecord,
    DraftKey,
    DraftSnapshot,
    EditRecord,
    FindingInfo,
    OpenDraft,
    ReopenRequest,
    RollUpRequest,
    RollUpResult,
    Severity,
    Stage,
    StatusRow,
)
from domain.document import from_document, to_document
from domain.rules import check_report
from storage import cycle_status, drafts, reviews
from storage.engine import session_scope
from storage.kinds import Channel, Decision

DRAFTING = Stage.DRAFTING.value


class DraftActivities:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @activity.defn(name="open_draft")
    def open_draft(self, request: OpenDraft) -> DraftSnapshot:
        """The current draft; created from last year's published report on the first call (idempotent)."""
        with domain_errors_are_final(), session_scope(self._engine) as session:
            opened = open_or_create(session, request)
            return report_documents.snapshot(opened.document, opened.revision, opened.prefilled)

    @activity.defn(name="record_edit")
    def record_edit(self, record: EditRecord) -> int:
        """Persist accepted changes with one audit row each; returns how many rows were written."""
        key = record.draft
        with domain_errors_are_final(), session_scope(self._engine) as session:
            draft = drafts.draft_revision(
                session=session, agency_code=key.agency_code, year=key.year, revision=key.revision
            )
            if record.document is not None:
                document = dict(record.document)
                document["meta"] = {**document["meta"], "year": key.year}
            else:
                document = to_document(report_documents.apply_changes(draft.document, record.changes))
            rows = drafts.save_document(
                session=session,
                agency_code=key.agency_code,
                year=key.year,
                document=document,
                channel=Channel(record.actor.channel.value),
                person_id=person_of(record.actor),
            )
            if rows and record.note:
                # Where the changes came from (a file, a template); a retry finds them saved and adds none.
                record_source(session, key, record.actor, record.note)
            return len(rows)

    @activity.defn(name="check_draft")
    def check_draft(self, key: DraftKey) -> CheckResult:
        """Schema and every rule of the format on the draft (against last year's published report)."""
        with domain_errors_are_final(), session_scope(self._engine) as session:
            draft = drafts.draft_revision(
                session=session, agency_code=key.agency_code, year=key.year, revision=key.revision
            )
            report = from_document(draft.document)
            previous = published_report(session, key.agency_code, key.year - 1)
            findings = check_report(report, previous=previous, pre_publication=True)
            reviews.record_findings(
                session=session,
                agency_code=key.agency_code,
                year=key.year,
                revision=key.revision,
                findings=findings,
            )
            return CheckResult(
                tuple(
                    FindingInfo(
                        f.rule_id,
                        Severity(f.severity),
                        f.message,
                        tuple(ref[0] for ref in f.cells),
                        subject=f.subject,
                    )
                    for f in findings
                )
            )

    @activity.defn(name="record_acknowledgement")
    def record_acknowledgement(self, record: AcknowledgementRecord) -> None:
        """The warning accepted with its reason (audited; a retry finds it already recorded)."""
        key = record.draft
        with domain_errors_are_final(), session_scope(self._engine) as session:
            reviews.acknowledge(
                session=session,
                agency_code=key.agency_code,
                year=key.year,
                revision=key.revision,
                finding_key=record.rule_id,
                reason=record.reason,
                person_id=person_of(record.actor),
                channel=Channel(record.actor.channel.value),
            )

    @activity.defn(name="record_decision")
    def record_decision(self, record: DecisionRecord) -> None:
        """The approver's decision (audited); a retry of this activity finds the decision it recorded."""
        key, decision = record.draft, record.decision
        info = activity.info()
        with domain_errors_are_final(), session_scope(self._engine) as session:
            reviews.record_approval(
                session=session,
                agency_code=key.agency_code,
                year=key.year,
                revision=key.revision,
                step=decision.step,
                person_id=decision.actor.person_id,
                decision=Decision.APPROVE if decision.approve else Decision.REJECT,
                comment=f"{record.step_label}：{decision.comment}" if decision.comment else record.step_label,
                channel=Channel(decision.actor.channel.value),
                request_key=f"{info.workflow_id}/{info.workflow_run_id}/{info.activity_id}",
            )

    @activity.defn(name="reopen")
    def reopen(self, request: ReopenRequest) -> DraftSnapshot:
        """更正: the next revision starts as a copy of the published one (a retry finds it already open)."""
        key = request.draft
        with domain_errors_are_final(), session_scope(self._engine) as session:
            current = drafts.require_draft(session=session, agency_code=key.agency_code, year=key.year)
            if current.revision > key.revision:
                return report_documents.snapshot(current.document, current.revision)
            draft = drafts.start_correction(
                session=session,
                agency_code=key.agency_code,
                year=key.year,
                reason=request.reason,
                stage=DRAFTING,
                channel=Channel(request.actor.channel.value),
                person_id=person_of(request.actor),
            )
            return report_documents.snapshot(draft.document, draft.revision)

    @activity.defn(name="roll_up")
    def roll_up(self, request: RollUpRequest) -> RollUpResult:
        """Which departments have published; once all have, their sums fill the government's blank cells."""
        key = request.draft
        with domain_errors_are_final(), session_scope(self._engine) as session:
            reports = {code: published_report(session, code, key.year) for code in request.department_codes}
            published = tuple(code for code, report in reports.items() if report is not None)
            if len(published) < len(request.department_codes) or not request.apply:
                return RollUpResult(published, None)
            draft = drafts.draft_revision(
                session=session, agency_code=key.agency_code, year=key.year, revision=key.revision
            )
            government = from_document(draft.document)
            changes = report_documents.roll_up(government, [r for r in reports.values() if r is not None])
            report = report_documents.apply_changes(draft.document, changes)
            drafts.save_document(
                session=session,
                agency_code=key.agency_code,
                year=key.year,
                document=to_document(report),
                channel=Channel.SYSTEM,
            )
            return RollUpResult(published, changes, report_documents.progress(report, key.revision))

    @activity.defn(name="upsert_status")
    def upsert_status(self, row: StatusRow) -> None:
        """The dashboard row and the draft's stage follow the workflow."""
        with domain_errors_are_final(), session_scope(self._engine) as session:
            cycle_status.upsert_status(
                session=session,
                agency_code=row.agency_code,
                year=row.year,
                stage=row.stage.value,
                percent_complete=row.percent_complete,
                deadline=date.fromisoformat(row.deadline),
                overdue=row.overdue,
            )
            if drafts.current_draft(session=session, agency_code=row.agency_code, year=row.year) is not None:
                drafts.set_stage(
                    session=session, agency_code=row.agency_code, year=row.year, stage=row.stage.value
                )
