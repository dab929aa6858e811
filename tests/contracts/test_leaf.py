"""``contracts`` is the leaf every side imports: it must not drag storage, activities or the bot along."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("sqlmodel", "sqlalchemy", "aiogram", "storage", "activities", "workflows", "bot", "jsonschema")


def loaded_after(statement: str) -> set[str]:
    script = f"import sys\n{statement}\nprint('\\n'.join(sorted(sys.modules)))"
    output = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    return {name.split(".")[0] for name in output.split()}


def test_the_payloads_load_nothing_but_the_role_vocabulary() -> None:
    loaded = loaded_after("import contracts")
    assert not loaded & {*FORBIDDEN, "temporalio"}


def test_the_client_adds_only_temporalio() -> None:
    loaded = loaded_after("import contracts.client")
    assert "temporalio" in loaded
    assert not loaded & set(FORBIDDEN)
