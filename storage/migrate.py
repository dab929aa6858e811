"""Bring a database to the newest schema; every entry point calls ``upgrade`` on start-up."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text
from sqlalchemy.engine import URL

from storage.engine import make_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Any fixed number: processes starting together on PostgreSQL take turns on this lock.
_MIGRATION_LOCK_ID = 4_710_203


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, built in code so that no alembic.ini has to sit in the working directory."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(url: str | URL) -> None:
    """Apply every migration not yet applied to the database at ``url`` (idempotent)."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
            command.upgrade(alembic_config(connection), "head")
    finally:
        engine.dispose()
