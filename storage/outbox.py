"""The outbox: messages to people, enqueued once per de-duplication key and delivered at least once.

A sender claims pending messages for a lease (so two senders never hold the same message at once), then marks
each sent, or failed with a retry delay; a message that keeps failing ends in state ``failed``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from storage.errors import InvalidEntryError, NotFoundError
from storage.kinds import OutboxState
from storage.tables import Outbox
from storage.utc import utc_now

DEFAULT_LEASE = timedelta(minutes=2)
DEFAULT_MAX_ATTEMPTS = 8


def enqueue(
    *,
    session: Session,
    dedup_key: str,
    kind: str,
    text: str,
    person_id: int | None = None,
    chat_id: int | None = None,
) -> bool:
    """Queue a message; False (and nothing stored) when a message with ``dedup_key`` was queued before."""
    if not dedup_key.strip():
        raise InvalidEntryError("消息缺少去重键")
    values = {
        "dedup_key": dedup_key,
        "kind": kind,
        "text": text,
        "person_id": person_id,
        "chat_id": chat_id,
        "state": OutboxState.PENDING.value,
        "created_at": utc_now(),
        "next_attempt_at": utc_now(),
        "attempts": 0,
    }
    # INSERT … ON CONFLICT DO NOTHING stays correct when two workers enqueue the same key at once.
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(Outbox)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["dedup_key"])
        .returning(col(Outbox.id))
    )
    return session.connection().execute(statement).first() is not None


def claim_pending(
    *, session: Session, limit: int = 50, lease: timedelta = DEFAULT_LEASE, now: datetime | None = None
) -> list[Outbox]:
    """Take up to ``limit`` due messages, oldest first, for ``lease``; others skip them until it runs out."""
    moment = now or utc_now()
    query = (
        select(Outbox)
        .where(
            Outbox.state == OutboxState.PENDING.value,
            col(Outbox.next_attempt_at) <= moment,
            or_(col(Outbox.claimed_until).is_(None), col(Outbox.claimed_until) <= moment),
        )
        .order_by(col(Outbox.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = list(session.exec(query))
    for message in claimed:
        message.claimed_until = moment + lease
        session.add(message)
    session.flush()
    return claimed


def mark_sent(*, session: Session, message_id: int, now: datetime | None = None) -> Outbox:
    message = _message(session, message_id)
    message.state = OutboxState.SENT.value
    message.sent_at = now or utc_now()
    message.attempts += 1
    message.claimed_until = None
    session.add(message)
    session.flush()
    return message


def mark_failed(
    *,
    session: Session,
    message_id: int,
    error: str,
    retry_in: timedelta,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    now: datetime | None = None,
) -> Outbox:
    """Count a failed attempt; retried after ``retry_in`` unless ``max_attempts`` are used up."""
    moment = now or utc_now()
    message = _message(session, message_id)
    message.attempts += 1
    message.last_error = error
    message.claimed_until = None
    if message.attempts >= max_attempts:
        message.state = OutboxState.FAILED.value
    else:
        message.next_attempt_at = moment + retry_in
    session.add(message)
    session.flush()
    return message


def list_messages(
    *, session: Session, state: OutboxState | None = None, person_id: int | None = None, limit: int = 200
) -> list[Outbox]:
    """Messages newest first, optionally of one state or to one person."""
    query = select(Outbox).order_by(col(Outbox.id).desc()).limit(limit)
    if state is not None:
        query = query.where(Outbox.state == state.value)
    if person_id is not None:
        query = query.where(Outbox.person_id == person_id)
    return list(session.exec(query))


def count_by_state(*, session: Session) -> dict[OutboxState, int]:
    query = select(Outbox.state, func.count()).group_by(col(Outbox.state))
    counts = dict.fromkeys(OutboxState, 0)
    for state, count in session.exec(query):
        counts[OutboxState(state)] = count
    return counts


def _message(session: Session, message_id: int) -> Outbox:
    message = session.get(Outbox, message_id)
    if message is None:
        raise NotFoundError(f"没有编号为 {message_id} 的消息")
    return message
