"""The ``nianbao`` command line: a thin dispatcher over the command modules in ``nianbao.commands``."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Each module exposes ``register(subparsers)``; a registered sub-command sets ``handler`` returning an exit code.
COMMAND_MODULES: tuple[str, ...] = (
    "nianbao.commands.report",
    "nianbao.commands.directory",
    "nianbao.commands.cycle",
    "nianbao.commands.processes",
    "nianbao.commands.chat",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nianbao", description="政府信息公开工作年度报告：起草、校验、审核、发布")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    code: int = args.handler(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
