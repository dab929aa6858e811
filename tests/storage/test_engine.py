"""The engine: safe from a thread pool, SQLite with WAL and foreign keys, one transaction per scope."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from storage.agencies import list_agencies
from storage.engine import make_engine, read_scope, session_scope
from storage.errors import NotFoundError
from storage.invites import create_invite
from storage.kinds import RoleName
from storage.people import add_person_with_role, list_people
from storage.tables import Invite, Role


def test_sqlite_uses_wal_and_enforces_foreign_keys(tmp_path_factory: pytest.TempPathFactory) -> None:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'nested' / 'dir' / 'n.db'}"
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()


def test_a_row_pointing_at_nothing_is_refused(engine: Engine) -> None:
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(Role(person_id=99, agency_code="nowhere", role="officer"))


def test_a_failed_scope_leaves_nothing_behind(district: Engine) -> None:
    def officer_then_unknown_agency() -> None:
        with session_scope(district) as session:
            add_person_with_role(session=session, name="甲", agency_code="edu", role=RoleName.OFFICER)
            add_person_with_role(session=session, name="甲", agency_code="missing", role=RoleName.HEAD)

    with pytest.raises(NotFoundError):
        officer_then_unknown_agency()
    with session_scope(district) as session:
        assert list_people(session=session) == []


def test_many_threads_write_at_once_without_losing_anything(district: Engine) -> None:
    def add(number: int) -> None:
        with session_scope(district) as session:
            list_agencies(session=session)  # a read before the write: the case that deadlocks without care
            add_person_with_role(
                session=session, name=f"人员{number}", agency_code="edu", role=RoleName.OFFICER
            )

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(add, range(40)))
    with session_scope(district) as session:
        assert len(list_people(session=session, agency_code="edu")) == 40


def test_timestamps_come_back_aware_in_utc(district: Engine) -> None:
    issued = datetime(2025, 1, 2, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    with session_scope(district) as session:
        create_invite(
            session=session, agency_code="edu", role=RoleName.OFFICER, ttl=timedelta(hours=1), now=issued
        )
    with session_scope(district) as session:
        [invite] = session.exec(select(Invite))
    assert invite.expires_at == datetime(2025, 1, 2, 2, 30, tzinfo=UTC)
    assert invite.expires_at.utcoffset() == timedelta(0)
    assert invite.created_at.tzinfo is not None


def test_a_read_does_not_wait_for_a_writer_holding_the_lock(district: Engine) -> None:
    """WAL: while one transaction holds the write lock, a read-only scope answers at once."""
    if district.dialect.name != "sqlite":
        pytest.skip("the write lock is SQLite's")
    with session_scope(district) as writer:
        add_person_with_role(session=writer, name="写入中", agency_code="edu", role=RoleName.OFFICER)
        started = datetime.now(UTC)
        with ThreadPoolExecutor(max_workers=1) as pool:
            names = pool.submit(_agency_codes, district).result(timeout=5)
        assert datetime.now(UTC) - started < timedelta(seconds=2)
    assert names == ["city", "edu", "fin", "gov"]


def _agency_codes(engine: Engine) -> list[str]:
    with read_scope(engine) as session:
        return sorted(a.code for a in list_agencies(session=session))
