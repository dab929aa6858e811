"""The agency and year are read from the title however it is written."""

import pytest

from domain.importing.meta import find_agency_and_year


@pytest.mark.parametrize(
    ("head", "agency", "year"),
    [
        ("某某县人民政府2021年政府信息公开工作年度报告\n", "某某县人民政府", 2021),
        ("标题: 某某区教育局2022年度政府信息公开工作年度报告", "某某区教育局", 2022),
        ("某某市人民政府\n     2024 年政府信息公开工作年度报告", "某某市人民政府", 2024),
        ("某某县人民政府办公室2019年\n\n政府信息公开工作年度报告", "某某县人民政府办公室", 2019),
        ("某某县人民政府二〇二一年政府信息公开工作年度报告", "某某县人民政府", 2021),
        (
            "某某区人民政府 2019年12月3日星期二\n某某区人民政府2020年政府信息公开年度报告",
            "某某区人民政府",
            2020,
        ),
    ],
)
def test_title_gives_agency_and_year(head: str, agency: str, year: int) -> None:
    assert find_agency_and_year(head) == (agency, year)


def test_statistics_period_gives_the_year_when_the_title_does_not() -> None:
    assert find_agency_and_year("本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。") == (
        "",
        2023,
    )


@pytest.mark.parametrize(
    ("head", "agency", "year"),
    [
        ("2019年某某市人民政府办公厅政府信息公开工作年度报告\n", "某某市人民政府办公厅", 2019),
        ("# 某某县人民政府 2025 年 政府信息公开工作年度报告\n\n某某县人民政府\n", "某某县人民政府", 2025),
        (
            "某某市人民政府2020年政府信息公开年度报告\n来源:政府办 发布时间:2021-03-08\n\n某某区2020年政府信息公开工作报告\n",
            "某某区",
            2020,
        ),
        (
            "标题: 某某局2022年度政府信息公开工作年度报告\n本地目录: zwgk/nb/202301/80614_某某局2022年度政府信息公开工作年度报告\n",
            "某某局",
            2022,
        ),
        ("《某某区民政局关于2021年度政府信息公开工作年度报告》\n", "某某区民政局", 2021),
        (
            "2021年度政府信息公开工作年度报告\n根据《条例》和上级的要求，市科委编制了2021年度报告。",
            "市科委",
            2021,
        ),
        (
            "2023年政府信息公开工作年度报告\n本报告由某某区人民政府办公室根据《条例》编制。",
            "某某区人民政府办公室",
            2023,
        ),
    ],
)
def test_titles_written_otherwise_still_name_the_agency(head: str, agency: str, year: int) -> None:
    assert find_agency_and_year(head) == (agency, year)


@pytest.mark.parametrize(
    "head",
    [
        "2021年度政府信息公开工作年度报告\n按照《条例》要求，结合工作实际编制本报告。",
        "2021年度政府信息公开工作年度报告\n根据《条例》的要求，我局编制了2021年度报告。",
    ],
)
def test_an_opening_sentence_without_an_agency_gives_none(head: str) -> None:
    assert find_agency_and_year(head) == ("", 2021)


def test_a_sentence_naming_the_report_is_not_its_title() -> None:
    head = "依据《条例》规定，编制本报告。现将某某县人民政府2025年政府信息公开年度报告向社会公布。"
    assert find_agency_and_year(head)[0] == ""
