"""The arithmetic of tables 三 and 四: one changed figure gives the finding an officer must see."""

from domain.report import Report
from domain.rules import Finding, check_report
from tests.domain.reports import consistent_report

ARITHMETIC = ("s3.", "s4.")


def _arithmetic(report: Report) -> list[Finding]:
    return [f for f in check_report(report) if f.rule_id.startswith(ARITHMETIC)]


def test_consistent_report_has_no_findings_at_all() -> None:
    report = consistent_report(outcomes={"disclosed": {"natural": 20}}, carried_over={"natural": 2})
    assert check_report(report) == []


def test_outcome_total_message_names_the_column_and_the_difference() -> None:
    report = consistent_report(outcomes={"disclosed": {"natural": 14}, "partial": {"natural": 6}})
    report.set_cell("s3.partial.natural", 12)
    report.set_cell("s3.partial.total", 12)
    findings = [f for f in _arithmetic(report) if f.rule_id == "s3.outcome_total"]
    assert len(findings) == 2
    natural = findings[0]
    assert natural.severity == "error"
    assert natural.message == "三、（七）总计 自然人列为20，但各项办理结果相加为26，相差6"
    assert natural.expected == "26"
    assert natural.actual == "20"
    assert natural.cells[0] == ("s3.total.natural", "三、（七）总计 自然人", 20)
    assert ("s3.partial.natural", "三、（二）部分公开 自然人", 12) in natural.cells
    assert findings[1].message == "三、（七）总计 总计列为20，但各项办理结果相加为26，相差6"


def test_balance_of_a_column_printed_on_the_form() -> None:
    report = consistent_report(outcomes={"disclosed": {"legal": 5}})
    report.set_cell("s3.carried_over.legal", 1)
    report.set_cell("s3.carried_over.total", 1)
    findings = [f for f in _arithmetic(report) if f.rule_id == "s3.balance"]
    assert [f.message for f in findings] == [
        "三、法律服务机构列：第三项（七）总计加第四项结转下年度为6，但第一项本年新收加第二项上年结转为5，两者应相等，相差1",
        "三、总计列：第三项（七）总计加第四项结转下年度为6，但第一项本年新收加第二项上年结转为5，两者应相等，相差1",
    ]
    assert {key for key, _, _ in findings[0].cells} == {
        "s3.total.legal",
        "s3.carried_over.legal",
        "s3.new.legal",
        "s3.carried_in.legal",
    }


def test_row_total_against_the_six_applicant_columns() -> None:
    report = consistent_report(outcomes={"unavailable_not_held": {"natural": 3, "commercial": 2}})
    report.set_cell("s3.unavailable_not_held.total", 4)
    findings = _arithmetic(report)
    row = [f for f in findings if f.rule_id == "s3.row_total"]
    assert len(row) == 1
    assert row[0].message == (
        "三、（四）无法提供 1.本机关不掌握相关政府信息 总计为4，但自然人、法人或其他组织各列相加为5，相差1"
    )
    assert (row[0].expected, row[0].actual) == ("5", "4")


def test_group_total_of_table_four() -> None:
    report = consistent_report()
    report.set_cell("s4.review.upheld", 72)
    report.set_cell("s4.review.corrected", 64)
    report.set_cell("s4.review.other", 178)
    report.set_cell("s4.review.pending", 37)
    report.set_cell("s4.review.total", 350)
    [finding] = _arithmetic(report)
    assert finding.rule_id == "s4.group_total"
    assert (
        finding.message == "四、行政复议 总计为350，但结果维持、结果纠正、其他结果、尚未审结相加为351，相差1"
    )
    assert [key for key, _, _ in finding.cells] == [
        "s4.review.total",
        "s4.review.upheld",
        "s4.review.corrected",
        "s4.review.other",
        "s4.review.pending",
    ]


def test_blank_cells_count_as_zero_and_are_not_errors_themselves() -> None:
    report = Report.blank("2021", agency="某局", year=2022)
    assert _arithmetic(report) == []
    report.set_cell("s4.suit_direct.upheld", 2)
    [finding] = _arithmetic(report)
    assert (
        finding.message
        == "四、行政诉讼 未经复议直接起诉 总计为0，但结果维持、结果纠正、其他结果、尚未审结相加为2，相差2"
    )
    assert ("s4.suit_direct.total", "四、行政诉讼 未经复议直接起诉 总计", None) in finding.cells


def test_legacy_variant_sums_the_single_other_row() -> None:
    report = consistent_report(legacy=True, outcomes={"other": {"natural": 2}, "disclosed": {"natural": 1}})
    assert _arithmetic(report) == []
    report.set_cell("s3.other.natural", 5)
    messages = [f.message for f in _arithmetic(report)]
    assert "三、（七）总计 自然人列为3，但各项办理结果相加为6，相差3" in messages
    assert "三、（六）其他处理 总计为2，但自然人、法人或其他组织各列相加为5，相差3" in messages


def test_2019_format_rules_use_its_own_rows() -> None:
    report = consistent_report(
        "2019", year=2019, outcomes={"other": {"research": 1}, "withheld_law": {"natural": 2}}
    )
    assert check_report(report) == []
    report.set_cell("s3.withheld_law.natural", 3)
    assert {f.rule_id for f in check_report(report)} == {"s3.outcome_total", "s3.row_total"}


def test_finding_serialises_for_json_output() -> None:
    report = consistent_report()
    report.set_cell("s4.review.upheld", 1)
    [finding] = check_report(report)
    data = finding.to_dict()
    assert data["rule_id"] == "s4.group_total"
    assert data["severity"] == "error"
    assert data["cells"][0] == {"key": "s4.review.total", "label": "四、行政复议 总计", "value": "0"}
    assert (data["expected"], data["actual"]) == ("1", "0")
