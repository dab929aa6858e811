"""``nianbao up`` heals: a child killed again and again comes back while the website keeps answering.

And it refuses what would silently break cycles: a Temporal on its address without the search attributes.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from tests.nianbao.devserver import DevServer, free_port, nianbao_environment

STARTED = re.compile(r"^(\S+) 已启动（进程 (\d+)）")
NIANBAO = str(Path(sys.executable).parent / "nianbao")


class Up:
    """``nianbao up`` as a child, its merged output read line by line in the background."""

    def __init__(self, cwd: Path, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [NIANBAO, "up"], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.pids: dict[str, int] = {}
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def stop(self) -> int:
        """Ctrl-C, as an operator would; returns the exit code."""
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=60)
        self._reader.join(timeout=10)
        assert self.process.stdout is not None
        self.process.stdout.close()
        return code

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, fragment: str, seconds: float = 120) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                assert self.process.poll() is None, "\n".join(self.seen)
                continue
            self.seen.append(line)
            if started := STARTED.match(line):
                self.pids[started[1]] = int(started[2])
            if fragment in line:
                return line
        raise AssertionError(f"{fragment!r} not printed:\n" + "\n".join(self.seen))


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def test_killed_children_are_restarted_and_the_website_keeps_answering(tmp_path: Path) -> None:
    web = f"127.0.0.1:{free_port()}"
    env = nianbao_environment(
        tmp_path,
        f"127.0.0.1:{free_port()}",
        web_address=web,
        local_bot_api_port=str(free_port()),
    )
    up = Up(tmp_path, env)
    try:
        up.wait_for("全部服务已启动")
        deadline = time.monotonic() + 60
        while not answers(f"http://{web}/"):
            assert time.monotonic() < deadline, "the website never answered"
            time.sleep(0.2)
        web_pid = up.pids["web"]
        unanswered = 0
        for victim in ("worker", "worker", "worker", "bot", "bot"):
            old = up.pids[victim]
            os.kill(old, signal.SIGKILL)
            up.wait_for(f"{victim} 意外退出", seconds=20)
            while up.pids[victim] == old:
                up.wait_for(f"{victim} 已启动（进程", seconds=60)
                unanswered += not answers(f"http://{web}/")
        assert up.pids["web"] == web_pid
        assert unanswered == 0
        assert up.process.poll() is None
    finally:
        code = up.stop()
    assert code == 0


def test_up_refuses_a_running_temporal_without_the_search_attributes(
    bare_server: DevServer, tmp_path: Path
) -> None:
    env = nianbao_environment(
        tmp_path,
        bare_server.address,
        web_address=f"127.0.0.1:{free_port()}",
        local_bot_api_port=str(free_port()),
    )
    result = subprocess.run(
        [NIANBAO, "up"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "缺少搜索属性" in result.stderr
    assert "nianbao setup" in result.stderr


def test_up_refuses_a_port_already_taken(tmp_path: Path) -> None:
    with TakenPort() as taken:
        env = nianbao_environment(
            tmp_path, f"127.0.0.1:{free_port()}", web_address=taken, local_bot_api_port=str(free_port())
        )
        result = subprocess.run(
            [NIANBAO, "up"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
        )
    assert result.returncode == 1
    assert f"NIANBAO_WEB_ADDRESS（{taken}）" in result.stderr


class TakenPort:
    """A loopback port that something else already listens on."""

    def __enter__(self) -> str:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen()
        return f"127.0.0.1:{self._socket.getsockname()[1]}"

    def __exit__(self, *_: object) -> None:
        self._socket.close()
