"""A child that exits is started again after a growing back-off; the others are left alone."""

from __future__ import annotations

import sys
import time

from nianbao.supervisor import Child, Supervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def wait_until(condition: object, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.02)


def test_a_killed_child_comes_back_and_its_sibling_keeps_running() -> None:
    lines: list[str] = []
    supervisor = Supervisor(first_backoff=0.1, max_backoff=0.4, log=lines.append)
    try:
        victim = supervisor.start(Child("worker", SLEEPER))
        sibling = supervisor.start(Child("web", SLEEPER))
        sibling_pid = sibling.process.pid if sibling.process else None
        for round_ in range(4):
            assert victim.process is not None
            victim.process.kill()
            old = victim.process
            wait_until(lambda: (supervisor.check(), victim.process is not old)[1])  # noqa: B023
            assert victim.restarts == round_ + 1
        assert sibling.process is not None
        assert (sibling.process.pid, sibling.process.poll()) == (sibling_pid, None)
        assert sum("worker 意外退出" in line for line in lines) == 4
        # The back-off grew: 0.1, 0.2, 0.4, then capped at 0.4.
        waits = [line.split("，")[1] for line in lines if "意外退出" in line]
        assert waits == ["0.1 秒后重启", "0.2 秒后重启", "0.4 秒后重启", "0.4 秒后重启"]
    finally:
        supervisor.stop_all()
    assert all(child.process and child.process.poll() is not None for child in supervisor.children)


def test_a_child_that_stayed_up_long_enough_is_restarted_quickly_again() -> None:
    now = [0.0]
    lines: list[str] = []
    supervisor = Supervisor(
        first_backoff=1, max_backoff=8, stable_after=60, clock=lambda: now[0], log=lines.append
    )
    try:
        child = supervisor.start(Child("bot", SLEEPER))
        for _ in range(3):
            assert child.process is not None
            child.process.kill()
            child.process.wait()
            supervisor.check()
            now[0] += 10
            supervisor.check()
        assert child.process is not None
        now[0] += 100
        child.process.kill()
        child.process.wait()
        supervisor.check()
    finally:
        supervisor.stop_all()
    waits = [line.split("，")[1] for line in lines if "意外退出" in line]
    assert waits == ["1 秒后重启", "2 秒后重启", "4 秒后重启", "1 秒后重启"]
