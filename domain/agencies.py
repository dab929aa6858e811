"""Whether two reports are of the same agency, and whether one can be the other's previous year."""

from __future__ import annotations

from domain.report import Report


def same_agency(written: str, other: str) -> bool:
    """Whether two agency names are the same agency: reports often shorten the name (区信访办 for
    红桥区信访办), so one name containing the other counts as the same."""
    a, b = "".join(written.split()).lstrip("#"), "".join(other.split()).lstrip("#")
    return bool(a and b) and (a in b or b in a)


def previous_refusal(report: Report, previous: Report) -> str | None:
    """Why ``previous`` cannot be last year's report of ``report`` (another agency or year), or None."""
    if report.agency and previous.agency and not same_agency(previous.agency, report.agency):
        return f"上一年度报告是“{previous.agency}”的，与“{report.agency}”的报告不是同一机关，无法对照"
    if report.year is not None and previous.year is not None and previous.year != report.year - 1:
        return (
            f"上一年度报告是{previous.year}年度的，而本报告是{report.year}年度，"
            f"应提供{report.year - 1}年度的报告"
        )
    return None
