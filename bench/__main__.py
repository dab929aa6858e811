"""``python -m bench [NAME...]`` (``make bench``): run the named benchmarks, or every one in this folder.

Each benchmark is a module here with ``main(argv) -> int``; each prints ratios measured in its own run.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(names: list[str]) -> int:
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
        status = max(status, importlib.import_module(f"bench.{name}").main([]))
    return status


sys.exit(main(sys.argv[1:]))
