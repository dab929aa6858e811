"""A coordinator drives the console in a real headless Chromium: sign in, filter, open an agency-year,
extend a deadline, export."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait
from sqlalchemy import Engine

from tests.web.browser import browser_available, chromium, live_server
from tests.web.conftest import RecordingCycle, build_services
from web.app import create_app
from web.sample import PASSWORD, District

pytestmark = pytest.mark.skipif(
    not browser_available(),
    reason="no /usr/bin/chromium and chromedriver (deploy/ensure-chromium installs them)",
)


@pytest.fixture
def site(engine: Engine, district: District, cycle: RecordingCycle) -> Iterator[str]:
    with live_server(create_app(build_services(engine, district.publish_dir, cycle))) as url:
        yield url


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    (tmp_path / "downloads").mkdir()
    with chromium(tmp_path / "downloads") as driver:
        driver.implicitly_wait(5)
        yield driver


def _rows(browser: webdriver.Chrome) -> list[str]:
    return [
        row.get_attribute("data-code") or ""
        for row in browser.find_elements(By.CSS_SELECTOR, "tr[data-code]")
    ]


def test_a_coordinator_works_through_the_console(
    site: str, browser: webdriver.Chrome, tmp_path: Path, cycle: RecordingCycle
) -> None:
    browser.get(f"{site}/console/")
    assert browser.current_url.endswith("/console/signin")
    browser.find_element(By.ID, "name").send_keys("郑协调")
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.ID, "signin").click()
    assert "年度总览" in browser.find_element(By.TAG_NAME, "h1").text
    assert browser.find_element(By.ID, "count-agencies").text == "7"

    Select(browser.find_element(By.ID, "filter-stage")).select_by_value("drafting")
    # console.js applies a changed filter at once; the page reloads with the filter in its address.
    WebDriverWait(browser, 10).until(lambda b: "stage=drafting" in b.current_url)
    assert _rows(browser) == ["qinghe", "qinghe-env", "qinghe-xfj"]
    browser.find_element(By.ID, "filter-text").send_keys("信访")
    browser.find_element(By.ID, "apply-filters").click()
    assert _rows(browser) == ["qinghe-xfj"]

    browser.find_element(By.CSS_SELECTOR, 'tr[data-code="qinghe-xfj"] a').click()
    assert "清河区信访局 · 2024 年度" in browser.find_element(By.ID, "agency-title").text
    date_input = browser.find_element(By.ID, "extend-deadline")
    browser.execute_script("arguments[0].value = '2025-02-28'", date_input)
    browser.find_element(By.ID, "extend-reason").send_keys("机构改革，数据需重新核对")
    browser.find_element(By.ID, "extend").click()
    assert "截止日期已延至 2025-02-28" in browser.find_element(By.ID, "notice").text
    assert "2025-02-28" in browser.find_element(By.ID, "deadline").text

    browser.find_element(By.ID, "remind").click()
    assert "已发送提醒" in browser.find_element(By.ID, "notice").text
    assert [code for code, _, _ in cycle.reminded] == ["qinghe-xfj"]

    browser.get(f"{site}/console/?stage=drafting")
    browser.find_element(By.ID, "export-csv").click()
    exported = _downloaded(tmp_path / "downloads", "nianbao-2024.csv")
    lines = exported.read_text(encoding="utf-8-sig").strip().splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["qinghe", "qinghe-env", "qinghe-xfj"]
    assert "2025-02-28" in next(line for line in lines if line.startswith("qinghe-xfj,"))


def _downloaded(folder: Path, name: str, seconds: float = 15) -> Path:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        path = folder / name
        if path.exists() and not list(folder.glob("*.crdownload")):
            return path
        time.sleep(0.1)
    raise AssertionError(f"{name} was not downloaded; found {sorted(p.name for p in folder.iterdir())}")
