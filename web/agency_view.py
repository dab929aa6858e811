"""The data of one agency-year page: stages, findings, approvals, every change, revisions, publications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine
from sqlmodel import col, select

from domain.labels import format_cell_labels
from storage.agencies import get_agency
from storage.audit import audit_trail, value_text
from storage.drafts import document_values, revisions
from storage.engine import session_scope
from storage.extensions import extensions_of
from storage.overview_details import RowDetails, details_for
from storage.publications import publications_of
from storage.reviews import acknowledgements_of, approvals_of, findings_of
from storage.tables import (
    Acknowledgement,
    Agency,
    Approval,
    AuditEntry,
    CycleStatus,
    DeadlineExtension,
    Draft,
    Finding,
    Person,
    Publication,
)
from web.users import ConsoleUser

PROSE_NAMES = {"s1": "一、总体情况", "s5": "五、存在的主要问题及改进情况", "s6": "六、其他需要报告的事项"}
# Audit targets that are not a cell or a section of the report.
EVENT_PREFIXES = (
    "stage",
    "approval:",
    "acknowledge:",
    "publication:",
    "correction",
    "deadline",
    "role:",
    "agency",
)


@dataclass(frozen=True)
class CellDiff:
    target: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class AgencyYear:
    agency: Agency
    parent: Agency | None
    year: int
    status: CycleStatus | None
    details: RowDetails
    extensions: list[DeadlineExtension]
    stage_changes: list[AuditEntry]
    changes: list[AuditEntry]
    labels: dict[str, str]
    findings: list[Finding]
    acknowledgements: dict[str, Acknowledgement]
    approvals: list[Approval]
    revisions: list[Draft]
    publications: list[Publication]
    names: dict[int, str]
    diff: list[CellDiff]
    diff_pair: tuple[int, int] | None
    may_act: bool

    @property
    def deadline(self) -> date | None:
        if self.extensions:
            return self.extensions[-1].deadline
        return self.status.deadline if self.status else None


class NotVisibleError(Exception):
    """The agency does not exist or lies outside what the user may see (both look the same to them)."""


def load_agency_year(
    engine: Engine, user: ConsoleUser, code: str, year: int, pair: tuple[int, int] | None
) -> AgencyYear:
    with session_scope(engine) as session:
        agency = session.get(Agency, code)
        if agency is None or not user.may_see(agency):
            raise NotVisibleError
        parent = get_agency(session=session, code=agency.parent_code) if agency.parent_code else None
        trail = audit_trail(session=session, agency_code=code, year=year)
        drafts = revisions(session=session, agency_code=code, year=year)
        current = drafts[-1].revision if drafts else None
        findings = (
            findings_of(session=session, agency_code=code, year=year, revision=current) if current else []
        )
        acks = (
            {
                a.rule_id: a
                for a in acknowledgements_of(session=session, agency_code=code, year=year, revision=current)
            }
            if current
            else {}
        )
        approvals = [
            a
            for d in drafts
            for a in approvals_of(session=session, agency_code=code, year=year, revision=d.revision)
        ]
        people = (
            {e.person_id for e in trail}
            | {a.person_id for a in approvals}
            | {a.person_id for a in acks.values()}
        )
        ids = [p for p in people if p is not None]
        names = {p.id: p.name for p in session.exec(select(Person).where(col(Person.id).in_(ids))) if p.id}
        diff_pair, diff = _diff(drafts, pair)
        return AgencyYear(
            agency=agency,
            parent=parent,
            year=year,
            status=session.get(CycleStatus, (code, year)),
            details=details_for(session=session, year=year, codes=[code])[code],
            extensions=extensions_of(session=session, agency_code=code, year=year),
            stage_changes=[e for e in trail if e.target == "stage"],
            changes=[e for e in trail if not e.target.startswith(EVENT_PREFIXES)],
            labels=_labels(drafts),
            findings=findings,
            acknowledgements=acks,
            approvals=approvals,
            revisions=drafts,
            publications=publications_of(session=session, agency_code=code, year=year),
            names=names,
            diff=diff,
            diff_pair=diff_pair,
            may_act=user.may_act_on(agency),
        )


def _labels(drafts: list[Draft]) -> dict[str, str]:
    """Cell key or section id → the name officers read, for the formats of these revisions."""
    labels = dict(PROSE_NAMES)
    for draft in drafts:
        variant = (draft.document.get("meta") or {}).get("variant") == "legacy_other"
        labels.update(format_cell_labels(draft.format, legacy_other_row=variant))
    return labels


def _diff(drafts: list[Draft], pair: tuple[int, int] | None) -> tuple[tuple[int, int] | None, list[CellDiff]]:
    """Cell-by-cell differences between two revisions (default: the last two)."""
    by_revision = {d.revision: d for d in drafts}
    if pair is None:
        if len(drafts) < 2:
            return None, []
        pair = (drafts[-2].revision, drafts[-1].revision)
    if pair[0] not in by_revision or pair[1] not in by_revision:
        return None, []
    old, new = document_values(by_revision[pair[0]].document), document_values(by_revision[pair[1]].document)
    diff = [
        CellDiff(key, value_text(old.get(key)), value_text(new.get(key)))
        for key in dict.fromkeys([*old, *new])
        if old.get(key) != new.get(key) and not key.endswith(".heading")
    ]
    return pair, diff


def draft_document(
    engine: Engine, user: ConsoleUser, code: str, year: int, revision: int
) -> dict[str, object]:
    with session_scope(engine) as session:
        agency = session.get(Agency, code)
        if agency is None or not user.may_see(agency):
            raise NotVisibleError
        draft = session.exec(
            select(Draft).where(Draft.agency_code == code, Draft.year == year, Draft.revision == revision)
        ).first()
        if draft is None:
            raise NotVisibleError
        return dict(draft.document)
