"""A bare dev server (no search attributes) shared by the process tests of this package."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.nianbao.devserver import DevServer


@pytest.fixture(scope="module")
def bare_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevServer]:
    root = tmp_path_factory.mktemp("bare-temporal")
    server = DevServer(root / "temporal.db", root / "temporal.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()
