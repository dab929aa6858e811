"""The outbox queues each message once per key, hands it to one sender at a time, and counts attempts."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import Engine

from storage.engine import session_scope
from storage.kinds import OutboxState
from storage.outbox import claim_pending, count_by_state, enqueue, list_messages, mark_failed, mark_sent
from storage.utc import utc_now


def put(engine: Engine, key: str, text: str = "请于1月31日前完成年报填报") -> bool:
    with session_scope(engine) as session:
        return enqueue(session=session, dedup_key=key, kind="reminder", text=text, chat_id=1001)


def test_a_key_is_queued_once_so_nobody_gets_the_same_reminder_twice(engine: Engine) -> None:
    assert put(engine, "reminder:edu:2024:14") is True
    assert put(engine, "reminder:edu:2024:14", "另一条") is False
    with session_scope(engine) as session:
        [message] = list_messages(session=session)
    assert message.text == "请于1月31日前完成年报填报"


def test_concurrent_enqueues_of_one_key_store_one_message(engine: Engine) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: put(engine, "prompt:edu:2024"), range(12)))
    assert results.count(True) == 1
    with session_scope(engine) as session:
        assert len(list_messages(session=session)) == 1


def test_a_claimed_message_is_not_handed_out_again_until_its_lease_ends(engine: Engine) -> None:
    for number in range(3):
        put(engine, f"k{number}")
    now = utc_now()
    with session_scope(engine) as session:
        first = [m.dedup_key for m in claim_pending(session=session, limit=2, now=now)]
    with session_scope(engine) as session:
        second = [m.dedup_key for m in claim_pending(session=session, now=now)]
    with session_scope(engine) as session:
        after_lease = [m.dedup_key for m in claim_pending(session=session, now=now + timedelta(minutes=5))]
    assert (first, second, after_lease) == (["k0", "k1"], ["k2"], ["k0", "k1", "k2"])


def test_sent_messages_leave_the_queue_and_failures_are_retried_then_given_up(engine: Engine) -> None:
    put(engine, "sent")
    put(engine, "flaky")
    now = utc_now()
    with session_scope(engine) as session:
        sent, flaky = claim_pending(session=session, now=now)
        assert sent.id is not None
        assert flaky.id is not None
        mark_sent(session=session, message_id=sent.id, now=now)
        mark_failed(
            session=session,
            message_id=flaky.id,
            error="429",
            retry_in=timedelta(seconds=30),
            max_attempts=2,
            now=now,
        )
    with session_scope(engine) as session:
        assert claim_pending(session=session, now=now + timedelta(seconds=10)) == []
        [retry] = claim_pending(session=session, now=now + timedelta(seconds=31))
        assert retry.id is not None
        mark_failed(
            session=session,
            message_id=retry.id,
            error="500",
            retry_in=timedelta(seconds=30),
            max_attempts=2,
            now=now,
        )
    with session_scope(engine) as session:
        assert claim_pending(session=session, now=now + timedelta(days=1)) == []
        assert count_by_state(session=session) == {
            OutboxState.PENDING: 0,
            OutboxState.SENT: 1,
            OutboxState.FAILED: 1,
        }
        [failed] = list_messages(session=session, state=OutboxState.FAILED)
    assert (failed.attempts, failed.last_error) == (2, "500")
