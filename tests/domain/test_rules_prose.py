"""Figures quoted in section 一 against the tables: flagged only when the sentence clearly states them."""

import pytest

from domain.report import Report
from domain.rules import Finding, check_report
from tests.domain.reports import consistent_report


def _report(text: str) -> Report:
    report = consistent_report(
        outcomes={"disclosed": {"natural": 70, "commercial": 3}},
        carried_over={"natural": 1},
        carried_in={"natural": 1},
    )
    report.set_cell("s4.review.upheld", 2)
    report.set_cell("s4.review.total", 2)
    report.set_cell("s4.suit_direct.other", 1)
    report.set_cell("s4.suit_direct.total", 1)
    report.set_cell("s4.suit_after_review.pending", 2)
    report.set_cell("s4.suit_after_review.total", 2)
    report.sections["s1"].text = text
    return report


def _prose(report: Report) -> list[Finding]:
    return [f for f in check_report(report) if f.rule_id.startswith("prose.")]


def test_table_figures_of_the_fixture() -> None:
    report = _report("")
    assert (report.cells["s3.new.total"], report.cells["s3.carried_in.total"]) == (73, 1)
    assert check_report(report) == []


@pytest.mark.parametrize(
    "text",
    [
        "2022年，全区收到政府信息公开申请73件，均在法定期限内予以答复。",
        "2022 年，全市共受理政府信息公开申请 73 件，答\n复 73 件（含上年度结转申请 1 件，另有 1 件顺延到下年度答复）。",
        "2022年全年共收到政府信息公开申请７３件,结转上年政府信息公开申请1件,另有1件结转下年度继续办理。",
        "政府信息公开行政复议 2\n件，其中结果维持 2 件；政府信息公开行政诉讼 3 件。",
        "共有行政诉讼案件3件、行政复议案件2件，均已结案。",
        "区政府共受理各类政府信息公开申请73件，较2021年增长23%。",
    ],
)
def test_prose_that_agrees_with_the_tables_gives_no_finding(text: str) -> None:
    assert _prose(_report(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        "2021年共收到政府信息公开申请60件。",
        "收到申请数量较上年增长23%。",
        "办理政府信息公开申请答复文书120份，网站发布信息75件。",
        "因政府信息公开工作被申请行政复议和提起行政诉讼情况。",
        "全年收到行政复议、行政诉讼案件9件。",
    ],
)
def test_figures_about_other_things_or_other_years_are_not_compared(text: str) -> None:
    assert _prose(_report(text)) == []


def test_quoted_new_applications_differing_from_the_table_is_a_warning() -> None:
    [finding] = _prose(_report("2022年，全区收到政府信息公开申请75件，涉及自然人72件、商业企业3件。"))
    assert finding.rule_id == "prose.new_applications"
    assert finding.severity == "warning"
    assert (finding.expected, finding.actual) == ("73", "75")
    assert finding.cells == (("s3.new.total", "三、本年新收政府信息公开申请数量 总计", 73),)
    assert finding.message == (
        "一、总体情况写明收到申请75件，但三、本年新收政府信息公开申请数量 总计为73"
        "（「2022年，全区收到政府信息公开申请75件」）"
    )


@pytest.mark.parametrize(
    ("text", "rule_id", "quoted", "table"),
    [
        ("另有5件结转下年度继续办理。", "prose.carried_over", "5", "1"),
        ("另有 4 件顺延到下年度答复。", "prose.carried_over", "4", "1"),
        ("含上年度结转申请 3 件。", "prose.carried_in", "3", "1"),
        ("政府信息公开行政复议 351\n件。", "prose.review", "351", "2"),
        ("政府信息公开行政诉讼 46 件，其中结果维持 25 件。", "prose.suit", "46", "3"),
    ],
)
def test_each_quoted_figure_is_compared_with_its_table(
    text: str, rule_id: str, quoted: str, table: str
) -> None:
    [finding] = _prose(_report(text))
    assert (finding.rule_id, finding.actual, finding.expected) == (rule_id, quoted, table)


def test_suit_figure_is_compared_with_both_lawsuit_groups() -> None:
    [finding] = _prose(_report("行政诉讼5件。"))
    assert [key for key, _, _ in finding.cells] == ["s4.suit_direct.total", "s4.suit_after_review.total"]
    assert "表格四中行政诉讼两项总计相加为3" in finding.message


def test_blank_table_is_not_compared_with_prose() -> None:
    report = _report("全区收到政府信息公开申请75件。")
    report.cells["s3.new.total"] = None
    assert _prose(report) == []
