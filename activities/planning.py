"""The deadline and reminder plan of one cycle, on the Chinese working-day calendar.

Calendar work lives here, not in workflow code: the holiday tables change every year (the package must be
updated), and a plan computed once is recorded in history, so a running year replays the same.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
from temporalio import activity

from contracts import DeadlinePlan, PlannedReminder, PlanRequest, ReminderKind
from nianbao.settings import Settings

# Overdue cycles are reminded every working day for this many calendar days after the deadline.
OVERDUE_REMINDER_DAYS = 60
# A published cycle stays open for corrections (更正) this many days, then completes.
CORRECTION_WINDOW_DAYS = 365


def is_working_day(day: date) -> bool:
    """Per the official holiday calendar with its make-up working days (调休); weekdays beyond its years."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def working_day_on_or_before(day: date, earliest: date) -> date | None:
    while day >= earliest:
        if is_working_day(day):
            return day
        day -= timedelta(days=1)
    return None


def working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def reminder_dates(
    *, start: date, deadline: date, days_before: tuple[int, ...]
) -> list[tuple[date, ReminderKind, int]]:
    """(date, kind, days before) of every reminder, each on a working day, in date order.

    The kickoff notice goes out on the first working day; a reminder due on a holiday moves to the
    working day before it (never before the kickoff); overdue reminders go out every working day.
    """
    kickoff = working_day_on_or_after(start)
    planned: dict[date, tuple[ReminderKind, int]] = {
        kickoff: (ReminderKind.KICKOFF, (deadline - kickoff).days)
    }
    for before in sorted(days_before, reverse=True):
        due = working_day_on_or_before(deadline - timedelta(days=before), kickoff)
        if due is not None and due not in planned:
            planned[due] = (ReminderKind.BEFORE, before)
    first_overdue: date | None = None
    for offset in range(1, OVERDUE_REMINDER_DAYS + 1):
        day = deadline + timedelta(days=offset)
        if day > kickoff and is_working_day(day):
            first_overdue = first_overdue or day
            planned[day] = (ReminderKind.OVERDUE, -offset)
    result = [(day, kind, before) for day, (kind, before) in sorted(planned.items())]
    if first_overdue is not None:
        result.append((first_overdue, ReminderKind.ESCALATE, (deadline - first_overdue).days))
        result.sort(key=lambda item: item[0])
    return result


class PlanningActivities:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    @activity.defn(name="plan_deadlines")
    def plan_deadlines(self, request: PlanRequest) -> DeadlinePlan:
        """Deadline by agency kind and year, and every reminder as (real offset, simulated date, kind)."""
        settings = self._settings
        start = date.fromisoformat(request.start_date)
        deadline = settings.deadline_for(kind=request.agency_kind, year=request.year)
        reminders = tuple(
            PlannedReminder(
                offset_seconds=(day - start).days * settings.day_seconds,
                date=day.isoformat(),
                kind=kind,
                days_before=before,
            )
            for day, kind, before in reminder_dates(
                start=start, deadline=deadline, days_before=settings.reminder_days
            )
        )
        return DeadlinePlan(
            deadline=deadline.isoformat(),
            day_seconds=settings.day_seconds,
            stuck_after_days=settings.stuck_days,
            close_after_days=CORRECTION_WINDOW_DAYS,
            reminders=reminders,
        )
