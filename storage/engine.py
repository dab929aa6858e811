"""The engine factory and the unit of work that every repository call runs in.

SQLite files get WAL (readers never wait for the writer), foreign keys, a busy timeout and ``BEGIN
IMMEDIATE`` transactions for ``session_scope``: a transaction that starts reading and later writes would
otherwise fail at once with "database is locked" when another thread writes meanwhile, instead of waiting
its turn. ``read_scope`` is for transactions that only read: a plain ``BEGIN`` that takes no write lock,
so in WAL mode a read never waits for a writer and never makes one wait. PostgreSQL is reached through
psycopg 3 (``postgresql+psycopg://``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import URL, make_url
from sqlmodel import Session, create_engine

BUSY_TIMEOUT_SECONDS = 30
READ_ONLY_OPTION = "nianbao_read_only"
# Enough connections for a worker's activity thread pool, so a busy pool never waits for a free connection.
POOL_OPTIONS: dict[str, Any] = {"pool_size": 5, "max_overflow": 45}


def normalize_url(url: str | URL) -> URL:
    """``postgresql://`` and ``postgres://`` mean psycopg 3, the driver this product installs."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str | URL) -> Engine:
    """An engine for ``url`` that repository functions may share across a thread pool."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True, **POOL_OPTIONS)
    in_memory = not parsed.database or parsed.database == ":memory:"
    if not in_memory:
        Path(parsed.database or "").parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        parsed,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_SECONDS},
        # An in-memory database lives inside its connection: SQLAlchemy chooses the pool that keeps it.
        **({} if in_memory else POOL_OPTIONS),
    )
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin_immediate)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # Transactions are begun by _begin_immediate, not by the driver's implicit deferred BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_immediate(connection: Any) -> None:
    read_only = connection.get_execution_options().get(READ_ONLY_OPTION, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back (and re-raised) on any error.

    Objects stay readable after the block (``expire_on_commit=False``), so an activity can turn them into
    its small result dataclasses once the transaction is over.
    """
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_scope(engine: Engine) -> Iterator[Session]:
    """A transaction that only reads: no write lock on SQLite. Closing the session ends it (a rollback)
    and leaves the objects read readable."""
    with Session(engine.execution_options(**{READ_ONLY_OPTION: True})) as session:
        yield session
