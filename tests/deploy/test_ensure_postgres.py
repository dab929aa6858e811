"""``deploy/ensure-postgres`` says what it would install and skips cleanly where it cannot."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "ensure-postgres"


def run_without_postgres(tmp_path: Path, *tools: str) -> subprocess.CompletedProcess[str]:
    """The script on a PATH holding only ``tools`` (no initdb, no apt-get unless listed)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in tools:
        found = shutil.which(tool)
        assert found is not None
        (bin_dir / tool).symlink_to(found)
    env = {"PATH": str(bin_dir), "NIANBAO_POSTGRES_GLOB": str(tmp_path / "none" / "*" / "initdb")}
    bash = shutil.which("bash")
    assert bash is not None
    return subprocess.run(
        [bash, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30, check=False
    )


def test_without_apt_it_installs_nothing_and_says_the_tests_are_skipped(tmp_path: Path) -> None:
    result = run_without_postgres(tmp_path, "id")
    assert result.returncode == 0
    assert "apt-get is not available" in result.stderr
    assert "will be skipped" in result.stderr


def test_the_script_says_what_it_installs_and_why() -> None:
    header = SCRIPT.read_text(encoding="utf-8").split("set -euo pipefail")[0]
    assert "What it installs" in header
    assert "postgresql" in header
    assert "Why" in header
