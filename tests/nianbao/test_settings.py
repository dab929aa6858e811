"""Settings come from ``NIANBAO_`` variables: defaults that run out of the box, clear refusals, no secret shown."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from nianbao.settings import Settings, SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("NIANBAO_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_defaults_put_everything_under_var_of_the_current_directory(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.database_url == f"sqlite:///{tmp_path.resolve() / 'var' / 'nianbao.db'}"
    assert (tmp_path / "var").is_dir()
    assert settings.publish_dir == tmp_path.resolve() / "var" / "published"
    assert (settings.temporal_address, settings.task_queue, settings.reminder_days) == (
        "127.0.0.1:7233",
        "nianbao",
        (14, 7, 3, 1),
    )
    assert (settings.day_seconds, settings.stuck_days, settings.invite_ttl_hours) == (86400.0, 10, 72)


def test_values_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_DATABASE_URL", "postgresql+psycopg://u:p@db.internal/nianbao")
    monkeypatch.setenv("NIANBAO_REMINDER_DAYS", "1, 7,3")
    monkeypatch.setenv("NIANBAO_DAY_SECONDS", "2")
    settings = load_settings()
    assert settings.database_url == "postgresql+psycopg://u:p@db.internal/nianbao"
    assert settings.reminder_days == (7, 3, 1)
    assert settings.day_seconds == 2.0


def test_deadlines_fall_in_the_following_year_by_agency_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.deadline_for(kind="department", year=2024) == date(2025, 1, 31)
    assert settings.deadline_for(kind="government", year=2024) == date(2025, 3, 31)
    monkeypatch.setenv("NIANBAO_GOVERNMENT_DEADLINE", "02-29")
    leap_day = load_settings()
    assert leap_day.deadline_for(kind="government", year=2023) == date(2024, 2, 29)
    assert leap_day.deadline_for(kind="government", year=2024) == date(2025, 2, 28)


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("NIANBAO_DEPARTMENT_DEADLINE", "13-01", "NIANBAO_DEPARTMENT_DEADLINE（部门截止日）"),
        ("NIANBAO_REMINDER_DAYS", "7,-1", "NIANBAO_REMINDER_DAYS（提醒日）"),
        ("NIANBAO_DAY_SECONDS", "0", "NIANBAO_DAY_SECONDS（一天的秒数）"),
        ("NIANBAO_TEMPORAL_ADDRESS", "localhost", "NIANBAO_TEMPORAL_ADDRESS（Temporal 地址）"),
        ("NIANBAO_DATABASE_URL", "not a url", "NIANBAO_DATABASE_URL（数据库地址）"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, named: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match="配置有误") as refused:
        load_settings()
    assert named in str(refused.value)


def test_the_bot_token_never_shows_in_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_BOT_TOKEN", "123456:super-secret")
    settings = Settings()
    assert settings.bot_token.get_secret_value() == "123456:super-secret"
    assert "super-secret" not in repr(settings) + str(settings) + str(settings.model_dump())
