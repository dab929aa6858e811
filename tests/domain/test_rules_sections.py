"""Figures, money units, structure and pre-publication rules."""

from decimal import Decimal

from domain.formats import OFFICIAL_HEADINGS
from domain.report import Section
from domain.rules import check_report
from tests.domain.reports import consistent_report


def test_negative_or_fractional_count_written_by_an_importer_is_an_error() -> None:
    report = consistent_report()
    report.cells["s2.art20_5.licensing.decisions"] = -3
    report.cells["s2.art20_6.penalty.decisions"] = Decimal("2.5")
    findings = [f for f in check_report(report) if f.rule_id == "cells.count"]
    assert [f.message for f in findings] == [
        "二、第二十条第（五）项 行政许可 本年处理决定数量为-3，件数只能是不小于0的整数",
        "二、第二十条第（六）项 行政处罚 本年处理决定数量为2.5，件数只能是不小于0的整数",
    ]
    assert all(f.severity == "error" for f in findings)


def test_money_without_a_stated_unit_is_a_warning_saying_it_was_exported_as_written() -> None:
    report = consistent_report("2019", year=2019)
    report.set_cell("s2.art20_9.procurement.amount", 39891)
    report.notes["s2.art20_9.procurement.amount"] = "原文未注明单位，按原数字导出"
    [finding] = check_report(report)
    assert finding.rule_id == "cells.money_unit"
    assert finding.severity == "warning"
    assert finding.message == (
        "二、第二十条第（九）项 政府集中采购 采购总金额原文未注明单位，已按原数字39891导出（视为万元），请核对原文单位"
    )
    assert finding.cells == (
        ("s2.art20_9.procurement.amount", "二、第二十条第（九）项 政府集中采购 采购总金额", 39891),
    )


def test_missing_section_is_an_error_naming_it() -> None:
    report = consistent_report()
    del report.sections["s5"]
    [finding] = check_report(report)
    assert (finding.rule_id, finding.severity) == ("structure.section_missing", "error")
    assert finding.message == "报告缺少“五、存在的主要问题及改进情况”部分"


def test_sections_out_of_order_are_an_error() -> None:
    report = consistent_report()
    order = ["s1", "s3", "s2", "s4", "s5", "s6"]
    report.sections = {sid: report.sections[sid] for sid in order}
    [finding] = check_report(report)
    assert finding.rule_id == "structure.section_order"
    assert finding.message == "各部分顺序不对：应依次为一至六，实际为一、三、二、四、五、六"


def test_heading_variants_of_spacing_and_punctuation_are_the_same_heading() -> None:
    report = consistent_report()
    report.sections["s1"].heading = "一、 总体情况"
    report.sections["s2"].heading = "二．主动公开政府信息情况"
    report.sections["s3"].heading = "三. 收到和处理政府信息公开申请情况："
    report.sections["s4"].heading = "四.政府信息公开行政复议、行政诉讼情况:"
    assert check_report(report) == []


def test_heading_with_different_wording_is_a_warning() -> None:
    report = consistent_report()
    report.sections["s6"].heading = "六、其他需求报告的事项"
    report.sections["s1"].heading = "1、 总体情况"
    findings = check_report(report)
    assert [(f.rule_id, f.severity, f.message) for f in findings] == [
        ("structure.heading", "warning", "标题写作“1、 总体情况”，与规定的“一、总体情况”不一致"),
        (
            "structure.heading",
            "warning",
            "标题写作“六、其他需求报告的事项”，与规定的“六、其他需要报告的事项”不一致",
        ),
    ]


def test_pre_publication_lists_blank_cells_per_section_and_refuses_empty_prose() -> None:
    report = consistent_report()
    assert check_report(report, pre_publication=True) == []
    report.cells["s4.review.pending"] = None
    report.cells["s4.review.other"] = None
    report.sections["s6"] = Section(heading=OFFICIAL_HEADINGS["s6"], text="  ")
    findings = check_report(report, pre_publication=True)
    assert [(f.rule_id, f.severity) for f in findings] == [
        ("pre_publication.blank_cells", "error"),
        ("pre_publication.prose_empty", "error"),
    ]
    assert findings[0].message == (
        "“四、政府信息公开行政复议、行政诉讼情况”中有2个空白单元格：四、行政复议 其他结果、四、行政复议 尚未审结。"
        "请填写后再提请校验，没有的填0"
    )
    assert [key for key, _, _ in findings[0].cells] == ["s4.review.other", "s4.review.pending"]
    assert findings[1].message == "“六、其他需要报告的事项”部分没有内容，发布前必须填写"
    assert check_report(report) == []


def test_2019_change_may_be_negative_but_must_be_whole() -> None:
    report = consistent_report("2019", year=2019)
    report.set_cell("s2.art20_6.coercion.previous", 3)
    report.set_cell("s2.art20_6.coercion.change", -3)
    assert check_report(report) == []
    report.cells["s2.art20_6.coercion.change"] = Decimal("-1.5")
    [finding] = check_report(report)
    assert (finding.rule_id, finding.expected, finding.actual) == ("cells.change", "整数", "-1.5")
    assert (
        finding.message
        == "二、第二十条第（六）项 行政强制 本年增/减为-1.5，本年增/减只能填写整数（减少为负数）"
    )
