"""The reminder plan follows the official working-day calendar, holidays and make-up days included."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from activities.planning import PlanningActivities, is_working_day
from contracts import PlanRequest, ReminderKind
from tests.workflows.cycle_env import make_settings


def plan_for(tmp_path: Path, kind: str, start: str) -> list[tuple[str, ReminderKind, int]]:
    planning = PlanningActivities(make_settings(tmp_path, day_seconds=2.0))
    plan = planning.plan_deadlines(PlanRequest(kind, 2019, start))
    return [(r.date, r.kind, r.days_before) for r in plan.reminders]


def test_no_reminder_falls_on_a_holiday_and_make_up_days_count(tmp_path: Path) -> None:
    reminders = plan_for(tmp_path, "department", "2020-01-01")
    dates = [date.fromisoformat(day) for day, _, _ in reminders]
    assert all(is_working_day(day) for day in dates)
    # 1 January is New Year's Day: the kickoff notice goes out on the next working day.
    assert reminders[0] == ("2020-01-02", ReminderKind.KICKOFF, 29)
    # 14 days before 31 January is Friday 17 January, a working day.
    assert ("2020-01-17", ReminderKind.BEFORE, 14) in reminders
    # 7 days before falls into the Spring Festival holiday (24 January onward): moved to the working day before.
    assert ("2020-01-23", ReminderKind.BEFORE, 7) in reminders
    # 3 and 1 days before are holidays too and have no working day left after the 7-day reminder.
    assert not [r for r in reminders if r[1] is ReminderKind.BEFORE and r[2] in (3, 1)]
    # 19 January 2020 was a Sunday made a working day (调休); 1–2 February were holidays.
    assert is_working_day(date(2020, 1, 19))
    overdue = [day for day, kind, _ in reminders if kind is ReminderKind.OVERDUE]
    assert overdue[0] == "2020-02-03"
    assert "2020-02-08" not in overdue  # a Saturday
    escalations = [day for day, kind, _ in reminders if kind is ReminderKind.ESCALATE]
    assert escalations == ["2020-02-03"]


def test_deadline_by_agency_kind_and_real_time_offsets(tmp_path: Path) -> None:
    planning = PlanningActivities(make_settings(tmp_path, day_seconds=2.0))
    department = planning.plan_deadlines(PlanRequest("department", 2019, "2020-01-02"))
    government = planning.plan_deadlines(PlanRequest("government", 2019, "2020-01-02"))
    assert (department.deadline, government.deadline) == ("2020-01-31", "2020-03-31")
    before = next(r for r in department.reminders if r.date == "2020-01-17")
    assert before.offset_seconds == 15 * 2.0
