"""A report file named on the command line, as the document ``nianbao submit`` sends to the workflow."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from domain.document import from_document, to_document
from domain.errors import NianbaoError
from domain.importing import read_report


class UnreadableReportError(Exception):
    """The file cannot be read as a report; the message is Chinese (exit 2)."""


def document_of(path: Path) -> tuple[dict[str, Any], list[str]]:
    """The report document of ``path`` (a published report or a ``.json`` document), with notes to show.

    Ambiguous cells stay blank and are named in the notes: nothing is guessed.
    """
    try:
        if path.suffix.lower() == ".json":
            return to_document(from_document(json.loads(path.read_text(encoding="utf-8")))), []
        result = read_report(path)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UnreadableReportError(f"无法读取 {path}：{error}") from None
    except NianbaoError as error:
        raise UnreadableReportError(str(error)) from None
    notes = [f"{a.describe()}，已留空，请另行填写" for a in result.ambiguities]
    notes += list(result.warnings)
    return to_document(result.report), notes
