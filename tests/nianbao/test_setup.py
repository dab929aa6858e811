"""``nianbao setup`` prepares a namespace that has never seen nianbao; the worker refuses one that is not.

The server here was started without ``--search-attribute`` flags, as a fresh cluster or cloud namespace is.
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from pathlib import Path

from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.client import Client

from contracts import KICKOFF_SCHEDULE_ID, SEARCH_ATTRIBUTE_TYPES
from tests.nianbao.devserver import DevServer, nianbao_environment

NIANBAO = str(Path(sys.executable).parent / "nianbao")


def run(command: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([NIANBAO, *command], env=env, capture_output=True, text=True, timeout=timeout)


def worker_output_until(env: dict[str, str], fragment: str, timeout: float = 30) -> tuple[int | None, str]:
    """Run ``nianbao worker`` until it exits or prints ``fragment``; returns its exit code and output."""
    with subprocess.Popen(
        [NIANBAO, "worker"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as worker:
        assert worker.stdout is not None
        seen = ""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and fragment not in seen:
            line = worker.stdout.readline()
            if not line:
                break
            seen += line
        if fragment in seen:
            worker.terminate()
            worker.wait(timeout=15)
            return None, seen
        return worker.wait(timeout=15), seen


async def test_setup_prepares_a_bare_namespace_and_the_worker_waits_for_it(
    bare_server: DevServer, tmp_path: Path
) -> None:
    env = nianbao_environment(tmp_path, bare_server.address, task_queue=f"q-{uuid.uuid4().hex[:8]}")

    code, output = worker_output_until(env, "worker 已启动")
    assert code == 1, output
    assert "缺少" in output
    assert "nianbao setup" in output
    assert "lacks the search attributes" in output

    unprepared = run(["health", "worker"], env)
    assert unprepared.returncode == 1
    assert "缺少" in unprepared.stderr

    first = run(["setup"], env)
    assert first.returncode == 0, first.stderr
    assert "已注册" in first.stdout
    assert "已创建年度自动启动计划" in first.stdout
    assert "尚无 worker 在线" in first.stdout
    assert (tmp_path / "nianbao.db").exists()

    again = run(["setup"], env)
    assert again.returncode == 0, again.stderr
    assert "均已存在" in again.stdout
    assert "已更新年度自动启动计划" in again.stdout

    client = await Client.connect(bare_server.address)
    listed = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace="default")
    )
    assert set(SEARCH_ATTRIBUTE_TYPES) <= set(listed.custom_attributes)
    await client.get_schedule_handle(KICKOFF_SCHEDULE_ID).describe()

    code, output = worker_output_until(env, "worker 已启动")
    assert code is None, output


def test_setup_reports_a_worker_polling_the_queue(bare_server: DevServer, tmp_path: Path) -> None:
    env = nianbao_environment(tmp_path, bare_server.address, task_queue=f"q-{uuid.uuid4().hex[:8]}")
    assert run(["setup", "--no-schedule"], env).returncode == 0
    with subprocess.Popen([NIANBAO, "worker"], env=env, stdout=subprocess.PIPE, text=True) as worker:
        assert worker.stdout is not None
        assert "worker 已启动" in worker.stdout.readline()
        for _ in range(50):
            result = run(["setup", "--no-schedule"], env)
            if "个 worker 在线" in result.stdout:
                break
            time.sleep(0.2)
        healthy = run(["health", "worker"], env)
        worker.terminate()
        worker.wait(timeout=15)
    assert "1 个 worker 在线" in result.stdout
    assert healthy.returncode == 0, healthy.stderr
