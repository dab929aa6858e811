"""Sub-commands of ``nianbao`` (filled in by the feature that owns them)."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add this module's sub-commands to the ``nianbao`` parser."""
