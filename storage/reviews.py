"""Validation findings of a revision, the warnings acknowledged with a reason, and approval decisions."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete
from sqlmodel import Session, col, select

from domain.rules import Finding as RuleFinding
from storage.agencies import get_agency
from storage.audit import record_change
from storage.errors import ConflictError, InvalidEntryError
from storage.kinds import Channel, Decision
from storage.people import get_person
from storage.tables import Acknowledgement, Approval, Finding
from storage.utc import utc_now

WARNING = "warning"


def record_findings(
    *, session: Session, agency_code: str, year: int, revision: int, findings: Sequence[RuleFinding]
) -> list[Finding]:
    """Replace the findings of a revision by those of its latest validation (cells are kept by key)."""
    get_agency(session=session, code=agency_code)
    session.connection().execute(
        delete(Finding).where(
            col(Finding.agency_code) == agency_code,
            col(Finding.year) == year,
            col(Finding.revision) == revision,
        )
    )
    stored = [
        Finding(
            agency_code=agency_code,
            year=year,
            revision=revision,
            rule_id=finding.rule_id,
            subject=finding.subject,
            severity=finding.severity,
            cells=[key for key, _label, _value in finding.cells],
            expected=finding.expected,
            actual=finding.actual,
            message=finding.message,
        )
        for finding in findings
    ]
    session.add_all(stored)
    session.flush()
    return stored


def findings_of(*, session: Session, agency_code: str, year: int, revision: int) -> list[Finding]:
    query = select(Finding).where(
        Finding.agency_code == agency_code, Finding.year == year, Finding.revision == revision
    )
    return list(session.exec(query.order_by(col(Finding.id))))


def acknowledge(
    *,
    session: Session,
    agency_code: str,
    year: int,
    revision: int,
    finding_key: str,
    reason: str,
    person_id: int | None,
    channel: Channel,
) -> Acknowledgement:
    """Accept one warning of the revision (by its key, ``rule:subject``) with a reason; acknowledging
    it again replaces the reason.

    Acknowledging again with the same reason by the same person changes nothing and records nothing.
    """
    if not reason.strip():
        raise InvalidEntryError("确认警告必须说明理由")
    stored = [
        f
        for f in findings_of(session=session, agency_code=agency_code, year=year, revision=revision)
        if f.severity == WARNING
    ]
    # A bare rule id is what cycles started before per-warning acknowledgements send.
    warnings = {finding_key_of(f) for f in stored} | {f.rule_id for f in stored}
    if finding_key not in warnings:
        raise ConflictError(f"第 {revision} 版没有待确认的警告「{finding_key}」")
    query = select(Acknowledgement).where(
        Acknowledgement.agency_code == agency_code,
        Acknowledgement.year == year,
        Acknowledgement.revision == revision,
        Acknowledgement.rule_id == finding_key,
    )
    existing = session.exec(query).first()
    if existing is not None and (existing.reason, existing.person_id) == (reason.strip(), person_id):
        return existing
    entry = existing or Acknowledgement(
        agency_code=agency_code, year=year, revision=revision, rule_id=finding_key, reason=""
    )
    record_change(
        session=session,
        agency_code=agency_code,
        year=year,
        revision=revision,
        target=f"acknowledge:{finding_key}",
        old_value=existing.reason if existing else None,
        new_value=reason.strip(),
        channel=channel,
        person_id=person_id,
    )
    entry.reason, entry.person_id, entry.at = reason.strip(), person_id, utc_now()
    session.add(entry)
    session.flush()
    return entry


def finding_key_of(finding: Finding) -> str:
    """The key acknowledgements name a stored finding by (``domain.rules.Finding.key``)."""
    return f"{finding.rule_id}:{finding.subject}" if finding.subject else finding.rule_id


def acknowledgements_of(
    *, session: Session, agency_code: str, year: int, revision: int
) -> list[Acknowledgement]:
    query = select(Acknowledgement).where(
        Acknowledgement.agency_code == agency_code,
        Acknowledgement.year == year,
        Acknowledgement.revision == revision,
    )
    return list(session.exec(query.order_by(col(Acknowledgement.id))))


def record_approval(
    *,
    session: Session,
    agency_code: str,
    year: int,
    revision: int,
    step: int,
    person_id: int,
    decision: Decision,
    comment: str | None,
    channel: Channel,
    request_key: str | None = None,
) -> Approval:
    """Store one approver's decision; a rejection must say why.

    A decision recorded before under the same ``request_key`` is returned as it is: a retried request
    neither adds a second decision nor a second audit row.
    """
    if decision is Decision.REJECT and not (comment or "").strip():
        raise InvalidEntryError("退回时必须填写意见")
    if request_key is not None:
        earlier = session.exec(select(Approval).where(Approval.request_key == request_key)).first()
        if earlier is not None:
            return earlier
    get_person(session=session, person_id=person_id)
    approval = Approval(
        agency_code=agency_code,
        year=year,
        revision=revision,
        step=step,
        person_id=person_id,
        decision=decision.value,
        comment=(comment or "").strip() or None,
        request_key=request_key,
    )
    session.add(approval)
    session.flush()
    record_change(
        session=session,
        agency_code=agency_code,
        year=year,
        revision=revision,
        target=f"approval:{step}",
        old_value=None,
        new_value=decision.value if approval.comment is None else f"{decision.value}: {approval.comment}",
        channel=channel,
        person_id=person_id,
    )
    return approval


def approvals_of(*, session: Session, agency_code: str, year: int, revision: int) -> list[Approval]:
    query = select(Approval).where(
        Approval.agency_code == agency_code, Approval.year == year, Approval.revision == revision
    )
    return list(session.exec(query.order_by(col(Approval.id))))
