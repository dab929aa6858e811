"""``python -m bench [NAME...] [--OPTION ...]`` (``make bench``): run the named benchmarks, or every one here.

Each benchmark is a module here with ``main(argv) -> int``; each prints ratios measured in its own run and
ends with a ``RESULT <name> key=value …`` line. Options after the names go to every named benchmark, e.g.
``python -m bench cycle_scale --agencies 100 300`` or ``python -m bench bot_latency --officers 500``.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    split = next((i for i, arg in enumerate(argv) if arg.startswith("-")), len(argv))
    names, options = argv[:split], argv[split:]
    available = sorted(
        m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name != "__main__"
    )
    unknown = sorted(set(names) - set(available))
    if unknown:
        print(
            f"unknown benchmark(s) {', '.join(unknown)}; available: {', '.join(available)}", file=sys.stderr
        )
        return 2
    status = 0
    for name in names or available:
        print(f"== bench.{name}", flush=True)
        status = max(status, importlib.import_module(f"bench.{name}").main(options))
    return status


code = main(sys.argv[1:])
# The Temporal runtime's native threads can abort interpreter shutdown ("PyGILState_Release …
# finalizing", temporalio/sdk-python#300) after a benchmark has printed its result: leave at once.
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
