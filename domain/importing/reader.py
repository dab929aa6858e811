"""Flattened report text → ``ImportResult``: sections, format, meta and the three tables."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from domain.errors import Ambiguity, FigureRangeError, NotAReportError
from domain.formats import FormatId, format_for_year, report_format
from domain.importing.anchors import FORMAT_MARKERS, SPLIT_OTHER_MARKERS, s3_anchors
from domain.importing.hints import prose_hints
from domain.importing.limits import check_figures, check_text_length
from domain.importing.meta import find_agency_and_year, find_period_year
from domain.importing.rows import line_layout
from domain.importing.sections import Heading, find_headings, prose_between
from domain.importing.segments import Layout, detect_layout
from domain.importing.tables import TableReading, read_s2, read_s3, read_s4
from domain.importing.text import CJK, flexible, looks_hard_wrapped, normalize_text, unwrap
from domain.report import Report, Section

_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


@dataclass
class ImportResult:
    """A report read from a file, with every place it could not be read unambiguously."""

    report: Report
    ambiguities: list[Ambiguity] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Regions:
    s2: tuple[int, int] | None
    s3: tuple[int, int] | None
    s4: tuple[int, int] | None


def parse_text(
    text: str, *, source: str, partial_ok: bool = False, previous: Report | None = None
) -> ImportResult:
    """Read a report from flattened text; ``partial_ok`` accepts an incomplete draft instead of refusing it;
    ``previous`` (last year's report) is context for table-二 rows run together (``continuity``)."""
    check_text_length(text, source=source)
    norm = normalize_text(text)
    if len(CJK.findall(norm)) < 20:
        raise NotAReportError(f"{source}：没有可识别的中文内容，不是政府信息公开工作年度报告")
    headings = {h.section: h for h in find_headings(norm)}
    regions = _regions(norm, headings)
    if regions.s2 is None and regions.s3 is None and headings:
        raise NotAReportError(
            f"{source}：报告不完整，只有{'、'.join(h.text for h in headings.values())}，缺少统计表，"
            "文件可能被截断；请提供完整的年度报告"
        )
    if regions.s2 is None and regions.s3 is None:
        raise NotAReportError(
            f"{source}：未找到年度报告的统计表（二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况），"
            "这不是政府信息公开工作年度报告"
        )
    for span in (regions.s2, regions.s3, regions.s4):
        check_figures(_slice(norm, span), source=source)
    head = norm[: min((h.start for h in headings.values()), default=len(norm))]
    agency, year = find_agency_and_year(head)
    year = year or find_period_year(norm)
    format_id = _format(_slice(norm, regions.s2) or norm, year)
    legacy = format_id is FormatId.F2021 and regions.s3 is not None and not _splits_other(norm, regions.s3)
    fmt = report_format(format_id.value, legacy_other_row=legacy)
    report = Report.blank(format_id.value, agency=agency, year=year, legacy_other_row=legacy)
    report.sections = _sections(norm, headings)
    layout = detect_layout(_slice(norm, regions.s3 or regions.s2))
    if regions.s3 is not None:
        layout = line_layout(_slice(norm, regions.s3), s3_anchors(split_other=fmt.id.value == "2021"), layout)

    def table(span: tuple[int, int]) -> str:
        region = _slice(norm, span)
        return region if layout is Layout.CSV else _THOUSANDS.sub("", region)

    try:
        s2 = (
            read_s2(table(regions.s2), fmt, layout, prose_hints(report.prose("s1"), fmt.id), previous)
            if regions.s2
            else None
        )
        s3 = read_s3(table(regions.s3), fmt, layout) if regions.s3 else None
        s4 = read_s4(table(regions.s4), fmt, layout) if regions.s4 else None
    except FigureRangeError as error:
        raise NotAReportError(f"{source}：统计表中{error}；请核对原文后重新提交") from None
    readings = [reading for reading in (s2, s3, s4) if reading is not None]
    result = ImportResult(report=report)
    for reading in readings:
        report.cells.update(reading.values)
        report.notes.update(reading.notes)
        result.ambiguities.extend(reading.ambiguities)
        result.warnings.extend(reading.warnings)
    if not agency:
        result.warnings.append("未能从标题识别报告机关名称")
    if year is None:
        result.warnings.append("未能识别报告年度")
    _refuse_truncated(source, headings, s3, s4_found=s4 is not None, partial_ok=partial_ok)
    return result


def _slice(text: str, span: tuple[int, int] | None) -> str:
    return text[span[0] : span[1]] if span else ""


def _next_start(headings: dict[str, Heading], after: int, default: int) -> int:
    return min((h.start for h in headings.values() if h.start >= after), default=default)


def _regions(norm: str, headings: dict[str, Heading]) -> _Regions:
    end = len(norm)
    new_row = s3_anchors(split_other=False)[0].pattern.search(norm)
    s3_start = headings["s3"].end if "s3" in headings else (new_row.start() if new_row else None)
    twenty = re.search(flexible("第二十条"), norm)
    s2_start = headings["s2"].end if "s2" in headings else (twenty.start() if twenty else None)
    s2 = None
    if s2_start is not None:
        s2 = (
            s2_start,
            s3_start
            if s3_start is not None and s3_start > s2_start
            else _next_start(headings, s2_start, end),
        )
    s3 = s4 = None
    if s3_start is not None:
        s4_start = headings["s4"].start if "s4" in headings and headings["s4"].start > s3_start else None
        if s4_start is None:
            carried = re.search(flexible("结转下年度"), norm[s3_start:])
            review = re.search(flexible("行政复议"), norm[s3_start + (carried.end() if carried else 0) :])
            if review:
                s4_start = s3_start + (carried.end() if carried else 0) + review.start()
        s3 = (s3_start, s4_start if s4_start is not None else _next_start(headings, s3_start, end))
        if s4_start is not None:
            body = headings["s4"].end if "s4" in headings and headings["s4"].start == s4_start else s4_start
            s4 = (body, _next_start(headings, body, end))
    return _Regions(s2=s2, s3=s3, s4=s4)


def _format(norm: str, year: int | None) -> FormatId:
    compact = re.sub(r"\s+", "", norm)
    scores = {
        fid: sum(compact.count(marker) for marker in markers) for fid, markers in FORMAT_MARKERS.items()
    }
    if scores["2019"] != scores["2021"]:
        return FormatId(max(scores, key=lambda fid: scores[fid]))
    return format_for_year(year) if year else FormatId.F2021


def _splits_other(norm: str, s3: tuple[int, int]) -> bool:
    region = norm[s3[0] : s3[1]]
    return any(re.search(flexible(marker), region) for marker in SPLIT_OTHER_MARKERS)


def _sections(norm: str, headings: dict[str, Heading]) -> dict[str, Section]:
    ordered = sorted(headings.values(), key=lambda h: h.start)
    sections: dict[str, Section] = {}
    for i, heading in enumerate(ordered):
        end = ordered[i + 1].start if i + 1 < len(ordered) else len(norm)
        text = ""
        if heading.section in ("s1", "s5", "s6"):
            if heading.section == "s1":
                end = min(end, _table_start(norm, heading.end, end))
            text = prose_between(norm, heading.end, end, last=i + 1 == len(ordered))
        sections[heading.section] = Section(heading=heading.text, text=text)
    prose_lines = [line for section in sections.values() for line in section.text.split("\n") if line]
    if looks_hard_wrapped(prose_lines):
        for section in sections.values():
            section.text = unwrap(section.text)
    return sections


def _table_start(norm: str, start: int, end: int) -> int:
    twenty = re.search(flexible("第二十条第"), norm[start:end])
    return start + twenty.start() if twenty else end


def _refuse_truncated(
    source: str,
    headings: dict[str, Heading],
    s3: TableReading | None,
    *,
    s4_found: bool,
    partial_ok: bool,
) -> None:
    if partial_ok or "s5" in headings or "s6" in headings:
        return
    s3_complete = s3 is not None and s3.rows_found >= len(s3_anchors(split_other=False)) - 1
    if not s3_complete or not s4_found:
        raise NotAReportError(
            f"{source}：报告不完整，在表格中途结束且缺少五、六部分，文件可能被截断；请提供完整的年度报告"
        )
