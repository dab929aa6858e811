"""Sending the cycle's notices through the injected ``Messenger``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from temporalio import activity

from activities.messaging import Messenger
from activities.notice_texts import notice_text
from contracts import Notice, NoticeKind

# What an approver reads below the request to decide (warnings with reasons, earlier decisions, changes).
Brief = Callable[[Notice], list[str]]
# A publication's location (a server path) → the address the public opens.
PublicAddress = Callable[[str], str]


class NotificationActivities:
    def __init__(
        self, messenger: Messenger, brief: Brief | None = None, public_address: PublicAddress | None = None
    ) -> None:
        self._messenger = messenger
        self._brief = brief
        self._public_address = public_address

    @activity.defn(name="notify")
    def notify(self, notice: Notice) -> int:
        """Send one notice to each recipient; a retry re-sends nothing thanks to the dedup key."""
        if notice.kind is NoticeKind.PUBLISHED and self._public_address and notice.details.get("location"):
            location = self._public_address(notice.details["location"])
            notice = replace(notice, details={**notice.details, "location": location})
        text = notice_text(notice)
        if notice.kind is NoticeKind.APPROVAL_NEEDED and self._brief is not None:
            text = "\n".join([text, *self._brief(notice)])
        return sum(
            self._messenger.send(
                person_id=person, text=text, dedup_key=notice.dedup_key, kind=notice.kind.value
            )
            for person in notice.recipients
        )
