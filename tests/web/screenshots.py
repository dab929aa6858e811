"""``python -m tests.web.screenshots DIR`` (``make screenshots``): the console's pictures for README.

Builds the sample district in a temporary database, serves it, signs in as its coordinator in headless
Chromium and writes ``console-overview.png`` and ``console-agency-year.png`` to DIR.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from selenium.webdriver.common.by import By

from storage.engine import make_engine
from storage.migrate import upgrade
from tests.web.browser import chromium, live_server
from tests.web.conftest import RecordingCycle, build_services
from web.app import create_app
from web.sample import PASSWORD, seed_district


def take(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nianbao-shots-") as scratch:
        root = Path(scratch)
        url = f"sqlite:///{root / 'nianbao.db'}"
        upgrade(url)
        engine = make_engine(url)
        try:
            district = seed_district(engine, root / "published")
            app = create_app(build_services(engine, district.publish_dir, RecordingCycle()))
            with live_server(app) as site, chromium(root, width=1440, height=1200) as browser:
                browser.implicitly_wait(5)
                browser.get(f"{site}/console/signin")
                browser.find_element(By.ID, "name").send_keys("郑协调")
                browser.find_element(By.ID, "password").send_keys(PASSWORD)
                browser.find_element(By.ID, "signin").click()
                browser.find_element(By.ID, "overview")
                written = [_full_page(browser, out / "console-overview.png")]
                browser.get(f"{site}/console/2024/qinghe-edu")
                browser.find_element(By.ID, "agency-title")
                written.append(_full_page(browser, out / "console-agency-year.png"))
                return written
        finally:
            engine.dispose()


def _full_page(browser: object, path: Path) -> Path:
    height = browser.execute_script("return document.documentElement.scrollHeight")  # type: ignore[attr-defined]
    browser.set_window_size(1440, min(int(height) + 40, 2400))  # type: ignore[attr-defined]
    browser.save_screenshot(str(path))  # type: ignore[attr-defined]
    return path


if __name__ == "__main__":
    for shot in take(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/img")):
        print(shot)
