"""Serving files from one directory only: never outside it (symlinks included), never a listing, never a
hidden or half-written file, and only the file types the site publishes, each with its charset."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}


def safe_file(root: Path, relative: str) -> Path | None:
    """The regular file ``relative`` names inside ``root``, or None for anything else."""
    if not relative or "\x00" in relative or "\\" in relative:
        return None
    parts = PurePosixPath(relative).parts
    if (
        any(part in ("..", ".") or part.startswith(".") for part in parts)
        or PurePosixPath(relative).is_absolute()
    ):
        return None
    if PurePosixPath(relative).suffix.lower() not in CONTENT_TYPES:
        return None
    try:
        base = root.resolve(strict=True)
        candidate = (base / Path(*parts)).resolve(strict=True)
    except (OSError, ValueError, RuntimeError):
        return None
    if not candidate.is_relative_to(base) or not candidate.is_file():
        return None
    return candidate


def content_type(path: Path) -> str:
    return CONTENT_TYPES[path.suffix.lower()]
