"""The domain package stays pure: importing it loads no Temporal, Telegram or database library."""

import subprocess
import sys

FORBIDDEN = ("temporalio", "aiogram", "sqlmodel", "sqlalchemy")


def test_domain_imports_no_infrastructure() -> None:
    code = (
        "import sys, pkgutil, importlib, domain\n"
        "for m in pkgutil.walk_packages(domain.__path__, 'domain.'):\n"
        "    importlib.import_module(m.name)\n"
        f"print(','.join(n for n in {FORBIDDEN!r} if n in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
