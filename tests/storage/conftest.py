"""Databases for the storage tests: a fresh SQLite file, and a real throw-away PostgreSQL server.

The PostgreSQL server is started once per test session (``tests.postgres_server``) from the binaries that
``deploy/ensure-postgres`` installs, or is the one ``NIANBAO_TEST_DATABASE_URL`` names; each test gets its
own database on it. Without any PostgreSQL binaries those tests are skipped.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from storage.agencies import import_agencies, parse_agency_csv
from storage.engine import make_engine, session_scope
from storage.migrate import upgrade
from tests.databases import server_url
from tests.postgres_server import NoPostgresError, running_postgres

_database_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A running PostgreSQL on 127.0.0.1; yields the URL of its maintenance database ``postgres``.

    The server ``NIANBAO_TEST_DATABASE_URL`` names when set, else a throw-away one started for the session.
    """
    given = server_url()
    if given is not None:
        yield given
        return
    try:
        with running_postgres() as url:
            yield url
    except NoPostgresError as missing:
        pytest.skip(str(missing))


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A new, empty database on the session's PostgreSQL server, dropped after the test."""
    name = f"nianbao_test_{os.getpid()}_{next(_database_numbers)}"
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield postgres_server.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'nianbao.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """The URL of an empty database, once a SQLite file and once PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(fixture)
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on a database migrated to the newest schema."""
    upgrade(database_url)
    migrated = make_engine(database_url)
    yield migrated
    migrated.dispose()


DISTRICT_CSV = """code,name,kind,parent
gov,清河区人民政府,government,
edu,清河区教育局,department,gov
fin,清河区财政局,department,gov
city,淮安市人民政府,government,
"""


@pytest.fixture
def district(engine: Engine) -> Engine:
    """The migrated database holding one district government with two departments, and a city."""
    with session_scope(engine) as session:
        import_agencies(session=session, rows=parse_agency_csv(DISTRICT_CSV))
    return engine
