"""What the importer refuses before it spends memory or time on it, each with a Chinese reason.

The bot and the console accept uploads, so every bound holds for any input: the size of a file, what a
.docx (a zip archive) expands to, the length of the text read, and figures no report prints (digits of
other scripts, superscripts, runs of digits no table cell holds). A published report is some 50 KB of
text; its Word file, with pictures, a few MB.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from io import BytesIO

from domain.errors import NotAReportError

MAX_TEXT_BYTES = 8 * 2**20
MAX_DOCX_BYTES = 30 * 2**20
MAX_DOCX_EXPANDED = 64 * 2**20
MAX_DOCX_ENTRIES = 5_000
# Parsed XML takes some ten times its size in memory; pictures are only held as bytes.
MAX_DOCX_XML = 16 * 2**20
MAX_TEXT_CHARS = 1_000_000
# The longest figure a cell holds is some 10 digits; a table-三 row run together (seven cells) some 40.
MAX_DIGIT_RUN = 60

_LONG_RUN = re.compile(rf"[0-9]{{{MAX_DIGIT_RUN + 1},}}")


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.0f} MB" if size >= 2**20 else f"{size / 1024:.0f} KB"


def check_file_size(size: int, *, source: str, docx: bool) -> None:
    """Refuse a file larger than any annual report, before reading it."""
    limit = MAX_DOCX_BYTES if docx else MAX_TEXT_BYTES
    if size > limit:
        raise NotAReportError(
            f"{source}：文件过大（{_megabytes(size)}），超过{_megabytes(limit)}的上限，"
            "不像是一份政府信息公开工作年度报告；请检查是否选错了文件"
        )


def check_docx_archive(data: bytes, *, source: str) -> None:
    """Refuse a .docx whose parts would expand past the bound (a zip bomb), by the sizes the archive
    declares; ``zipfile`` never inflates a part beyond its declared size, so the bound holds."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # not a readable archive: the Word reader says so in its own words
    expanded = sum(entry.file_size for entry in entries)
    xml = sum(entry.file_size for entry in entries if entry.filename.endswith((".xml", ".rels")))
    if len(entries) > MAX_DOCX_ENTRIES or expanded > MAX_DOCX_EXPANDED or xml > MAX_DOCX_XML:
        raise NotAReportError(
            f"「{source}」解压后过大（{_megabytes(expanded)}，{len(entries)} 个部件），超过"
            f"{_megabytes(MAX_DOCX_EXPANDED)}的上限，不像是一份年度报告的 Word 文档；请检查文件"
        )


def check_text_length(text: str, *, source: str) -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise NotAReportError(
            f"{source}：文本过长（{len(text)} 个字符），超过 {MAX_TEXT_CHARS} 个字符的上限，"
            "不像是一份政府信息公开工作年度报告"
        )


def check_figures(region: str, *, source: str) -> None:
    """Refuse a table holding digits other than 0–9 (full-width ones are ASCII by now), or a run of digits
    longer than any table row, naming what was refused.

    Digits of other scripts (Arabic-Indic, Devanagari, Lao…) are refused wherever they stand. Superscripts
    and circled numbers only where they take part in a figure (next to a digit) or stand as a cell of their
    own: prose between table rows numbers its points ①②③, and those are words, not figures.
    """
    for index, ch in enumerate(region):
        if ch.isdigit() and not ("0" <= ch <= "9") and _in_a_figure(region, index):
            raise NotAReportError(
                f"{source}：统计表中有无法识别的数字字符「{ch}」（U+{ord(ch):04X} {unicodedata.name(ch, '')}），"
                "表格中只接受阿拉伯数字 0–9（半角或全角）；请改为阿拉伯数字后重新提交"
            )
    run = _LONG_RUN.search(region)
    if run:
        raise NotAReportError(
            f"{source}：统计表中有一串 {len(run.group(0))} 位的数字（「{run.group(0)[:12]}…」），"
            "超过任何一行表格所能容纳的位数，无法读取；请核对原文"
        )


def _in_a_figure(region: str, index: int) -> bool:
    if unicodedata.category(region[index]) == "Nd":
        return True
    before = region[index - 1] if index > 0 else "\n"
    after = region[index + 1] if index + 1 < len(region) else "\n"
    return any(n.isdigit() for n in (before, after)) or (before in _CELL_EDGE and after in _CELL_EDGE)


_CELL_EDGE = frozenset(" \t\n|,")
