"""What the overview shows beside each row of one page: fetched for that page's agencies only.

Cells missing (from the current draft), findings not yet dealt with, the last reminder, whose approval the
report waits for, and when the report entered its stage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from storage.kinds import RoleName
from storage.tables import Acknowledgement, Approval, AuditEntry, Draft, Finding, Outbox, Person, Role

REMINDER_KINDS: tuple[str, ...] = ("reminder", "kickoff")
APPROVER_ROLES: tuple[RoleName, ...] = (RoleName.REVIEWER, RoleName.HEAD)


@dataclass(frozen=True, slots=True)
class RowDetails:
    revision: int | None = None
    cells_missing: int | None = None
    percent_complete: int | None = None
    open_errors: int = 0
    open_warnings: int = 0
    last_reminder: datetime | None = None
    waiting_for: str | None = None
    stage_since: datetime | None = None


def details_for(*, session: Session, year: int, codes: Sequence[str]) -> dict[str, RowDetails]:
    """Details for each agency of ``codes`` (those without a draft get empty details)."""
    if not codes:
        return {}
    drafts = _current_drafts(session, year, codes)
    errors, warnings = _open_findings(session, year, drafts)
    reminders = last_reminders(session=session, year=year, codes=codes)
    since = _stage_since(session, year, codes)
    approvers = _awaited_approvers(session, [d for d in drafts.values() if d.stage == "approving"])
    details: dict[str, RowDetails] = {}
    for code in codes:
        draft = drafts.get(code)
        missing, total = _missing(draft) if draft else (None, 0)
        details[code] = RowDetails(
            revision=draft.revision if draft else None,
            cells_missing=missing,
            percent_complete=100 * (total - missing) // total if missing is not None and total else None,
            open_errors=errors.get(code, 0),
            open_warnings=warnings.get(code, 0),
            last_reminder=reminders.get(code),
            waiting_for=approvers.get(code),
            # A draft's first stage is not an audited move: it began when the draft was opened.
            stage_since=since.get(code) or (_aware(draft.created_at) if draft else None),
        )
    return details


def _current_drafts(session: Session, year: int, codes: Sequence[str]) -> dict[str, Draft]:
    newest = (
        select(Draft.agency_code, func.max(Draft.revision).label("revision"))
        .where(Draft.year == year, col(Draft.agency_code).in_(list(codes)))
        .group_by(col(Draft.agency_code))
        .subquery()
    )
    query = select(Draft).join(
        newest, (newest.c.agency_code == Draft.agency_code) & (newest.c.revision == Draft.revision)
    )
    return {draft.agency_code: draft for draft in session.exec(query.where(Draft.year == year))}


def _missing(draft: Draft) -> tuple[int, int]:
    """(blank table cells, table cells) of the draft, as the document holds them now."""
    cells = [
        value
        for section in (draft.document.get("sections") or {}).values()
        for value in (section.get("cells") or {}).values()
    ]
    return sum(1 for value in cells if value is None), len(cells)


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _open_findings(
    session: Session, year: int, drafts: dict[str, Draft]
) -> tuple[dict[str, int], dict[str, int]]:
    errors: dict[str, int] = {}
    warnings: dict[str, int] = {}
    if not drafts:
        return errors, warnings
    current = {(code, draft.revision) for code, draft in drafts.items()}
    acknowledged = {
        (a.agency_code, a.revision, a.rule_id)
        for a in session.exec(
            select(Acknowledgement).where(
                Acknowledgement.year == year, col(Acknowledgement.agency_code).in_(list(drafts))
            )
        )
    }
    query = select(Finding).where(Finding.year == year, col(Finding.agency_code).in_(list(drafts)))
    for finding in session.exec(query):
        if (finding.agency_code, finding.revision) not in current:
            continue
        if finding.severity == "error":
            errors[finding.agency_code] = errors.get(finding.agency_code, 0) + 1
        elif (finding.agency_code, finding.revision, finding.rule_id) not in acknowledged:
            warnings[finding.agency_code] = warnings.get(finding.agency_code, 0) + 1
    return errors, warnings


def _prefix(code: str, year: int) -> str:
    # The cycle's notices carry dedup keys ``report-{agency}-{year}-r{revision}-…`` (workflows.cycle_state).
    return f"report-{code}-{year}-r"


def last_reminders(*, session: Session, year: int, codes: Sequence[str]) -> dict[str, datetime]:
    """When each agency's people were last sent a reminder (queued) for ``year``."""
    if not codes:
        return {}
    prefixes = {_prefix(code, year): code for code in codes}
    query = select(Outbox.dedup_key, Outbox.created_at).where(
        col(Outbox.kind).in_(REMINDER_KINDS),
        or_(*(col(Outbox.dedup_key).startswith(p, autoescape=True) for p in prefixes)),
    )
    found: dict[str, datetime] = {}
    for key, at in session.exec(query):
        code = next((c for p, c in prefixes.items() if key.startswith(p)), None)
        stamp = at if at.tzinfo else at.replace(tzinfo=UTC)
        if code is not None and (code not in found or stamp > found[code]):
            found[code] = stamp
    return found


