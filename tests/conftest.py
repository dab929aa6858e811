"""Session-wide: the PostgreSQL databases created for NIANBAO_TEST_DATABASE_URL runs are dropped at the end."""

from __future__ import annotations

import pytest

from tests.databases import drop_created


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    drop_created()
