"""Every table of the product, as sqlmodel classes (the schema that the alembic migrations build).

Closed vocabularies (agency kind, role, channel, decision, outbox state) are text columns holding the values
of ``storage.kinds``; the repository functions accept nothing else. Timestamps are timezone-aware UTC.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.utc import UtcDateTime, utc_now

# Named constraints keep migrations reproducible across SQLite and PostgreSQL.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Agency(SQLModel, table=True):
    """A body that publishes its own annual report; a department reports to its government (parent)."""

    code: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=16)
    parent_code: str | None = Field(default=None, foreign_key="agency.code", index=True, max_length=64)
    active: bool = True


class Person(SQLModel, table=True):
    """A person; ``code`` (staff or mobile number, or ``P<id>`` when none was given) is who they are,
    since two people may share a name."""

    id: int | None = Field(default=None, primary_key=True)
    code: str | None = Field(default=None, unique=True, max_length=40)
    name: str = Field(index=True, max_length=100)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class Role(SQLModel, table=True):
    """One role of one person at one agency; a person may hold several."""

    __table_args__ = (UniqueConstraint("person_id", "agency_code", "role"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    agency_code: str = Field(foreign_key="agency.code", index=True, max_length=64)
    role: str = Field(max_length=16)
    granted_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class ChatBinding(SQLModel, table=True):
    """A chat account that speaks for a person (one person may use several)."""

    __tablename__ = "chat_binding"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    chat_id: int = Field(sa_type=BigInteger, unique=True)
    bound_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class Invite(SQLModel, table=True):
    """A single-use, expiring code; only its hash is stored."""

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(unique=True, max_length=64)
    agency_code: str = Field(foreign_key="agency.code", index=True, max_length=64)
    role: str = Field(max_length=16)
    for_person_id: int | None = Field(default=None, foreign_key="person.id")
    created_by: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    used_by: int | None = Field(default=None, foreign_key="person.id")


class Draft(SQLModel, table=True):
    """One revision of an agency's report for a year; the highest revision is the current one."""

    __table_args__ = (UniqueConstraint("agency_code", "year", "revision"),)

    id: int | None = Field(default=None, primary_key=True)
    agency_code: str = Field(foreign_key="agency.code", index=True, max_length=64)
    year: int
    revision: int
    format: str = Field(max_length=8)
    document: dict[str, Any] = Field(sa_type=JSON)
    stage: str = Field(max_length=32)
    reason: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class AuditEntry(SQLModel, table=True):
    """One change: who, when, through which channel, what (cell key or section), old and new value."""

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    agency_code: str = Field(foreign_key="agency.code", index=True, max_length=64)
    year: int | None = None
    revision: int | None = None
    target: str = Field(max_length=120)
    old_value: str | None = Field(default=None, sa_type=Text)
    new_value: str | None = Field(default=None, sa_type=Text)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    channel: str = Field(max_length=16)
    at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class Finding(SQLModel, table=True):
    """A rule finding of the latest validation of a revision."""

    id: int | None = Field(default=None, primary_key=True)
    agency_code: str = Field(foreign_key="agency.code", index=True, max_length=64)
    year: int
    revision: int
    rule_id: str = Field(max_length=120)
    # The rule instance (column, section, cell key); with rule_id it makes the finding's key.
    subject: str = Field(default="", max_length=120)
    severity: str = Field(max_length=16)
    cells: list[str] = Field(default_factory=list, sa_type=JSON)
    expected: str | None = Field(default=None, sa_type=Text)
    actual: str | None = Field(default=None, sa_type=Text)
    message: str = Field(sa_type=Text)
    found_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class Acknowledgement(SQLModel, table=True):
    """One warning accepted with a reason; ``rule_id`` holds the warning's key (``rule:subject``)."""

    __table_args__ = (UniqueConstraint("agency_code", "year", "revision", "rule_id"),)

    id: int | None = Field(default=None, primary_key=True)
    agency_code: str = Field(foreign_key="agency.code", index=True, max_length=64)
    year: int
    revision: int
    rule_id: str = Field(max_length=120)
    reason: str = Field(sa_type=Text)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class Approval(SQLModel, table=True):
    """One decision on one step of the approval chain.

    ``request_key`` names the request that recorded it (a Temporal activity), so a retried request finds
    its decision instead of adding a second one; decisions entered another way have none.
    """

    id: int | None = Field(default=None, primary_key=True)
    agency_code: str = Field(foreign_key="agency.code", index=True, max_length=64)
    year: int
    revision: int
    step: int
    person_id: int = Field(foreign_key="person.id")
    decision: str = Field(max_length=16)
    comment: str | None = Field(default=None, sa_type=Text)
    request_key: str | None = Field(default=None, unique=True, max_length=200)
    at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class Publication(SQLModel, table=True):
    """Where and when one revision was published to one target."""

    __table_args__ = (UniqueConstraint("agency_code", "year", "revision", "target"),)

    id: int | None = Field(default=None, primary_key=True)
    agency_code: str = Field(foreign_key="agency.code", index=True, max_length=64)
    year: int
    revision: int
    target: str = Field(max_length=64)
    location: str = Field(sa_type=Text)
    files: list[str] = Field(default_factory=list, sa_type=JSON)
    at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class Outbox(SQLModel, table=True):
    """A message waiting to be delivered (at least once; ``dedup_key`` makes it at most once enqueued)."""

    id: int | None = Field(default=None, primary_key=True)
    dedup_key: str = Field(unique=True, max_length=200)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    chat_id: int | None = Field(default=None, sa_type=BigInteger)
    kind: str = Field(max_length=32)
    text: str = Field(sa_type=Text)
    state: str = Field(default="pending", index=True, max_length=16)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
    next_attempt_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
    claimed_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_type=Text)


class CycleStatus(SQLModel, table=True):
    """The dashboard row of one agency's cycle for one year."""

    __tablename__ = "cycle_status"

    agency_code: str = Field(foreign_key="agency.code", primary_key=True, max_length=64)
    year: int = Field(primary_key=True)
    stage: str = Field(index=True, max_length=32)
    percent_complete: int = 0
    deadline: date | None = None
    overdue: bool = False
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class Conversation(SQLModel, table=True):
    """Where one chat stands in a conversation with the bot (aiogram FSM state and data), by storage key.

    The bot's guided walk lives here, so a bot restart never loses the question an officer is answering.
    """

    key: str = Field(primary_key=True, max_length=200)
    state: str | None = Field(default=None, max_length=200)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class PasswordCredential(SQLModel, table=True):
    """The console password of a person, as an Argon2 hash (never the password itself)."""

    __tablename__ = "password_credential"

    person_id: int = Field(foreign_key="person.id", primary_key=True)
    password_hash: str = Field(max_length=200)
    set_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class SignInAttempt(SQLModel, table=True):
    """One attempt to sign in to the console; failed ones within a window lock the name out for a while."""

    __tablename__ = "sign_in_attempt"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, max_length=100)
    client: str = Field(max_length=64)
    succeeded: bool
    at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime, index=True)


class DeadlineExtension(SQLModel, table=True):
    """A deadline moved by a coordinator, with the reason; the newest one of an agency-year holds."""

    __tablename__ = "deadline_extension"

    id: int | None = Field(default=None, primary_key=True)
    agency_code: str = Field(foreign_key="agency.code", index=True, max_length=64)
    year: int
    deadline: date
    reason: str = Field(sa_type=Text)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
