"""The cell catalogue of each official format, built from ``schemas/cells.tsv``.

A ``ReportFormat`` knows every cell of one format (and of the 2021 variant that keeps the single 2019
（六）其他处理 row), in export order, with its kind, label and unit, plus the shape of the tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

import schemas


class FormatId(StrEnum):
    F2019 = "2019"
    F2021 = "2021"


class CellKind(StrEnum):
    META = "meta"
    COUNT = "count"  # a non-negative whole number
    CHANGE = "change"  # a whole number that may be negative (本年增/减)
    MONEY = "money"  # an amount in 万元


SECTION_IDS: tuple[str, ...] = ("s1", "s2", "s3", "s4", "s5", "s6")
PROSE_SECTIONS: tuple[str, ...] = ("s1", "s5", "s6")
TABLE_SECTIONS: tuple[str, ...] = ("s2", "s3", "s4")

OFFICIAL_HEADINGS: dict[str, str] = {
    "s1": "一、总体情况",
    "s2": "二、主动公开政府信息情况",
    "s3": "三、收到和处理政府信息公开申请情况",
    "s4": "四、政府信息公开行政复议、行政诉讼情况",
    "s5": "五、存在的主要问题及改进情况",
    "s6": "六、其他需要报告的事项",
}

S3_APPLICANT_COLUMNS: tuple[str, ...] = ("natural", "commercial", "research", "nonprofit", "legal", "other")
S3_COLUMNS: tuple[str, ...] = (*S3_APPLICANT_COLUMNS, "total")
S3_COLUMN_LABELS: dict[str, str] = {
    "natural": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "nonprofit": "社会公益组织",
    "legal": "法律服务机构",
    "other": "其他",
    "total": "总计",
}
S4_GROUPS: tuple[str, ...] = ("review", "suit_direct", "suit_after_review")
S4_COLUMNS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")
LEGACY_OTHER_ROWS: tuple[str, ...] = ("other_no_correction", "other_no_fee", "other_misc")


@dataclass(frozen=True, slots=True)
class CellSpec:
    key: str
    label: str
    unit: str
    kind: CellKind

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.label.split("/"))

    @property
    def short_label(self) -> str:
        """The label without its section title, e.g. ``（一）予以公开/自然人``."""
        parts = self.path
        return "/".join(parts[1:]) if len(parts) > 1 else parts[0]


@dataclass(frozen=True)
class ReportFormat:
    """One official format (or the 2021 variant with the single 2019 （六） row)."""

    id: FormatId
    legacy_other_row: bool
    cells: tuple[CellSpec, ...]
    _by_key: dict[str, CellSpec] = field(repr=False, compare=False)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(spec.key for spec in self.cells)

    @property
    def table_cells(self) -> tuple[CellSpec, ...]:
        return tuple(spec for spec in self.cells if spec.kind is not CellKind.META)

    def cell(self, key: str) -> CellSpec:
        return self._by_key[key]

    def has(self, key: str) -> bool:
        return key in self._by_key

    def section_cells(self, section: str) -> tuple[CellSpec, ...]:
        return tuple(spec for spec in self.cells if spec.section == section)

    @property
    def s3_rows(self) -> tuple[str, ...]:
        """Row ids of table 三 in order: new, carried_in, the outcome rows, total, carried_over."""
        rows: list[str] = []
        for spec in self.section_cells("s3"):
            row = spec.key.split(".")[1]
            if row not in rows:
                rows.append(row)
        return tuple(rows)

    @property
    def s3_outcome_rows(self) -> tuple[str, ...]:
        return tuple(r for r in self.s3_rows if r not in ("new", "carried_in", "total", "carried_over"))

    @property
    def variant(self) -> str:
        return "legacy_other" if self.legacy_other_row else "standard"

    @property
    def title(self) -> str:
        suffix = "（保留2019年格式（六）其他处理单行）" if self.legacy_other_row else ""
        return f"{self.id.value}年格式{suffix}"


def _kind(key: str, unit: str) -> CellKind:
    if key.startswith("meta."):
        return CellKind.META
    if unit == "万元":
        return CellKind.MONEY
    if key.endswith(".change"):
        return CellKind.CHANGE
    return CellKind.COUNT


def _specs(format_id: str) -> list[CellSpec]:
    return [
        CellSpec(key=key, label=label, unit=unit, kind=_kind(key, unit))
        for fmt, key, label, unit in schemas.cell_rows()
        if fmt == format_id
    ]


@cache
def report_format(format_id: str, *, legacy_other_row: bool = False) -> ReportFormat:
    """The catalogue of one format; ``legacy_other_row`` only applies to the 2021 format."""
    fid = FormatId(format_id)
    specs = _specs(fid.value)
    if legacy_other_row:
        if fid is not FormatId.F2021:
            raise ValueError("only the 2021 format has a legacy （六） variant")
        legacy = [s for s in _specs(FormatId.F2019.value) if s.key.startswith("s3.other.")]
        first = next(i for i, s in enumerate(specs) if s.key.split(".")[1:2] == [LEGACY_OTHER_ROWS[0]])
        specs = [s for s in specs if s.key.split(".")[1] not in LEGACY_OTHER_ROWS or s.section != "s3"]
        specs[first:first] = legacy
    return ReportFormat(
        id=fid,
        legacy_other_row=legacy_other_row,
        cells=tuple(specs),
        _by_key={s.key: s for s in specs},
    )


def format_for_year(year: int) -> FormatId:
    """The format an agency must use for the report of ``year``: 2019 for 2019–2020, 2021 after."""
    return FormatId.F2019 if year <= 2020 else FormatId.F2021