def _awaited_approvers(session: Session, drafts: Sequence[Draft]) -> dict[str, str]:
    """Per agency in approval: who holds the first step not yet approved since the revision's last rejection.

    The chain is ``storage.people.approval_chain``'s (reviewers in the order appointed, then the head),
    read for every agency of the page in one query; the cycle numbers its steps from 0.
    """
    if not drafts:
        return {}
    codes = [draft.agency_code for draft in drafts]
    match = or_(
        *(
            (col(Approval.agency_code) == d.agency_code) & (col(Approval.revision) == d.revision)
            for d in drafts
        )
    )
    approved: dict[str, set[int]] = {code: set() for code in codes}
    for decision in session.exec(
        select(Approval).where(Approval.year == drafts[0].year, match).order_by(col(Approval.id))
    ):
        steps = approved[decision.agency_code]
        if decision.decision == "reject":
            steps.clear()
        else:
            steps.add(decision.step)
    holders = session.exec(
        select(Role.agency_code, Role.role, Person.name)
        .join(Person, col(Person.id) == col(Role.person_id))
        .where(col(Role.agency_code).in_(codes), col(Role.role).in_([r.value for r in APPROVER_ROLES]))
        .order_by(col(Role.id))
    ).all()
    waiting: dict[str, str] = {}
    for code in codes:
        chain = [name for role in APPROVER_ROLES for c, r, name in holders if c == code and r == role.value]
        pending = [name for step, name in enumerate(chain) if step not in approved[code]]
        if pending:
            waiting[code] = pending[0]
    return waiting


def _stage_since(session: Session, year: int, codes: Sequence[str]) -> dict[str, datetime]:
    query = (
        select(AuditEntry.agency_code, func.max(AuditEntry.at))
        .where(
            AuditEntry.year == year,
            AuditEntry.target == "stage",
            col(AuditEntry.agency_code).in_(list(codes)),
        )
        .group_by(col(AuditEntry.agency_code))
    )
    return {
        code: (at if at.tzinfo else at.replace(tzinfo=UTC))
        for code, at in session.exec(query)
        if at is not None
    }


def people_to_chase(*, session: Session, year: int, stages: dict[str, str]) -> dict[str, list[str]]:
    """Per agency (code → stage): who holds its report now, the awaited approver or else its officers."""
    approving = [code for code, stage in stages.items() if stage == "approving"]
    drafts = _current_drafts(session, year, approving) if approving else {}
    approvers = _awaited_approvers(session, list(drafts.values()))
    officers: dict[str, list[str]] = {}
    if stages:
        query = (
            select(Role.agency_code, Person.name)
            .join(Person, col(Person.id) == col(Role.person_id))
            .where(col(Role.agency_code).in_(list(stages)), Role.role == RoleName.OFFICER.value)
            .order_by(col(Role.id))
        )
        for code, name in session.exec(query):
            officers.setdefault(code, []).append(name)
    return {code: [approvers[code]] if code in approvers else officers.get(code, []) for code in stages}
