"""Rules that compare with last year's report, run only when it is given."""

from domain.report import Report
from domain.rules import check_report
from tests.domain.reports import consistent_report


def test_carried_in_must_equal_last_years_carried_over_per_column() -> None:
    last = consistent_report(year=2021, outcomes={"disclosed": {"natural": 5}}, carried_over={"natural": 3})
    this = consistent_report(outcomes={"disclosed": {"natural": 9}}, carried_in={"natural": 3})
    assert check_report(this, previous=last) == []
    this = consistent_report(outcomes={"disclosed": {"natural": 9}}, carried_in={"natural": 2})
    assert check_report(this) == []
    findings = check_report(this, previous=last)
    assert [f.message for f in findings] == [
        "三、上年结转政府信息公开申请数量 自然人为2，但上一年度报告的结转下年度继续办理为3，两者应相等，相差1",
        "三、上年结转政府信息公开申请数量 总计为2，但上一年度报告的结转下年度继续办理为3，两者应相等，相差1",
    ]
    assert findings[0].severity == "error"
    assert findings[0].cells == (
        ("s3.carried_in.natural", "三、上年结转政府信息公开申请数量 自然人", 2),
        ("prev:s3.carried_over.natural", "上一年度报告 三、结转下年度继续办理 自然人", 3),
    )


def test_documents_in_force_follow_last_year_with_issued_and_repealed() -> None:
    last = consistent_report(year=2021)
    last.set_cell("s2.art20_1.normative.in_force", 60)
    this = consistent_report()
    this.set_cell("s2.art20_1.normative.issued", 8)
    this.set_cell("s2.art20_1.normative.repealed", 2)
    this.set_cell("s2.art20_1.normative.in_force", 66)
    assert check_report(this, previous=last) == []
    this.set_cell("s2.art20_1.normative.in_force", 70)
    [finding] = check_report(this, previous=last)
    assert (finding.rule_id, finding.severity) == ("cross_year.in_force", "warning")
    assert finding.message.startswith(
        "二、第二十条第（一）项 行政规范性文件 现行有效件数为70，但上年现行有效件数加本年制发件数减本年废止件数为66，相差4"
    )


def test_2021_report_after_a_2019_format_report_skips_cells_last_year_did_not_have() -> None:
    last = consistent_report(
        "2019", year=2020, carried_over={"research": 1}, outcomes={"disclosed": {"research": 1}}
    )
    this = consistent_report(year=2021, carried_in={"research": 1}, outcomes={"disclosed": {"research": 4}})
    this.set_cell("s2.art20_1.rules.in_force", 12)
    assert check_report(this, previous=last) == []


def test_2019_items_follow_last_years_count_and_change() -> None:
    last = consistent_report("2019", year=2019)
    last.set_cell("s2.art20_5.licensing.previous", 100)
    last.set_cell("s2.art20_5.licensing.change", -3)
    this = consistent_report("2019", year=2020)
    this.set_cell("s2.art20_5.licensing.previous", 97)
    assert check_report(this, previous=last) == []
    this.set_cell("s2.art20_5.licensing.previous", 100)
    [finding] = check_report(this, previous=last)
    assert finding.rule_id == "cross_year.previous_items"
    assert finding.message == (
        "二、第二十条第（五）项 行政许可 上一年项目数量为100，但上一年度报告的上一年项目数量加本年增/减为97，相差3"
    )


def test_blank_last_year_reads_as_zero() -> None:
    last = Report.blank("2021", agency="某局", year=2021)
    this = consistent_report(carried_in={"legal": 1}, outcomes={"disclosed": {"legal": 1}})
    findings = check_report(this, previous=last)
    assert [(f.rule_id, f.expected, f.actual) for f in findings] == [
        ("cross_year.carried_in", "0", "1"),
        ("cross_year.carried_in", "0", "1"),
    ]
