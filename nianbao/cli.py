"""The ``nianbao`` command line: a thin dispatcher over the command modules in ``nianbao.commands``.

Only the module that owns the requested sub-command is imported, so ``nianbao check`` starts without
loading Temporal or aiogram; ``nianbao --help`` imports them all to list every command.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

# Sub-command → the module that registers it (``register(subparsers)`` setting ``handler`` on its parser).
COMMANDS: dict[str, str] = {
    **dict.fromkeys(("check", "export", "render"), "nianbao.commands.report"),
    **dict.fromkeys(("agencies", "people", "invite"), "nianbao.commands.directory"),
    **dict.fromkeys(
        (
            "kickoff",
            "status",
            "submit",
            "ready",
            "approve",
            "reject",
            "acknowledge",
            "correct",
            "withdraw",
            "outbox",
            "schedule",
        ),
        "nianbao.commands.cycle",
    ),
    **dict.fromkeys(("draft", "audit"), "nianbao.commands.cycle_draft"),
    **dict.fromkeys(("worker", "up", "web"), "nianbao.commands.processes"),
    "setup": "nianbao.commands.setup",
    "health": "nianbao.commands.health",
    **dict.fromkeys(("bot", "chat"), "nianbao.commands.chat"),
}
COMMAND_MODULES: tuple[str, ...] = tuple(dict.fromkeys(COMMANDS.values()))


def build_parser(modules: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nianbao", description="政府信息公开工作年度报告：起草、校验、审核、发布"
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in modules:
        importlib.import_module(name).register(subparsers)
    return parser


def _modules_for(argv: Sequence[str]) -> Sequence[str]:
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    return (COMMANDS[first],) if first in COMMANDS else COMMAND_MODULES


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(_modules_for(args_list)).parse_args(args_list)
    try:
        code: int = args.handler(args)
        sys.stdout.flush()
    except BrokenPipeError:
        return reader_gone()
    return code


def reader_gone() -> int:
    """The reader of our output stopped early (``nianbao status | head``): not an error, and no traceback
    when the interpreter flushes stdout again on exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
