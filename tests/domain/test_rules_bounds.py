"""Bounds the official tables imply: a part never exceeds its whole."""

from domain.rules import check_report
from tests.domain.reports import consistent_report


def test_2019_newly_published_may_not_exceed_the_total_published() -> None:
    report = consistent_report("2019", year=2019)
    report.set_cell("s2.art20_1.normative.published", 1200)
    report.set_cell("s2.art20_1.normative.total", 5)
    [finding] = check_report(report)
    assert (finding.rule_id, finding.severity, finding.subject) == (
        "s2.published_within_total",
        "error",
        "normative",
    )
    assert finding.message == (
        "二、第二十条第（一）项 规范性文件 本年新公开数量为1200，"
        "超过了对外公开总数量5：本年新公开的也在对外公开总数之内"
    )
    report.set_cell("s2.art20_1.normative.total", 1200)
    assert check_report(report) == []


def test_2019_an_item_count_may_not_fall_below_zero() -> None:
    report = consistent_report("2019", year=2019)
    report.set_cell("s2.art20_6.penalty.previous", 3)
    report.set_cell("s2.art20_6.penalty.change", -5)
    [finding] = check_report(report)
    assert (finding.rule_id, finding.subject) == ("s2.items_not_negative", "art20_6.penalty")
    report.set_cell("s2.art20_6.penalty.change", -3)
    assert check_report(report) == []


def test_2021_repealed_documents_were_in_force_last_year_or_issued_this_year() -> None:
    previous = consistent_report(year=2021)
    previous.set_cell("s2.art20_1.normative.in_force", 4)
    report = consistent_report(year=2022)
    report.set_cell("s2.art20_1.normative.issued", 2)
    report.set_cell("s2.art20_1.normative.repealed", 9)
    report.set_cell("s2.art20_1.normative.in_force", 0)
    findings = [f for f in check_report(report, previous=previous) if f.rule_id == "cross_year.repealed"]
    [finding] = findings
    assert finding.message == (
        "二、第二十条第（一）项 行政规范性文件 本年废止件数为9，超过了上年现行有效件数加本年制发件数6："
        "废止的文件须是上年末有效或本年制发的"
    )
    report.set_cell("s2.art20_1.normative.repealed", 6)
    assert not [f for f in check_report(report, previous=previous) if f.rule_id == "cross_year.repealed"]
