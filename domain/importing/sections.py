"""Finding the six section headings in flattened report text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from domain.formats import SECTION_IDS
from domain.importing.text import clean_prose

# Any ordinal: reports that leave out a section number the rest from 一 (``一、主动公开政府信息情况``).
_ORDINALS = "一二三四五六七八九123456789"
_CORES: dict[str, str] = {
    "s1": r"总\s*体\s*情\s*况",
    "s2": r"主\s*动\s*公\s*开\s*政\s*府\s*信\s*息\s*(?:的\s*)?情\s*况",
    "s3": r"收\s*到\s*[和及]\s*处\s*理\s*政\s*府\s*信\s*息\s*公\s*开\s*申\s*请\s*(?:的\s*)?情\s*况",
    "s4": r"政府信息公开[^\n]{0,8}?复\s*议[^\n]{0,8}?诉\s*讼[^\n]{0,2}?情\s*况",
    "s5": r"存\s*在\s*的?\s*主\s*要\s*问\s*题\s*(?:及|和|以及)\s*改\s*进\s*情\s*况",
    "s6": r"其\s*他\s*需\s*[要求]?\s*报\s*告\s*的?\s*事\s*项",
}
# Words some reports put between the ordinal and the official heading (``五、政府信息公开工作存在的…``).
_PREFIX = r"(?:(?:行政机关|政府信息公开\s*(?:工作)?\s*中?)\s*)?"
_FOOTER = re.compile(
    r"(?m)^[ \t]*(?:附件[:：]?[ \t]*$|关于我们|网站地图|主办[:：]|承办[:：]|网站标识码|[^\n]{0,12}ICP备|[^\n]{0,12}公网安备"
    r"|版权所有|联系我们|【?打印本页|【?关闭窗口|扫一扫在手机|主办单位|技术支持|网站声明|Copyright|©|[^\n]{0,12}备案号)"
)


@dataclass(frozen=True, slots=True)
class Heading:
    section: str
    start: int
    end: int
    text: str


def find_headings(text: str) -> list[Heading]:
    """The section headings present, in document order; a section whose heading is missing is skipped."""
    headings: list[Heading] = []
    position = 0
    for section in SECTION_IDS:
        found = _find(text, section, position)
        if found is not None:
            headings.append(found)
            position = found.end
    return headings


@cache
def _pattern(section: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?:(?P<num>第[{_ORDINALS}]部分|[{_ORDINALS}])\s*[、.．,，]?\s*{_PREFIX})?(?P<core>{_CORES[section]})"
    )


def _find(text: str, section: str, position: int) -> Heading | None:
    for match in _pattern(section).finditer(text, position):
        line_start = text.rfind("\n", 0, match.start()) + 1
        # Markdown marks a heading with #s: they belong to the heading, not to the prose before it.
        marked = not text[line_start : match.start()].strip(" \t#")
        numbered = match.group("num") is not None
        if numbered and match.group("num").isdigit() and not _separated(text, match):
            numbered = False
        if numbered or marked:
            start = match.start() if numbered else match.start("core")
            heading = re.sub(r"\s+", "", text[start : match.end()])
            begins = line_start if marked and "#" in text[line_start:start] else start
            return Heading(section=section, start=begins, end=match.end(), text=heading)
    return None


def _separated(text: str, match: re.Match[str]) -> bool:
    """An Arabic ordinal counts only when followed by 、 or . (``1、总体情况``), not inside a number."""
    between = text[match.end("num") : match.start("core")]
    before = text[match.start() - 1] if match.start() > 0 else "\n"
    return any(ch in between for ch in "、.．,，") and not before.isdigit()


def prose_between(text: str, start: int, end: int, *, last: bool) -> str:
    """Prose of a section; the last section stops at website footers."""
    body = text[start:end]
    if last:
        footer = _FOOTER.search(body)
        if footer:
            body = body[: footer.start()]
    return clean_prose(body).lstrip("。.:：，, ")
