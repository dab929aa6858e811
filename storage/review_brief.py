"""What an approver reads before deciding: every warning with its reason, the decisions of earlier
rounds, and what changed in the draft since the last decision (「无变化」 for an identical re-submission)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session

from domain.formats import OFFICIAL_HEADINGS
from domain.labels import cell_label
from domain.times import beijing_time
from storage.audit import audit_trail
from storage.drafts import draft_revision
from storage.people import get_person
from storage.reviews import WARNING, acknowledgements_of, approvals_of, finding_key_of, findings_of

# Audit targets that are the draft's content: cells (s3.new.natural), prose (s1), headings (s1.heading).
_CONTENT = re.compile(r"^s\d(\.|$)")
_LISTED_CHANGES = 10
_DECISIONS = {"approve": "同意", "reject": "退回"}


@dataclass(frozen=True, slots=True)
class ExplainedWarning:
    key: str
    message: str
    reason: str | None


@dataclass(frozen=True, slots=True)
class PastDecision:
    name: str
    decision: str
    comment: str | None
    at: str


@dataclass(frozen=True, slots=True)
class ContentChange:
    target: str
    old: str | None
    new: str | None


@dataclass(frozen=True, slots=True)
class ReviewBrief:
    warnings: tuple[ExplainedWarning, ...]
    decisions: tuple[PastDecision, ...]
    # None in the first round: there is no earlier decision to compare with.
    changes: tuple[ContentChange, ...] | None


def review_brief(*, session: Session, agency_code: str, year: int, revision: int) -> ReviewBrief:
    reasons = {
        a.rule_id: a.reason
        for a in acknowledgements_of(session=session, agency_code=agency_code, year=year, revision=revision)
    }
    warnings = tuple(
        ExplainedWarning(finding_key_of(f), f.message, reasons.get(finding_key_of(f), reasons.get(f.rule_id)))
        for f in findings_of(session=session, agency_code=agency_code, year=year, revision=revision)
        if f.severity == WARNING
    )
    approvals = approvals_of(session=session, agency_code=agency_code, year=year, revision=revision)
    decisions = tuple(
        PastDecision(
            get_person(session=session, person_id=a.person_id).name,
            _DECISIONS.get(a.decision, a.decision),
            a.comment,
            beijing_time(a.at),
        )
        for a in approvals
    )
    changes: tuple[ContentChange, ...] | None = None
    if approvals:
        since = approvals[-1].at
        first_old: dict[str, str | None] = {}
        last_new: dict[str, str | None] = {}
        for entry in audit_trail(session=session, agency_code=agency_code, year=year):
            if entry.revision != revision or entry.at < since or not _CONTENT.match(entry.target):
                continue
            first_old.setdefault(entry.target, entry.old_value)
            last_new[entry.target] = entry.new_value
        changes = tuple(
            ContentChange(target, first_old[target], new)
            for target, new in last_new.items()
            if (first_old[target] or None) != (new or None)
        )
    return ReviewBrief(warnings, decisions, changes)


def brief_lines(brief: ReviewBrief, *, format_id: str) -> list[str]:
    """The brief as Chinese lines for a notice or the terminal."""
    lines: list[str] = []
    if brief.warnings:
        lines.append(f"警告{len(brief.warnings)}条及说明：")
        lines += [f"  ［{w.key}］{w.message}——理由：{w.reason or '（未说明）'}" for w in brief.warnings]
    if brief.decisions:
        lines.append("此前审核意见：")
        lines += [
            f"  {d.at} {d.name}{d.decision}" + (f"：{d.comment}" if d.comment else "")
            for d in brief.decisions
        ]
    if brief.changes is not None:
        if not brief.changes:
            lines.append("自上次审核以来：无变化")
        else:
            lines.append(f"自上次审核以来改动{len(brief.changes)}处：")
            lines += [
                f"  {_target_label(c.target, format_id)}：{c.old or '空'} → {c.new or '空'}"
                for c in brief.changes[:_LISTED_CHANGES]
            ]
            if len(brief.changes) > _LISTED_CHANGES:
                lines.append(f"  ……等{len(brief.changes)}处")
    return lines


def _target_label(target: str, format_id: str) -> str:
    if target in OFFICIAL_HEADINGS:
        return OFFICIAL_HEADINGS[target]
    if target.endswith(".heading"):
        return OFFICIAL_HEADINGS.get(target.removesuffix(".heading"), target) + " 标题"
    try:
        return cell_label(target, format_id=format_id)
    except KeyError:
        return target


def brief_for_current(*, session: Session, agency_code: str, year: int, revision: int) -> list[str]:
    draft = draft_revision(session=session, agency_code=agency_code, year=year, revision=revision)
    brief = review_brief(session=session, agency_code=agency_code, year=year, revision=revision)
    return brief_lines(brief, format_id=draft.format)
