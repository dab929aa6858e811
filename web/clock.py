"""The cycle's calendar as the console sees it.

A cycle counts its own days (``NIANBAO_DAY_SECONDS`` may shrink them, and the demo runs 2019's cycle), so
"today", "days left" and "on time" follow the date a running cycle of that year reports, not the wall clock.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

BEIJING = timezone(timedelta(hours=8))
CACHE_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class CycleDay:
    """The cycle's ``today`` at the real instant ``now``, and how long one cycle day lasts."""

    today: date
    now: datetime
    day_seconds: float

    def cutoff(self, deadline: date) -> datetime:
        """The real instant at which the cycle day ``deadline`` ends (publishing before it is on time)."""
        return self.now + timedelta(seconds=((deadline - self.today).days + 1) * self.day_seconds)

    def day_of(self, instant: datetime) -> date:
        """The cycle day a real instant fell on."""
        elapsed = (self.now - instant).total_seconds()
        return self.today - timedelta(days=int(elapsed // self.day_seconds))


TodayOf = Callable[[int], Awaitable[date | None]]


class CycleClock:
    """Asks a running cycle of the year for its date (cached briefly); the Beijing date when none answers."""

    def __init__(self, today_of: TodayOf | None, day_seconds: float) -> None:
        self._today_of = today_of
        self._day_seconds = day_seconds
        self._cache: dict[int, tuple[float, date]] = {}

    async def day(self, year: int) -> CycleDay:
        now = datetime.now(UTC)
        cached = self._cache.get(year)
        if cached is not None and now.timestamp() - cached[0] < CACHE_SECONDS:
            return CycleDay(cached[1], now, self._day_seconds)
        today = await self._today_of(year) if self._today_of else None
        if today is None:
            today = now.astimezone(BEIJING).date()
        self._cache[year] = (now.timestamp(), today)
        return CycleDay(today, now, self._day_seconds)


class FixedClock:
    """A clock that says the same day (tests, benchmarks, screenshots)."""

    def __init__(self, today: date, day_seconds: float = 86400.0) -> None:
        self._today = today
        self._day_seconds = day_seconds

    async def day(self, year: int) -> CycleDay:
        return CycleDay(self._today, datetime.now(UTC), self._day_seconds)
