"""The draft as cycles started before ``DRAFT_IN_STORAGE`` tracked it: canonical cell texts in the workflow.

Those cycles replay their recorded histories through this module, so it keeps their behaviour exactly:
figures and documents were parsed in the workflow (with the same pure functions the activities use now)
and the ``draft`` query built the document from the tracked cells. Cycles started since then keep only a
``DraftProgress`` and never come here; the module goes once no such cycle runs any more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from activities import report_documents
from contracts import CellChange, DraftProgress, DraftSnapshot
from domain.document import to_document
from domain.errors import NianbaoError
from domain.formats import OFFICIAL_HEADINGS, PROSE_SECTIONS, ReportFormat, report_format
from domain.report import Report, Section
from domain.values import format_value
from workflows.permissions import RefusedError

# The patch id: set on every cycle that keeps the draft only in storage.
DRAFT_IN_STORAGE = "draft-in-storage"


@dataclass
class LegacyDraft:
    fmt: ReportFormat
    cells: dict[str, str]
    prose: dict[str, str]

    @classmethod
    def of(cls, snapshot: DraftSnapshot) -> LegacyDraft:
        fmt = report_format(snapshot.format_id, legacy_other_row=snapshot.variant == "legacy_other")
        return cls(fmt, dict(snapshot.cells), dict(snapshot.prose))

    def progress(self, revision: int) -> DraftProgress:
        missing = tuple(spec.key for spec in self.fmt.table_cells if not self.cells.get(spec.key))
        total = len(self.fmt.table_cells)
        return DraftProgress(
            revision=revision,
            format=report_documents.format_ref(self.fmt),
            filled=total - len(missing),
            total=total,
            missing=missing,
            missing_prose=tuple(sid for sid in PROSE_SECTIONS if not self.prose.get(sid, "").strip()),
        )

    def parse_figures(self, values: dict[str, str]) -> dict[str, str]:
        try:
            parsed = report_documents.parse_figures(self.fmt, values)
        except NianbaoError as error:
            raise RefusedError(str(error)) from None
        return {key: format_value(value) for key, value in parsed.items()}

    def figure_changes(self, figures: dict[str, str]) -> tuple[CellChange, ...]:
        return tuple(
            CellChange(key, self.cells.get(key, ""), new)
            for key, new in figures.items()
            if self.cells.get(key, "") != new
        )

    @staticmethod
    def check_prose(section: str, text: str) -> None:
        try:
            report_documents.check_prose(section, text)
        except NianbaoError as error:
            raise RefusedError(str(error)) from None

    @staticmethod
    def read_document(
        document: dict[str, Any], year: int
    ) -> tuple[ReportFormat, dict[str, str], dict[str, str]]:
        try:
            return report_documents.document_figures(document, year)
        except NianbaoError as error:
            raise RefusedError(str(error)) from None

    def document_changes(
        self, fmt: ReportFormat, cells: dict[str, str], prose: dict[str, str]
    ) -> tuple[CellChange, ...]:
        return tuple(
            CellChange(key, self.cells.get(key, ""), cells.get(key, ""))
            for key in fmt.keys
            if not key.startswith("meta.") and self.cells.get(key, "") != cells.get(key, "")
        ) + tuple(
            CellChange(sid, self.prose.get(sid, ""), prose.get(sid, ""))
            for sid in PROSE_SECTIONS
            if self.prose.get(sid, "") != prose.get(sid, "")
        )

    def apply(self, changes: tuple[CellChange, ...]) -> None:
        for change in changes:
            target = self.prose if change.key in PROSE_SECTIONS else self.cells
            if change.new or target is self.prose:
                target[change.key] = change.new
            else:
                target.pop(change.key, None)

    def document(self, agency_name: str, year: int) -> dict[str, Any]:
        report = Report.blank(
            self.fmt.id.value,
            agency=agency_name,
            year=year,
            legacy_other_row=self.fmt.variant == "legacy_other",
        )
        for key, text in self.cells.items():
            report.set_cell(key, text)
        for sid, text in self.prose.items():
            report.sections[sid] = Section(OFFICIAL_HEADINGS[sid], text)
        return to_document(report)
