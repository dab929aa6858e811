"""The Markdown rendering: headings, prose, flattened table headers, escaping."""

from __future__ import annotations

from domain.formats import OFFICIAL_HEADINGS
from domain.rendering import render_markdown
from domain.report import Report
from domain.values import format_value

from .conftest import filled_report


def _table_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("|")]


def test_headings_and_prose_in_order(report: Report) -> None:
    lines = render_markdown(report).splitlines()
    assert lines[0] == "# 测试市交通运输局2023年政府信息公开工作年度报告"
    assert [line[3:] for line in lines if line.startswith("## ")] == list(OFFICIAL_HEADINGS.values())
    assert lines.index("二是解读形式比较单一。") > lines.index("## 五、存在的主要问题及改进情况")


def test_nested_headers_are_flattened_into_paths(report: Report) -> None:
    rows = _table_lines(render_markdown(report))
    header = next(line for line in rows if "法人或其他组织/商业企业" in line)
    assert header.split(" | ")[1:] == [
        "自然人",
        "法人或其他组织/商业企业",
        "法人或其他组织/科研机构",
        "法人或其他组织/社会公益组织",
        "法人或其他组织/法律服务机构",
        "法人或其他组织/其他",
        "总计 |",
    ]
    secret = next(
        line for line in rows if line.startswith("| 三、本年度办理结果/（三）不予公开/1.属于国家秘密 |")
    )
    columns = ("natural", "commercial", "research", "nonprofit", "legal", "other", "total")
    expected = [format_value(report.cells[f"s3.withheld_secret.{column}"]) for column in columns]
    assert [cell.strip() for cell in secret.strip("|").split("|")][1:] == expected
    assert any("| 行政诉讼/复议后起诉/结果维持 |" in line for line in rows)


def test_every_table_row_has_as_many_cells_as_its_header(report: Report) -> None:
    text = render_markdown(report)
    for table in text.split("\n\n"):
        rows = _table_lines(table)
        if rows:
            assert len({row.count(" | ") for row in rows}) == 1, rows[0]


def test_markup_in_prose_and_names_is_escaped() -> None:
    report = filled_report("2021")
    report.agency = "某|局*"
    report.sections["s1"].text = "# 不是标题\n1. 不是列表\n数量为 a|b 和 *强调*"
    text = render_markdown(report)
    assert "# 某\\|局\\*2023年政府信息公开工作年度报告" in text
    assert "\\# 不是标题" in text
    assert "\\1. 不是列表" in text
    assert "数量为 a\\|b 和 \\*强调\\*" in text
