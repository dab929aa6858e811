"""The dashboard rows: one per agency and year, overdue first, counted per stage."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from storage.cycle_status import counts_by_stage, overdue_count, statuses, upsert_status
from storage.engine import session_scope
from storage.errors import InvalidEntryError


def test_rows_are_upserted_and_counted_per_stage(district: Engine) -> None:
    with session_scope(district) as session:
        upsert_status(
            session=session,
            agency_code="edu",
            year=2024,
            stage="drafting",
            percent_complete=10,
            deadline=date(2025, 1, 31),
            overdue=False,
        )
        upsert_status(
            session=session,
            agency_code="fin",
            year=2024,
            stage="drafting",
            percent_complete=0,
            deadline=date(2025, 1, 31),
            overdue=False,
        )
        upsert_status(
            session=session,
            agency_code="gov",
            year=2024,
            stage="drafting",
            percent_complete=0,
            deadline=date(2025, 3, 31),
            overdue=False,
        )
        upsert_status(
            session=session,
            agency_code="fin",
            year=2024,
            stage="approval",
            percent_complete=100,
            deadline=date(2025, 1, 31),
            overdue=True,
        )
        upsert_status(
            session=session,
            agency_code="edu",
            year=2023,
            stage="published",
            percent_complete=100,
            deadline=date(2024, 1, 31),
            overdue=False,
        )
    with session_scope(district) as session:
        assert counts_by_stage(session=session, year=2024) == {"approval": 1, "drafting": 2}
        assert [row.agency_code for row in statuses(session=session, year=2024)] == ["fin", "edu", "gov"]
        assert overdue_count(session=session, year=2024) == 1
        [fin] = statuses(session=session, year=2024, overdue_only=True)
    assert (fin.stage, fin.percent_complete, fin.deadline) == ("approval", 100, date(2025, 1, 31))


def test_percent_outside_0_to_100_is_refused(district: Engine) -> None:
    with session_scope(district) as session, pytest.raises(InvalidEntryError, match="完成度应在 0–100 之间"):
        upsert_status(
            session=session,
            agency_code="edu",
            year=2024,
            stage="drafting",
            percent_complete=101,
            deadline=None,
            overdue=False,
        )
