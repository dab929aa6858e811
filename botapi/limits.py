"""Telegram's flood limits, enforced when a test asks for them: a send over the limit gets a 429.

Off by default. With them on, a client that does not pace itself is refused the way Telegram would
refuse it (``retry_after`` 1), which is how tests show the bot's delivery stays within the limits.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

from botapi.params import ApiError

SENDING_METHODS = frozenset({"sendMessage", "sendDocument"})


@dataclass
class SendLimits:
    per_second: int = 30
    per_chat_interval: float = 1.0
    recent: deque[float] = field(default_factory=deque)
    last_in_chat: dict[int, float] = field(default_factory=dict)
    refused: int = 0

    def admit(self, chat_id: int) -> None:
        """Count a send, or refuse it with 429 if it breaks the overall or per-chat limit."""
        now = time.monotonic()
        while self.recent and now - self.recent[0] >= 1.0:
            self.recent.popleft()
        too_fast_in_chat = now - self.last_in_chat.get(chat_id, -1e9) < self.per_chat_interval
        if len(self.recent) >= self.per_second or too_fast_in_chat:
            self.refused += 1
            raise ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
        self.recent.append(now)
        self.last_in_chat[chat_id] = now
