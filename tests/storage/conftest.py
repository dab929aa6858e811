"""Databases for the storage tests: a fresh SQLite file, and a real throw-away PostgreSQL server.

The PostgreSQL server is started once per test session from the binaries that ``deploy/ensure-postgres``
installs; each test gets its own database on it. Without any PostgreSQL binaries those tests are skipped.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from storage.agencies import import_agencies, parse_agency_csv
from storage.engine import make_engine, session_scope
from storage.migrate import upgrade

POSTGRES_USER = "nianbao"
_database_numbers = itertools.count(1)


def _postgres_bindir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    initdb = candidates[-1] if candidates else shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A running PostgreSQL on 127.0.0.1; yields the URL of its maintenance database ``postgres``."""
    bindir = _postgres_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server binaries (deploy/ensure-postgres installs them)")
    # PostgreSQL refuses to run as root: then the server runs as the ``postgres`` OS user, owning its dir.
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    root = Path(tempfile.mkdtemp(prefix="nianbao-pg-"))
    if as_root:
        shutil.chown(root, user="postgres")
    data, log = root / "data", root / "server.log"
    port = _free_port()
    subprocess.run(
        [
            *prefix,
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            POSTGRES_USER,
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
        ],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    subprocess.run(
        [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://{POSTGRES_USER}@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


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
