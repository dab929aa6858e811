"""One clock for people: every time shown to a person is Beijing time, and says so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

BEIJING = timezone(timedelta(hours=8), "北京时间")
LABEL = "（北京时间）"


def beijing_time(moment: datetime | str) -> str:
    """``2025-01-02 09:30（北京时间）`` for an aware datetime or ISO text (naive means UTC)."""
    stamp = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") + LABEL
