"""The cycle fixtures (dev server, database, in-process worker) live in ``cycle_env`` for reuse by tests/cli."""

from tests.workflows.cycle_env import engine_fixture, settings_fixture, temporal_env_fixture, world_fixture

__all__ = ["engine_fixture", "settings_fixture", "temporal_env_fixture", "world_fixture"]
