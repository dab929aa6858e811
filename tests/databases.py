"""The database a test gets: a SQLite file in its tmp_path, or a fresh database on a PostgreSQL server.

Set ``NIANBAO_TEST_DATABASE_URL`` to the URL of a PostgreSQL server's maintenance database (``…/postgres``,
a user allowed to create databases) and every test built on ``fresh_database_url`` runs on its own new
database there instead; the databases are dropped when the test session ends (tests/conftest.py).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

TEST_DATABASE_VARIABLE = "NIANBAO_TEST_DATABASE_URL"
_created: list[str] = []


def server_url() -> str | None:
    return os.environ.get(TEST_DATABASE_VARIABLE) or None


def fresh_database_url(tmp_path: Path) -> str:
    server = server_url()
    if server is None:
        return f"sqlite:///{tmp_path / 'nianbao.db'}"
    name = f"nianbao_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    _created.append(name)
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def drop_created() -> None:
    server = server_url()
    if server is None or not _created:
        return
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            for name in _created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
    _created.clear()
