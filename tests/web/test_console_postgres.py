"""The console's SQL on the real PostgreSQL too: overview counts, filters, sorting, exports, an extension."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storage.engine import make_engine
from storage.migrate import upgrade
from tests.storage.conftest import postgres_server, postgres_url  # noqa: F401  (fixtures)
from tests.web.conftest import RecordingCycle, build_services, sign_in
from web.app import create_app
from web.sample import seed_district


@pytest.fixture
def pg_client(postgres_url: str, tmp_path: Path) -> Iterator[TestClient]:  # noqa: F811
    upgrade(postgres_url)
    engine = make_engine(postgres_url)
    district = seed_district(engine, tmp_path / "published")
    app = create_app(build_services(engine, district.publish_dir, RecordingCycle()))
    with TestClient(app) as client:
        yield client
    engine.dispose()


def test_the_overview_and_its_actions_on_postgresql(pg_client: TestClient) -> None:
    csrf = sign_in(pg_client)
    page = pg_client.get("/console/?sort=stage&desc=1").text
    assert re.search(r'id="count-agencies">7<', page)
    assert re.search(r'id="count-on-time">1<', page)
    assert re.findall(r'<tr data-code="([^"]+)"', page)[0] == "qinghe-edu"
    assert re.findall(r'<tr data-code="([^"]+)"', pg_client.get("/console/?q=财政").text) == ["qinghe-fin"]
    answer = pg_client.post(
        "/console/2024/qinghe-xfj/extend", data={"csrf": csrf, "deadline": "2025-02-28", "reason": "机构改革"}
    )
    assert "截止日期已延至 2025-02-28" in answer.text
    exported = pg_client.get("/console/export.csv?q=信访").content.decode("utf-8-sig").splitlines()
    assert exported[1].startswith("qinghe-xfj,")
    assert "2025-02-28" in exported[1]
    assert pg_client.get("/console/2024/qinghe-edu").status_code == 200
    assert pg_client.get("/").status_code == 200
