"""The bot reaches data only through Temporal: importing any bot module loads no database library."""

import subprocess
import sys

FORBIDDEN = ("storage", "sqlmodel", "sqlalchemy", "activities")


def test_bot_imports_no_storage() -> None:
    code = (
        "import sys, pkgutil, importlib, bot\n"
        "for m in pkgutil.walk_packages(bot.__path__, 'bot.'):\n"
        "    importlib.import_module(m.name)\n"
        f"print(','.join(n for n in {FORBIDDEN!r} if n in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
