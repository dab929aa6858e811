"""Where published reports go: the ``PublicationTarget`` protocol and the local-directory target.

The web process serves the local directory; a government portal's upload API would be another target.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol


class PublicationTarget(Protocol):
    name: str

    def publish(self, *, agency_code: str, year: int, revision: int, files: dict[str, bytes]) -> str:
        """Store every file of one revision; returns the location (path or URL) they can be found at.

        Publishing the same revision again replaces the same files (a retried activity is harmless);
        other revisions are never touched.
        """
        ...


class LocalDirectoryTarget:
    """``{root}/{year}/{agency}/r{revision}/``: every revision in its own directory, kept forever."""

    name = "local"

    def __init__(self, root: Path) -> None:
        self._root = root

    def publish(self, *, agency_code: str, year: int, revision: int, files: dict[str, bytes]) -> str:
        directory = self._root / str(year) / agency_code / f"r{revision}"
        directory.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            # Write then rename, so a reader (or a crash) never sees half a file.
            partial = directory / f".{name}.partial"
            partial.write_bytes(content)
            os.replace(partial, directory / name)
        return str(directory)


class PublicDirectoryAddress:
    """The public URL of a location under the published directory (the web process serves it at ``/``);
    a location elsewhere (another target's URL) is returned as it is."""

    def __init__(self, root: Path, base_url: str) -> None:
        self._root = root.resolve()
        self._base = base_url.rstrip("/")

    def __call__(self, location: str) -> str:
        try:
            relative = Path(location).resolve().relative_to(self._root)
        except ValueError:
            return location
        return f"{self._base}/{relative.as_posix()}/"
