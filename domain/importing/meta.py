"""Agency and year from a report's title (or, failing that, its statistics period)."""

from __future__ import annotations

import re

_TITLE = re.compile(
    r"(?P<agency>[^\n]{0,60}?)[ \t]*(?P<year>20\d\d)[ \t]*年[ \t]*度?[ \t]*(?:\n[ \t]*)*"
    r"(?:政府信息公开|政务公开|信息公开)"
)
_PERIOD = re.compile(r"(?:统计|期限|时限|期间)[^。\n]{0,20}?(20\d\d)\s*年\s*1\s*月\s*1\s*日")
_LABEL_PREFIX = re.compile(r"^(?:标题|题目|名称)\s*[:：]\s*")
_AGENCY_TRIM = " \t\u3000:：,，。-—_|·“”\"'《》"


_CHINESE_YEAR = re.compile(r"[二][〇零○Ｏ][〇零○Ｏ一二三四五六七八九]{2}(?=\s*年)")
_CHINESE_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "000012345678" + "9")


def find_agency_and_year(head: str) -> tuple[str, int | None]:
    """The agency and report year named before the first section of a report (``二〇二一年`` too)."""
    head = _CHINESE_YEAR.sub(lambda m: m.group(0).translate(_CHINESE_DIGITS), head)
    for match in _TITLE.finditer(head):
        year = int(match.group("year"))
        agency = _clean_agency(match.group("agency"))
        if not agency:
            agency = _previous_line(head, match.start())
        if agency or year:
            return agency, year
    period = _PERIOD.search(head)
    return "", int(period.group(1)) if period else None


def _clean_agency(raw: str) -> str:
    agency = _LABEL_PREFIX.sub("", raw.strip())
    agency = re.sub(r"^.*?(?:20\d\d年\d{1,2}月\d{1,2}日\S*\s+)", "", agency)
    return agency.strip(_AGENCY_TRIM)


def _previous_line(head: str, position: int) -> str:
    for line in reversed(head[:position].split("\n")):
        cleaned = _clean_agency(line)
        if cleaned:
            return cleaned
    return ""


def find_period_year(text: str) -> int | None:
    match = _PERIOD.search(text)
    return int(match.group(1)) if match else None
