"""A bare Temporal dev server as a child process: no search attributes, killable, restartable on its file.

Unlike the session server of ``tests/workflows`` (started with the attributes registered), this is a
namespace the way a fresh cluster or cloud namespace comes: what ``nianbao setup`` must prepare.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from nianbao.commands.processes import temporal_binary


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.3)
        return probe.connect_ex(("127.0.0.1", port)) == 0


class DevServer:
    """``temporal server start-dev`` on a free loopback port, persisting to ``db_file``."""

    def __init__(self, db_file: Path, log: Path) -> None:
        self.db_file = db_file
        self.log = log
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> None:
        command = [temporal_binary(), "server", "start-dev", "--headless", "--ip", "127.0.0.1"]
        command += ["--port", str(self.port), "--db-filename", str(self.db_file), "--log-level", "error"]
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(command, stdout=output, stderr=output)
        deadline = time.monotonic() + timeout
        while not listening(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"dev server did not start: {self.log.read_text(errors='replace')[-2000:]}"
                )
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL, as a crash or an OOM kill would: no shutdown work at all."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def nianbao_environment(root: Path, address: str, **settings: str) -> dict[str, str]:
    """The environment of a ``nianbao`` child: this machine's, minus any NIANBAO_ of the caller, plus ours."""
    variables = {name: value for name, value in os.environ.items() if not name.startswith("NIANBAO_")}
    variables |= {
        "NIANBAO_TEMPORAL_ADDRESS": address,
        "NIANBAO_DATABASE_URL": f"sqlite:///{root / 'nianbao.db'}",
        "NIANBAO_PUBLISH_DIR": str(root / "published"),
    }
    variables |= {f"NIANBAO_{name.upper()}": value for name, value in settings.items()}
    return variables
