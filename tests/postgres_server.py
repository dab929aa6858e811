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


@contextlib.contextmanager
def running_postgres() -> Iterator[str]:
    bindir = postgres_bindir()
    if bindir is None:
        raise NoPostgresError("no PostgreSQL server binaries (deploy/ensure-postgres installs them)")
    # PostgreSQL refuses to run as root: then the server runs as the ``postgres`` OS user, owning its dir.
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    root = Path(tempfile.mkdtemp(prefix="nianbao-pg-"))
    if as_root:
        shutil.chown(root, user="postgres")
    data, log = root / "data", root / "server.log"
    port = _free_port()
    initdb = [str(bindir / "initdb"), "-D", str(data), "-U", POSTGRES_USER, "--auth=trust", "-E", "UTF8"]
    subprocess.run([*prefix, *initdb, "--locale=C"], check=True, capture_output=True)
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    pg_ctl = [*prefix, str(bindir / "pg_ctl"), "-D", str(data)]
    subprocess.run([*pg_ctl, "-l", str(log), "-o", options, "-w", "start"], check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://{POSTGRES_USER}@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*pg_ctl, "-m", "immediate", "-w", "stop"], check=False, capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


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
