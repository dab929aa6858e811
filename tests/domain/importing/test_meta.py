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
