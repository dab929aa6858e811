"""Importing published annual reports: flattened text in every layout, Word documents and web pages.

``read_report(path)`` reads a file of any supported kind; ``parse_text(text, source=...)`` reads text.
Both return an ``ImportResult``: the report, every ambiguity (cells left blank, candidates listed, never a
silent guess) and warnings. Anything that is not a report raises ``NotAReportError``.
"""

from __future__ import annotations

from pathlib import Path

from domain.errors import NotAReportError
from domain.importing.decoding import decode_text
from domain.importing.limits import check_docx_archive, check_file_size
from domain.importing.reader import ImportResult, parse_text
from domain.report import Report

__all__ = ["ImportResult", "parse_text", "read_bytes", "read_report"]

_ZIP_MAGIC = b"PK\x03\x04"


def read_report(path: Path, *, partial_ok: bool = False, previous: Report | None = None) -> ImportResult:
    """Read a report file (.txt, .docx, .html); raises ``NotAReportError`` for anything else.

    ``previous`` (last year's report) is context for table-二 rows run together."""
    if not path.exists():
        raise NotAReportError(f"{path}：文件不存在")
    if path.is_dir():
        raise NotAReportError(f"{path}：这是一个目录，不是报告文件")
    check_file_size(path.stat().st_size, source=path.name, docx=path.suffix.lower() == ".docx")
    return read_bytes(path.read_bytes(), source=path.name, partial_ok=partial_ok, previous=previous)


def read_bytes(
    data: bytes, *, source: str, partial_ok: bool = False, previous: Report | None = None
) -> ImportResult:
    """Read a report from the bytes of an uploaded or stored file, by its content and name; files larger
    than any report, and archives that would expand past the bound, are refused before reading."""
    name = source.lower()
    docx = data.startswith(_ZIP_MAGIC) or name.endswith(".docx")
    check_file_size(len(data), source=source, docx=docx)
    if docx:
        from domain.importing.docx import read_docx

        check_docx_archive(data, source=source)
        return read_docx(data, source=source, partial_ok=partial_ok, previous=previous)
    if name.endswith((".doc", ".pdf", ".xls", ".xlsx", ".wps")) or data.startswith(b"%PDF"):
        raise NotAReportError(f"{source}：不支持此文件类型，请提供 .docx、.html 或 .txt 格式的报告")
    text = decode_text(data, source=source)
    if name.endswith((".html", ".htm")) or text.lstrip()[:300].lower().startswith(
        ("<!doctype html", "<html")
    ):
        from domain.importing.html import read_html

        return read_html(text, source=source, partial_ok=partial_ok, previous=previous)
    return parse_text(text, source=source, partial_ok=partial_ok, previous=previous)
