"""Child processes kept running: one that exits is logged and started again after a growing back-off.

``nianbao up`` runs Temporal, the worker, the web process and the bot this way, so a crashed bot never
takes the public website down with it. The back-off doubles on each quick exit (1 s, 2 s, 4 s … up to
``max_backoff``) and starts over once a child has stayed up for ``stable_after`` seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO

FIRST_BACKOFF = 1.0
MAX_BACKOFF = 30.0
STABLE_AFTER = 60.0
STOP_SECONDS = 15.0


@dataclass
class Child:
    """One supervised command; ``ready`` (if any) is called after each start and may raise to give up."""

    name: str
    command: Sequence[str]
    output: IO[bytes] | None = None
    ready: Callable[[subprocess.Popen[bytes]], None] | None = None
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restart_at: float | None = None
    backoff: float = FIRST_BACKOFF
    restarts: int = 0
    exit_codes: list[int] = field(default_factory=list)


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


class Supervisor:
    def __init__(
        self,
        *,
        first_backoff: float = FIRST_BACKOFF,
        max_backoff: float = MAX_BACKOFF,
        stable_after: float = STABLE_AFTER,
        clock: Callable[[], float] = time.monotonic,
        log: Callable[[str], None] = _log,
    ) -> None:
        self._first_backoff = first_backoff
        self._max_backoff = max_backoff
        self._stable_after = stable_after
        self._clock = clock
        self._log = log
        self.children: list[Child] = []

    def start(self, child: Child) -> Child:
        """Start ``child`` now and supervise it from then on."""
        child.backoff = self._first_backoff
        self.children.append(child)
        self._spawn(child)
        return child

    def _spawn(self, child: Child) -> None:
        out = child.output
        child.process = subprocess.Popen(child.command, stdout=out, stderr=out)
        child.started_at = self._clock()
        child.restart_at = None
        self._log(f"{child.name} 已启动（进程 {child.process.pid}）")
        if child.ready is not None:
            child.ready(child.process)

    def check(self) -> None:
        """Notice exits and restart whatever is due; call this every fraction of a second."""
        now = self._clock()
        for child in self.children:
            if child.process is None:
                continue
            if child.restart_at is None:
                code = child.process.poll()
                if code is None:
                    continue
                child.exit_codes.append(code)
                if now - child.started_at >= self._stable_after:
                    child.backoff = self._first_backoff
                child.restart_at = now + child.backoff
                self._log(f"{child.name} 意外退出（退出码 {code}），{child.backoff:g} 秒后重启")
                child.backoff = min(child.backoff * 2, self._max_backoff)
            elif now >= child.restart_at:
                child.restarts += 1
                self._spawn(child)

    def run_forever(self, interval: float = 0.2) -> None:
        """Supervise until KeyboardInterrupt (Ctrl-C, or SIGTERM turned into it by the caller)."""
        while True:
            self.check()
            time.sleep(interval)

    def stop_all(self) -> None:
        """SIGINT every child, the last started first, and wait; kill what does not stop in time."""
        running = [c.process for c in reversed(self.children) if c.process and c.process.poll() is None]
        for process in running:
            process.send_signal(signal.SIGINT if os.name == "posix" else signal.SIGTERM)
        for process in running:
            try:
                process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
