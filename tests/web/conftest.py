"""The web application over a migrated SQLite file holding the sample district, with a recording cycle."""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from contracts import Actor
from nianbao.settings import Settings
from storage.engine import make_engine
from storage.migrate import upgrade
from web.app import create_app
from web.clock import FixedClock
from web.cycle_actions import ActionRefusedError
from web.deps import Services
from web.sample import PASSWORD, TODAY, District, seed_district
from web.security import SessionCodec


@dataclass
class RecordingCycle:
    """Stands in for the Temporal cycle client: records every call, refuses agencies listed in ``refuse``."""

    reminded: list[tuple[str, int, Actor]] = field(default_factory=list)
    kickoffs: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def remind(self, *, agency_code: str, year: int, actor: Actor) -> int:
        if agency_code in self.refuse:
            raise ActionRefusedError("报告已发布，无需提醒")
        self.reminded.append((agency_code, year, actor))
        return 1

    async def kickoff(self, *, year: int, agency_codes: tuple[str, ...], start_date: date | None) -> str:
        self.kickoffs.append((year, agency_codes))
        return f"kickoff-{year}"

    async def today(self, *, agency_code: str, year: int) -> date | None:
        return TODAY


def database_url_for(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'nianbao.db'}"


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, District]:
    """The sample district built once (Argon2 hashing and rendering take a while); tests get copies."""
    root = tmp_path_factory.mktemp("district")
    url = database_url_for(root)
    upgrade(url)
    engine = make_engine(url)
    try:
        district = seed_district(engine, root / "published")
    finally:
        engine.dispose()
    return root, district


@pytest.fixture
def engine(tmp_path: Path, seeded: tuple[Path, District]) -> Iterator[Engine]:
    shutil.copy(seeded[0] / "nianbao.db", tmp_path / "nianbao.db")
    built = make_engine(database_url_for(tmp_path))
    yield built
    built.dispose()


@pytest.fixture
def district(engine: Engine, tmp_path: Path, seeded: tuple[Path, District]) -> District:
    shutil.copytree(seeded[1].publish_dir, tmp_path / "published")
    return dataclasses.replace(seeded[1], publish_dir=tmp_path / "published")


@pytest.fixture
def cycle() -> RecordingCycle:
    return RecordingCycle()


def build_services(engine: Engine, publish_dir: Path, cycle: RecordingCycle | None) -> Services:
    settings = Settings(database_url=str(engine.url), publish_dir=publish_dir)
    return Services(
        settings=settings,
        engine=engine,
        codec=SessionCodec("test-secret"),
        clock=FixedClock(TODAY),
        cycle=cycle,
    )


@pytest.fixture
def client(engine: Engine, district: District, cycle: RecordingCycle) -> Iterator[TestClient]:
    app = create_app(build_services(engine, district.publish_dir, cycle))
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no form with a CSRF token"
    return found[1]


def sign_in(client: TestClient, name: str = "郑协调", password: str = PASSWORD) -> str:
    """Sign in through the form; returns the CSRF token of the signed-in session."""
    form = client.get("/console/signin")
    answer = client.post(
        "/console/signin",
        data={"name": name, "password": password, "csrf": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return csrf_of(client.get("/console/").text)
