"""Console passwords and sign-in attempts: hashed, checked, and rate-limited per name and per client."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from storage.credentials import FAILURE_WINDOW, MAX_FAILURES_PER_NAME, set_password, sign_in
from storage.engine import session_scope
from storage.errors import InvalidEntryError, NotFoundError
from storage.kinds import RoleName
from storage.people import add_person_with_role
from storage.tables import PasswordCredential
from storage.utc import utc_now

PASSWORD = "a-long-enough-password"


@pytest.fixture
def coordinator(district: Engine) -> Engine:
    with session_scope(district) as session:
        add_person_with_role(session=session, name="郑协调", agency_code="gov", role=RoleName.COORDINATOR)
        set_password(session=session, reference="郑协调", password=PASSWORD)
    return district


def test_only_an_argon2_hash_is_stored(coordinator: Engine) -> None:
    with session_scope(coordinator) as session:
        [credential] = session.exec(select(PasswordCredential)).all()
    assert credential.password_hash.startswith("$argon2id$")
    assert PASSWORD not in credential.password_hash


def test_the_right_password_signs_in_and_a_wrong_one_does_not(coordinator: Engine) -> None:
    with session_scope(coordinator) as session:
        assert sign_in(session=session, name="郑协调", password=PASSWORD, client="a").person is not None
        assert sign_in(session=session, name="郑协调", password="wrong-password", client="a").person is None
        assert sign_in(session=session, name="无此人", password=PASSWORD, client="a").person is None


def test_failures_lock_the_name_until_they_leave_the_window(coordinator: Engine) -> None:
    start = utc_now()
    with session_scope(coordinator) as session:
        for _ in range(MAX_FAILURES_PER_NAME):
            sign_in(session=session, name="郑协调", password="guess-guess", client="a", now=start)
        locked = sign_in(session=session, name="郑协调", password=PASSWORD, client="b", now=start)
        assert locked.locked
        assert locked.person is None
        later = start + FAILURE_WINDOW + timedelta(seconds=1)
        assert (
            sign_in(session=session, name="郑协调", password=PASSWORD, client="b", now=later).person
            is not None
        )


def test_short_passwords_and_unknown_people_are_refused(coordinator: Engine) -> None:
    with session_scope(coordinator) as session:
        with pytest.raises(InvalidEntryError, match="密码太短"):
            set_password(session=session, reference="郑协调", password="short")
        with pytest.raises(NotFoundError):
            set_password(session=session, reference="无此人", password=PASSWORD)
