"""Property: a report that adds up has no arithmetic finding; breaking any one cell of 三 is caught."""

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.formats import S3_APPLICANT_COLUMNS, report_format
from domain.rules import check_report
from tests.domain.reports import consistent_report

ARITHMETIC = ("s3.", "s4.")
VARIANTS = [("2019", False), ("2021", False), ("2021", True)]

counts = st.integers(min_value=0, max_value=500)


Case = tuple[str, bool, dict[str, dict[str, int]], dict[str, int], dict[str, int]]


@st.composite
def reports(draw: st.DrawFn) -> Case:
    format_id, legacy = draw(st.sampled_from(VARIANTS))
    rows = report_format(format_id, legacy_other_row=legacy).s3_outcome_rows
    outcomes = draw(
        st.dictionaries(st.sampled_from(rows), st.dictionaries(st.sampled_from(S3_APPLICANT_COLUMNS), counts))
    )
    carried_over = draw(st.dictionaries(st.sampled_from(S3_APPLICANT_COLUMNS), counts))
    carried_in = draw(st.dictionaries(st.sampled_from(S3_APPLICANT_COLUMNS), counts))
    return format_id, legacy, outcomes, carried_over, carried_in


@settings(max_examples=60, deadline=None)
@given(reports())
def test_consistent_reports_have_no_arithmetic_findings(case: Case) -> None:
    format_id, legacy, outcomes, carried_over, carried_in = case
    report = consistent_report(
        format_id, legacy=legacy, outcomes=outcomes, carried_over=carried_over, carried_in=carried_in
    )
    assert [f for f in check_report(report) if f.rule_id.startswith(ARITHMETIC)] == []


@settings(max_examples=150, deadline=None)
@given(reports(), st.data())
def test_breaking_any_cell_of_table_three_names_it_in_an_error(case: Case, data: st.DataObject) -> None:
    format_id, legacy, outcomes, carried_over, carried_in = case
    report = consistent_report(
        format_id, legacy=legacy, outcomes=outcomes, carried_over=carried_over, carried_in=carried_in
    )
    key = data.draw(st.sampled_from([spec.key for spec in report.format.section_cells("s3")]))
    old = int(report.number(key))
    new = data.draw(counts.filter(lambda value: value != old))
    report.set_cell(key, new)
    errors = [f for f in check_report(report) if f.severity == "error"]
    assert errors
    assert any(key in {cell_key for cell_key, _, _ in f.cells} for f in errors)
