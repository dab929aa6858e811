"""Normalising flattened report text without changing its length, so offsets stay valid."""

from __future__ import annotations

import re

# Full-width digits, signs and spaces become ASCII one character for one character.
_SAME_LENGTH = str.maketrans(
    {
        **{chr(0xFF10 + d): str(d) for d in range(10)},
        "．": ".",
        "－": "-",
        "＋": "+",
        **dict.fromkeys("\u3000\u00a0\u2002\u2003\u2009\v", " "),
        **dict.fromkeys("\r\f", "\n"),
    }
)
_ARTEFACT = re.compile(r"\[bookmark:[^\]\n]*\]")
# Page numbers such as "-3-", "— 3 —", "第 3 页" on a line of their own.
_PAGE_LINE = re.compile(
    r"(?m)^[ \t]*(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*共\s*\d+\s*页)?)[ \t]*$"
)
CJK = re.compile(r"[\u3400-\u9fff]")


def normalize_text(text: str) -> str:
    """ASCII digits and spaces, artefacts and page numbers blanked out; same length as ``text``."""
    text = text.replace("\r\n", " \n").translate(_SAME_LENGTH)
    text = _ARTEFACT.sub(lambda m: " " * len(m.group(0)), text)
    return _PAGE_LINE.sub(lambda m: " " * len(m.group(0)), text)


def flexible(keyword: str) -> str:
    """A regex for ``keyword`` that tolerates line breaks and spaces between its characters."""
    return r"\s*".join(re.escape(ch) for ch in keyword if not ch.isspace())


def clean_prose(text: str) -> str:
    """Prose (already normalised) as paragraphs: lines stripped, empty lines and bare page numbers dropped."""
    lines = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line or re.fullmatch(r"[-—–]?\s*\d{1,3}\s*[-—–]?", line):
            continue
        lines.append(line)
    return "\n".join(lines)


_SENTENCE_END = tuple("。！？；：…”」』）)!?;:")


def looks_hard_wrapped(lines: list[str]) -> bool:
    """Prose copied out of a PDF: most lines stop mid-sentence at a similar width."""
    if len(lines) < 4:
        return False
    open_ended = [line for line in lines if not line.endswith(_SENTENCE_END)]
    widths = sorted(len(line) for line in lines)
    median = widths[len(widths) // 2]
    return len(open_ended) >= 0.6 * len(lines) and 15 <= median <= 60


def unwrap(text: str) -> str:
    """Join the lines of hard-wrapped prose back into paragraphs that end where sentences end."""
    paragraphs: list[str] = []
    for line in text.split("\n"):
        if paragraphs and not paragraphs[-1].endswith(_SENTENCE_END):
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
    return "\n".join(paragraphs)


def is_figure(text: str) -> bool:
    """ASCII digits only: ``str.isdigit`` also takes ``¹`` and ``③``, which ``int`` refuses."""
    return text.isascii() and text.isdigit()
