"""Figures a report states in its prose, used only to choose among several readings of run-together cells."""

from __future__ import annotations

import re

_HINTS: dict[str, dict[str, str]] = {
    "2021": {
        "s2.art20_1.normative.in_force": r"现行有效的?(?:行政)?规范性文件(?:共)?(?<![0-9])([0-9]{1,12})件",
        "s2.art20_1.normative.issued": r"(?:制发|印发|出台|制定)(?:了)?的?(?:行政)?规范性文件(?:共)?(?<![0-9])([0-9]{1,12})件",
        "s2.art20_1.normative.repealed": r"废止(?:了)?的?(?:行政)?规范性文件(?:共)?(?<![0-9])([0-9]{1,12})件",
        "s2.art20_1.rules.in_force": r"现行有效的?(?:政府)?规章(?:共)?(?<![0-9])([0-9]{1,12})件",
        "s2.art20_1.rules.issued": r"(?:制发|出台|制定|新增公开)(?:了)?的?(?:市|区|县|省)?(?:政府)?规章(?:共)?(?<![0-9])([0-9]{1,12})件",
    },
    "2019": {
        "s2.art20_1.normative.total": r"(?:累计)?公开(?:了)?(?:各类)?规范性文件(?:共)?(?<![0-9])([0-9]{1,12})件",
    },
}


def prose_hints(prose: str, format_id: str) -> dict[str, int]:
    """Cell key → the number the prose states for it, where a pattern finds exactly one value."""
    compact = re.sub(r"\s+", "", prose)
    found: dict[str, int] = {}
    for key, pattern in _HINTS.get(format_id, {}).items():
        values = {int(m.group(1)) for m in re.finditer(pattern, compact)}
        if len(values) == 1:
            found[key] = values.pop()
    return found
