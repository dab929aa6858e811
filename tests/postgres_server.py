"""A real, throw-away PostgreSQL server on 127.0.0.1 for tests, from the binaries deploy/ensure-postgres installs.

``running_postgres()`` yields the URL of its maintenance database ``postgres``. As a program,
``python -m tests.postgres_server COMMAND…`` runs COMMAND with ``NIANBAO_TEST_DATABASE_URL`` pointing at
such a server (``make test-postgres``); without PostgreSQL binaries it says so and exits 0.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

POSTGRES_USER = "nianbao"


class NoPostgresError(Exception):
    """No PostgreSQL server binaries on this machine."""


def postgres_bindir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    initdb = candidates[-1] if candidates else shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class PostgresServer:
    """One throw-away cluster in a temporary directory, on a free loopback port."""

    def __init__(self) -> None:
        bindir = postgres_bindir()
        if bindir is None:
            raise NoPostgresError("no PostgreSQL server binaries (deploy/ensure-postgres installs them)")
        # PostgreSQL refuses to run as root: then the server runs as the ``postgres`` OS user, owning its dir.
        as_root = os.geteuid() == 0
        self._prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
        self.root = Path(tempfile.mkdtemp(prefix="nianbao-pg-"))
        if as_root:
            shutil.chown(self.root, user="postgres")
        self._bindir = bindir
        self.port = _free_port()
        self.url = f"postgresql+psycopg://{POSTGRES_USER}@127.0.0.1:{self.port}/postgres"
        initdb = [str(bindir / "initdb"), "-D", str(self.root / "data"), "-U", POSTGRES_USER, "--auth=trust"]
        subprocess.run([*self._prefix, *initdb, "-E", "UTF8", "--locale=C"], check=True, capture_output=True)

    def _pg_ctl(self, *arguments: str, check: bool = True) -> None:
        pg_ctl = [*self._prefix, str(self._bindir / "pg_ctl"), "-D", str(self.root / "data")]
        subprocess.run([*pg_ctl, *arguments], check=check, capture_output=True)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg_ctl(
            "-l", str(self.root / "server.log"), "-o", f"{options} -c full_page_writes=off", "-w", "start"
        )

    def stop(self, mode: str = "immediate") -> None:
        """``immediate`` is a crash as far as clients see: connections cut, recovery on the next start."""
        self._pg_ctl("-m", mode, "-w", "stop", check=False)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer()
    try:
        server.start()
        yield server
    finally:
        server.remove()


@contextlib.contextmanager
def running_postgres() -> Iterator[str]:
    with postgres_server() as server:
        yield server.url


def main(command: list[str]) -> int:
    try:
        with running_postgres() as url:
            print(f"PostgreSQL for the tests: {url}", flush=True)
            return subprocess.run(command, env={**os.environ, "NIANBAO_TEST_DATABASE_URL": url}).returncode
    except NoPostgresError as missing:
        print(f"skipped: {missing}", file=sys.stderr)
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
