"""Nothing incomplete is approved: before publication a blank cell or an empty prose section is an error."""

from domain.formats import OFFICIAL_HEADINGS
from domain.report import Report, Section
from domain.rules import check_report
from tests.domain.reports import consistent_report


def test_a_blank_cell_is_an_error_of_the_draft_not_a_warning() -> None:
    report = consistent_report()
    report.cells["s2.art20_1.rules.issued"] = None
    findings = check_report(report, pre_publication=True)
    assert [(f.rule_id, f.severity) for f in findings] == [("pre_publication.blank_cells", "error")]


def test_a_draft_with_21_cells_filled_has_an_error_per_table_and_per_empty_prose_section() -> None:
    report = Report.blank("2019", agency="某区信访局", year=2019)
    for key in list(report.cells)[:21]:
        if not key.startswith("meta."):
            report.set_cell(key, 0)
    errors = [f for f in check_report(report, pre_publication=True) if f.is_error]
    blank = [f for f in errors if f.rule_id == "pre_publication.blank_cells"]
    assert {f.subject for f in blank} == {"s2", "s3", "s4"}
    empty = {f.subject for f in errors if f.rule_id == "pre_publication.prose_empty"}
    missing = {f.subject for f in errors if f.rule_id == "structure.section_missing"}
    assert empty | missing == {"s1", "s5", "s6"}


def test_a_prose_section_absent_from_the_draft_is_an_error() -> None:
    report = consistent_report()
    del report.sections["s5"]
    [finding] = [f for f in check_report(report, pre_publication=True) if f.is_error]
    assert finding.subject == "s5"
    assert OFFICIAL_HEADINGS["s5"] in finding.message


def test_findings_of_one_rule_are_told_apart_by_their_subject() -> None:
    report = consistent_report()
    report.sections["s1"] = Section("1、 总体情况", report.sections["s1"].text)
    report.sections["s6"] = Section("六、其他需求报告的事项", report.sections["s6"].text)
    headings = [f for f in check_report(report) if f.rule_id == "structure.heading"]
    assert [f.key for f in headings] == ["structure.heading:s1", "structure.heading:s6"]
