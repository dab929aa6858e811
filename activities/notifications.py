"""Sending the cycle's notices through the injected ``Messenger``."""

from __future__ import annotations

from temporalio import activity

from activities.messaging import Messenger
from activities.notice_texts import notice_text
from contracts import Notice


class NotificationActivities:
    def __init__(self, messenger: Messenger) -> None:
        self._messenger = messenger

    @activity.defn(name="notify")
    def notify(self, notice: Notice) -> int:
        """Send one notice to each recipient; a retry re-sends nothing thanks to the dedup key."""
        text = notice_text(notice)
        return sum(
            self._messenger.send(
                person_id=person, text=text, dedup_key=notice.dedup_key, kind=notice.kind.value
            )
            for person in notice.recipients
        )
