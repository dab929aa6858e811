"""The structured annual report: meta, the six sections, every table cell under its canonical key."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from domain.formats import (
    OFFICIAL_HEADINGS,
    PROSE_SECTIONS,
    ReportFormat,
    report_format,
)
from domain.values import CellValue, check_value


@dataclass
class Section:
    """One of the six sections: its heading as written, and its prose (empty for table sections)."""

    heading: str
    text: str = ""


@dataclass
class Report:
    """One agency's report for one year.

    ``cells`` holds every table cell of the format; ``None`` is a cell left blank (counted as 0 by the
    rules, exported as an empty value). ``sections`` holds the sections that are present, in order;
    a missing key is a missing section. ``notes`` explains individual cells, e.g. a money amount given
    without a unit.
    """

    format: ReportFormat
    agency: str
    year: int | None
    cells: dict[str, CellValue | None]
    sections: dict[str, Section] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def blank(
        cls, format_id: str, *, agency: str, year: int | None, legacy_other_row: bool = False
    ) -> Report:
        """An empty draft: official headings, no prose, every cell blank."""
        fmt = report_format(format_id, legacy_other_row=legacy_other_row)
        return cls(
            format=fmt,
            agency=agency,
            year=year,
            cells={spec.key: None for spec in fmt.table_cells},
            sections={sid: Section(heading=heading) for sid, heading in OFFICIAL_HEADINGS.items()},
        )

    def __repr__(self) -> str:
        filled = sum(1 for value in self.cells.values() if value is not None)
        return f"Report({self.agency!r}, {self.year}, {self.format.title}, {filled}/{len(self.cells)} cells)"

    def number(self, key: str) -> CellValue:
        """The value of a cell with blank read as 0."""
        value = self.cells.get(key)
        return 0 if value is None else value

    def set_cell(self, key: str, value: object) -> CellValue:
        """Validate and store one figure; raises ``FigureError`` and changes nothing when it is bad."""
        checked = check_value(self.format.cell(key), value)
        self.cells[key] = checked
        return checked

    def prose(self, section_id: str) -> str:
        section = self.sections.get(section_id)
        return section.text if section else ""

    @property
    def missing_cells(self) -> tuple[str, ...]:
        return tuple(key for key, value in self.cells.items() if value is None)

    @property
    def missing_prose(self) -> tuple[str, ...]:
        return tuple(sid for sid in PROSE_SECTIONS if not self.prose(sid).strip())

    def meta_values(self) -> dict[str, str]:
        return {
            "meta.agency": self.agency,
            "meta.year": "" if self.year is None else str(self.year),
            "meta.format": self.format.id.value,
        }


def total(values: list[CellValue]) -> CellValue:
    """Sum that stays an ``int`` for counts and becomes ``Decimal`` only when money is involved."""
    result: CellValue = 0
    for value in values:
        result = result + value if not isinstance(value, Decimal) else Decimal(result) + value
    return result
