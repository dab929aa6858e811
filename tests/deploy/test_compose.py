"""The compose file is a production stack as the runbook describes it, and every variable it uses is documented.

No docker daemon is needed: the file is read as data and checked for what ``docker compose up`` relies on.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from nianbao.settings import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
README = DEPLOY.parent / "README.md"
COMPOSE_TEXT = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
COMPOSE: dict[str, Any] = yaml.safe_load(COMPOSE_TEXT)
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
ONE_SHOT = {"temporal-schema", "temporal-namespace", "setup"}
NIANBAO_PROCESSES = ("worker", "bot", "web")


def documented_in_readme() -> set[str]:
    return set(re.findall(r"^\| `(NIANBAO_[A-Z0-9_]+)` \|", README.read_text(encoding="utf-8"), re.MULTILINE))


def in_env_example() -> set[str]:
    text = (DEPLOY / "nianbao.env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^(NIANBAO_[A-Z0-9_]+)=", text, re.MULTILINE))


def used_by_compose() -> set[str]:
    return set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", COMPOSE_TEXT))


def test_temporal_is_the_official_server_on_postgresql_with_schema_by_the_admin_tools() -> None:
    assert "auto-setup" not in COMPOSE_TEXT
    temporal = SERVICES["temporal"]
    assert temporal["image"].startswith("temporalio/server:")
    assert temporal["environment"]["DB"] == "postgres12"
    assert temporal["environment"]["POSTGRES_SEEDS"] == "temporal-postgres"
    assert SERVICES["temporal-schema"]["image"].startswith("temporalio/admin-tools:")
    assert temporal["depends_on"]["temporal-schema"]["condition"] == "service_completed_successfully"
    script = SERVICES["temporal-schema"]["volumes"][0].split(":")[0]
    assert (DEPLOY / script).is_file()
    assert "update-schema" in (DEPLOY / script).read_text(encoding="utf-8")
    assert SERVICES["temporal-ui"]["image"].startswith("temporalio/ui:")
    assert SERVICES["postgres"]["image"].startswith("postgres:")


@pytest.mark.parametrize("name", NIANBAO_PROCESSES)
def test_each_process_has_a_health_check_a_restart_policy_and_waits_for_setup(name: str) -> None:
    service = SERVICES[name]
    assert service["healthcheck"]["test"] == ["CMD", "nianbao", "health", name]
    assert service["restart"] == "unless-stopped"
    assert service["depends_on"]["setup"]["condition"] == "service_completed_successfully"
    assert service["command"] == [name]
    assert service["env_file"] == "nianbao.env"


def test_setup_runs_nianbao_setup_after_the_namespace_and_the_database_exist() -> None:
    setup = SERVICES["setup"]
    assert setup["command"] == ["setup"]
    assert setup["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert setup["depends_on"]["temporal-namespace"]["condition"] == "service_completed_successfully"


def test_dependencies_name_services_that_exist_with_conditions_they_can_meet() -> None:
    for name, service in SERVICES.items():
        for needed, rule in (service.get("depends_on") or {}).items():
            assert needed in SERVICES, f"{name} depends on unknown {needed}"
            condition = rule["condition"]
            if condition == "service_healthy":
                assert "healthcheck" in SERVICES[needed], f"{needed} has no health check"
            elif condition == "service_completed_successfully":
                assert needed in ONE_SHOT
                assert SERVICES[needed].get("restart", "no").startswith(("no", "on-failure"))
            else:
                assert condition == "service_started"


def test_named_volumes_are_declared_and_the_build_files_exist() -> None:
    declared = set(COMPOSE["volumes"])
    for service in SERVICES.values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith("."):
                assert source in declared
        if "build" in service:
            assert (DEPLOY / service["build"]["context"] / service["build"]["dockerfile"]).is_file()


def test_every_variable_compose_uses_is_documented_in_readme_and_the_example_env() -> None:
    used = used_by_compose()
    assert used, "compose.yaml interpolates nothing?"
    assert used - documented_in_readme() == set()
    assert used - in_env_example() == set()


def test_every_setting_and_every_example_variable_is_in_the_readme_table() -> None:
    settings = {f"NIANBAO_{name.upper()}" for name in Settings.model_fields}
    assert settings - documented_in_readme() == set()
    assert in_env_example() - documented_in_readme() == set()
    assert settings - in_env_example() == set()
