"""``nianbao people password`` and ``nianbao web`` as an operator runs them: the real script, a real socket."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from storage.credentials import sign_in
from storage.engine import session_scope

NIANBAO = Path(sys.executable).parent / "nianbao"


def _environment(engine: Engine, tmp_path: Path, **extra: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NIANBAO_")}
    return environment | {
        "NIANBAO_DATABASE_URL": str(engine.url),
        "NIANBAO_PUBLISH_DIR": str(tmp_path / "published"),
        **extra,
    }


def _password(engine: Engine, tmp_path: Path, name: str, text: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(NIANBAO), "people", "password", name],
        input=text,
        env=_environment(engine, tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_password_is_read_from_standard_input_and_then_signs_in(
    engine: Engine, district: object, tmp_path: Path
) -> None:
    result = _password(engine, tmp_path, "韩协调", "a-new-long-password\n")
    assert result.returncode == 0, result.stderr
    assert "已为 韩协调" in result.stdout
    assert "a-new-long-password" not in result.stdout + result.stderr
    with session_scope(engine) as session:
        assert sign_in(session=session, name="韩协调", password="a-new-long-password", client="t").person
        assert (
            sign_in(session=session, name="韩协调", password="correct-horse-battery", client="t").person
            is None
        )


def test_a_short_password_or_an_unknown_person_is_refused(
    engine: Engine, district: object, tmp_path: Path
) -> None:
    short = _password(engine, tmp_path, "韩协调", "short\n")
    assert short.returncode == 1
    assert "密码太短" in short.stderr
    nobody = _password(engine, tmp_path, "无此人", "a-new-long-password\n")
    assert nobody.returncode == 1
    assert "没有名为" in nobody.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def web_process(engine: Engine, district: object, tmp_path: Path) -> Iterator[tuple[int, Path]]:
    port = _free_port()
    log = tmp_path / "web.log"
    environment = _environment(
        engine,
        tmp_path,
        NIANBAO_WEB_ADDRESS=f"127.0.0.1:{port}",
        NIANBAO_TEMPORAL_ADDRESS=f"127.0.0.1:{_free_port()}",
    )
    with log.open("wb") as output:
        process = subprocess.Popen([str(NIANBAO), "web"], env=environment, stdout=output, stderr=output)
    try:
        deadline = time.monotonic() + 30
        while not _listening(port):
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "nianbao web did not start"
            time.sleep(0.1)
        yield port, log
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _raw_get(port: int, target: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_nianbao_web_serves_the_site_and_shrugs_off_odd_paths(web_process: tuple[int, Path]) -> None:
    port, log = web_process
    assert _raw_get(port, b"/").startswith(b"HTTP/1.1 200")
    assert b"content-type: text/html; charset=utf-8" in _raw_get(port, b"/console/signin").lower()
    for target in (
        b"/%00",
        b"/2024/%00/x.html",
        b"/..%2f..%2fetc%2fpasswd",
        b"/2024/qinghe-edu/r1/",
        b"//etc/passwd",
    ):
        answer = _raw_get(port, target)
        assert answer.split(b"\r\n", 1)[0] in (b"HTTP/1.1 404 Not Found", b"HTTP/1.1 400 Bad Request"), target
        assert b"root:" not in answer
    assert "Traceback" not in log.read_text(encoding="utf-8", errors="replace")
