"""The public site: an index of published reports, each report's page and files, and nothing else."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from web.sample import District

REPORT = "/2024/qinghe-edu/"
FILES = "/2024/qinghe-edu/r1/qinghe-edu-2024-r1"


def test_the_index_lists_published_reports_by_year_and_agency(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "2024 年度" in page.text
    assert "清河区教育局" in page.text
    # Not published yet: not listed.
    assert "清河区财政局" not in page.text


def test_a_report_page_links_every_published_file(client: TestClient) -> None:
    page = client.get(REPORT)
    assert page.status_code == 200
    for suffix in ("html", "docx", "json", "csv"):
        assert f"{FILES}.{suffix}" in page.text


@pytest.mark.parametrize(
    ("suffix", "content_type"),
    [
        ("html", "text/html; charset=utf-8"),
        ("json", "application/json; charset=utf-8"),
        ("csv", "text/csv; charset=utf-8"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_files_are_served_with_their_content_type(client: TestClient, suffix: str, content_type: str) -> None:
    answer = client.get(f"{FILES}.{suffix}")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == content_type
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_every_answer_carries_the_security_headers(client: TestClient) -> None:
    for path in ("/", REPORT, f"{FILES}.html", "/console/signin", "/nothing-here"):
        headers = client.get(path).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert "script-src 'self'" in headers["content-security-policy"] or path.endswith(".html"), path
        assert headers["x-content-type-options"] == "nosniff"
    # A published report page may style itself but never run a script.
    policy = client.get(f"{FILES}.html").headers["content-security-policy"]
    assert "script-src" not in policy
    assert "default-src 'none'" in policy


@pytest.mark.parametrize(
    "path",
    [
        "/2024/",  # a year: its own index page, not a directory listing
        "/2024/qinghe-edu/r1/",
        "/2024/qinghe-edu/r1",
        "/../../etc/passwd",
        "/2024/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/2024/qinghe-edu/r1/%00.html",
        "/2024/qinghe-edu/r1/qinghe-edu-2024-r1.html%00.txt",
        "/%5c..%5c..%5cetc%5cpasswd",
        "/2024/qinghe-edu/r1/.qinghe-edu-2024-r1.html.partial",
    ],
)
def test_odd_paths_get_no_listing_no_traversal_and_no_traceback(client: TestClient, path: str) -> None:
    answer = client.get(path)
    assert answer.status_code in (200, 404), path
    assert "root:" not in answer.text
    assert "Traceback" not in answer.text
    assert "Index of" not in answer.text
    if answer.status_code == 200:
        assert "qinghe-edu-2024-r1.docx" not in answer.text or path == "/2024/"


def test_a_symlink_out_of_the_publish_directory_is_not_followed(
    client: TestClient, district: District
) -> None:
    secret = district.publish_dir.parent / "secret.html"
    secret.write_text("<p>SECRET</p>", encoding="utf-8")
    os.symlink(secret, district.publish_dir / "2024" / "leak.html")
    os.symlink(district.publish_dir.parent, district.publish_dir / "2024" / "up")
    assert client.get("/2024/leak.html").status_code == 404
    assert client.get("/2024/up/secret.html").status_code == 404


def test_a_year_without_reports_is_not_found(client: TestClient) -> None:
    assert client.get("/1999/").status_code == 404
    assert client.get("/2024/nobody/").status_code == 404


def test_the_published_csv_never_hands_a_formula_to_a_spreadsheet(client: TestClient, tmp_path: Path) -> None:
    text = client.get(f"{FILES}.csv").content.decode("utf-8-sig")
    cells = [cell for line in text.splitlines() for cell in line.split(",")]
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
