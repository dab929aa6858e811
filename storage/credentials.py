"""Console passwords (Argon2 hashes) and the sign-in attempts that rate-limit guessing.

A failed sign-in is recorded under the name typed (whether or not such a person exists, so the answer
never tells a guesser which names are real); too many failures for one name, or from one client, within
the window lock further attempts out until the oldest failure leaves the window.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.errors import InvalidEntryError
from storage.people import find_person, people_named
from storage.tables import PasswordCredential, Person, SignInAttempt
from storage.utc import utc_now

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_PER_CLIENT = 20

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the name is unknown, so that a wrong name costs as long as a wrong password."""
    return _hasher.hash("nianbao-no-such-person")


@dataclass(frozen=True, slots=True)
class SignInOutcome:
    """``person`` when the name and password matched; ``locked`` when attempts are rate-limited."""

    person: Person | None
    locked: bool = False


def set_password(*, session: Session, reference: str, password: str) -> Person:
    """Give the person named (or numbered) ``reference`` a new console password; returns the person."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidEntryError(f"密码太短：至少 {MIN_PASSWORD_LENGTH} 个字符")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidEntryError(f"密码太长：最多 {MAX_PASSWORD_LENGTH} 个字符")
    person = find_person(session=session, reference=reference)
    assert person.id is not None
    credential = session.get(PasswordCredential, person.id) or PasswordCredential(
        person_id=person.id, password_hash=""
    )
    credential.password_hash, credential.set_at = _hasher.hash(password), utc_now()
    session.add(credential)
    session.flush()
    return person


def is_locked(*, session: Session, name: str, client: str, now: datetime | None = None) -> bool:
    since = (now or utc_now()) - FAILURE_WINDOW
    failures = select(func.count()).where(
        col(SignInAttempt.succeeded).is_(False), col(SignInAttempt.at) > since
    )
    by_name = session.exec(failures.where(SignInAttempt.name == name)).one()
    by_client = session.exec(failures.where(SignInAttempt.client == client)).one()
    return by_name >= MAX_FAILURES_PER_NAME or by_client >= MAX_FAILURES_PER_CLIENT


def sign_in(
    *, session: Session, name: str, password: str, client: str, now: datetime | None = None
) -> SignInOutcome:
    """Check a name and password, recording the attempt; a locked-out name is refused unchecked."""
    moment = now or utc_now()
    typed = " ".join(name.split())[:100]
    if is_locked(session=session, name=typed, client=client, now=moment):
        return SignInOutcome(person=None, locked=True)
    person = _verified(session, typed, password)
    session.add(SignInAttempt(name=typed, client=client[:64], succeeded=person is not None, at=moment))
    if person is not None:
        # A success forgives the name's earlier failures, so a user who mistyped is not locked out later.
        old = select(SignInAttempt).where(
            SignInAttempt.name == typed, col(SignInAttempt.succeeded).is_(False)
        )
        for attempt in session.exec(old):
            session.delete(attempt)
    session.flush()
    return SignInOutcome(person=person)


def _verified(session: Session, name: str, password: str) -> Person | None:
    matches = people_named(session=session, name=name) if name else []
    credentials = [
        (person, session.get(PasswordCredential, person.id)) for person in matches if person.id is not None
    ]
    with_password = [(person, cred) for person, cred in credentials if cred is not None]
    if len(with_password) != 1 or len(password) > MAX_PASSWORD_LENGTH:
        _check(_dummy_hash(), password[:MAX_PASSWORD_LENGTH])
        return None
    person, credential = with_password[0]
    return person if _check(credential.password_hash, password) else None


def _check(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
