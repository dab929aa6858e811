"""One line per fault at the end of the run: answers sent, acknowledged, stored, lost, misplaced, duplicated."""

from __future__ import annotations

import pytest

from tests.faults.harness import RESULTS


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if RESULTS:
        terminalreporter.section("fault suite")
        for line in RESULTS:
            terminalreporter.write_line(line)
