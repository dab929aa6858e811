"""The console's pages as a coordinator reads them, and what another region's coordinator may not see."""

from __future__ import annotations

import io
import re

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Engine

from storage.engine import session_scope
from storage.tables import Agency
from tests.web.conftest import sign_in


def _codes(html: str) -> list[str]:
    return re.findall(r'<tr data-code="([^"]+)"', html)


def test_the_overview_counts_and_lists_only_the_coordinators_district(client: TestClient) -> None:
    sign_in(client)
    page = client.get("/console/").text
    assert re.search(r'id="count-agencies">7<', page)
    assert re.search(r'id="count-published">1<', page)
    assert re.search(r'id="count-on-time">1<', page)
    assert set(_codes(page)) == {
        "qinghe",
        "qinghe-edu",
        "qinghe-fin",
        "qinghe-hlth",
        "qinghe-xfj",
        "qinghe-env",
        "qinghe-ga",
    }
    assert "淮阴区" not in page


def test_each_row_says_what_a_coordinator_chases(client: TestClient) -> None:
    sign_in(client)
    page = client.get("/console/?sort=agency").text
    fin = page[page.index('data-code="qinghe-fin"') :]
    fin = fin[: fin.index("</tr>")]
    assert "审核中" in fin
    assert "孙局长" in fin  # the reviewer approved: the head's confirmation is awaited
    assert "2025-01-31" in fin
    assert "7 天" in fin  # 24 January, deadline 31 January
    hlth = page[page.index('data-code="qinghe-hlth"') :]
    assert "警告" in hlth[: hlth.index("</tr>")] or "错误" in hlth[: hlth.index("</tr>")]
    ga = page[page.index('data-code="qinghe-ga"') :]
    assert "未启动" in ga[: ga.index("</tr>")]


def test_filters_sorting_and_paging_come_from_the_database(client: TestClient) -> None:
    sign_in(client)
    assert _codes(client.get("/console/?stage=drafting").text) == ["qinghe", "qinghe-env", "qinghe-xfj"]
    assert _codes(client.get("/console/?kind=government").text) == ["qinghe"]
    assert _codes(client.get("/console/?q=财政").text) == ["qinghe-fin"]
    by_percent = _codes(client.get("/console/?sort=percent&desc=1").text)
    assert by_percent[-1] == "qinghe-ga"
    first = client.get("/console/?size=25&page=1").text
    assert "第 1 / 1 页" in first


def test_an_overdue_agency_is_shown_in_red_after_the_deadline(client: TestClient) -> None:
    sign_in(client)
    client.app.state.services.clock._today = client.app.state.services.clock._today.replace(month=2, day=3)  # type: ignore[attr-defined]
    page = client.get("/console/?overdue=yes").text
    assert _codes(page) == ["qinghe-env", "qinghe-fin", "qinghe-hlth", "qinghe-xfj"]
    assert 'class="bad">逾期 3 天' in page


def test_the_agency_year_page_shows_history_findings_approvals_and_changes(client: TestClient) -> None:
    sign_in(client)
    page = client.get("/console/2024/qinghe-edu").text
    assert "清河区教育局 · 2024 年度" in page
    assert "已发布" in page
    assert "数据已核对" in page  # the reviewer's comment
    assert "李审核" in page
    assert "王填报" in page  # who typed the figures, through the bot
    assert "/2024/qinghe-edu/r1/qinghe-edu-2024-r1.docx" in page
    assert "/console/2024/qinghe-edu/r1.docx" in page


def test_another_regions_agency_is_not_there_for_this_coordinator(client: TestClient) -> None:
    sign_in(client)
    assert client.get("/console/2024/huaiyin-edu").status_code == 404
    assert client.get("/console/2024/huaiyin-edu/r1.json").status_code == 404
    sign_in(client, "韩协调")
    assert client.get("/console/2024/huaiyin-edu").status_code == 200
    assert client.get("/console/2024/qinghe-edu").status_code == 404


def test_draft_downloads_in_every_format(client: TestClient) -> None:
    sign_in(client)
    for kind, start in (
        ("docx", b"PK"),
        ("html", b"<!DOCTYPE html>"),
        ("json", b"{"),
        ("csv", b"\xef\xbb\xbf"),
    ):
        answer = client.get(f"/console/2024/qinghe-fin/r1.{kind}")
        assert answer.status_code == 200, kind
        assert answer.content.startswith(start), kind


def test_the_not_filed_page_lists_who_to_chase(client: TestClient) -> None:
    sign_in(client)
    page = client.get("/console/unfiled").text
    assert "清河区人民政府" in page
    assert "孙局长" in page  # 财政局 awaits its head, not its officer
    assert "吴填报" in page
    assert "清河区教育局" not in page.split("unfiled-qinghe")[1]
    assert "一键提醒全部" in page


def test_exports_carry_the_filters(client: TestClient) -> None:
    sign_in(client)
    text = client.get("/console/export.csv?stage=drafting").content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("机关代码,机关名称")
    assert [line.split(",")[0] for line in lines[1:]] == ["qinghe", "qinghe-env", "qinghe-xfj"]
    book = load_workbook(io.BytesIO(client.get("/console/export.xlsx").content))
    rows = list(book.active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0][0] == "机关代码"
    assert len(rows) == 8


def test_a_reviewer_reads_but_has_no_action_forms(client: TestClient) -> None:
    sign_in(client, "李审核")
    page = client.get("/console/2024/qinghe-edu").text
    assert "清河区教育局" in page
    assert "延长截止日期" not in page
    assert "（只读）" in page
    assert client.get("/console/2024/qinghe-fin").status_code == 404


def test_console_pages_without_a_session_redirect_to_sign_in(client: TestClient) -> None:
    for path in ("/console/", "/console/unfiled", "/console/2024/qinghe-edu", "/console/export.csv"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303, path
        assert answer.headers["location"] == "/console/signin"


def test_exports_never_hand_a_spreadsheet_a_formula(client: TestClient, engine: Engine) -> None:
    formula = '=HYPERLINK("http://evil.example","点我")'
    with session_scope(engine) as session:
        agency = session.get(Agency, "qinghe-xfj")
        assert agency is not None
        agency.name = formula
        session.add(agency)
    sign_in(client)
    text = client.get("/console/export.csv?q=qinghe-xfj").content.decode("utf-8-sig")
    assert "'" + formula.replace('"', '""') in text
    book = load_workbook(io.BytesIO(client.get("/console/export.xlsx?q=qinghe-xfj").content))
    cell = book.active["B2"]  # type: ignore[index]
    assert cell.value == "'" + formula
    assert cell.data_type == "s"


def test_the_overview_draws_the_funnel_and_the_completion_chart(client: TestClient) -> None:
    sign_in(client)
    page = client.get("/console/").text
    assert page.count('class="bar stage-') == 7
    assert '<polyline points="' in page
    assert "截止 01-31" in page
    assert "截止 03-31" in page
