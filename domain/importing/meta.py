"""Agency and year from a report's title (or, failing that, its opening sentence and statistics period).

A title is a line of its own: ``某机关2021年政府信息公开工作年度报告``, year first (``2019年某机关政府信息公开…``),
the agency on the line above (``淮安市人民政府`` / ``2024 年政府信息公开工作年度报告``), or split over lines. A web
page often shows its own headline above the document's title; the document's title, the last one before
the first section, names the agency as the report itself does.
"""

from __future__ import annotations

import re

_TITLE = re.compile(
    r"(?m)^[ \t#*]*(?:(?:标题|题目|名称)[ \t]*[:：][ \t]*)?(?P<before>[^\n]{0,40}?)[ \t]*(?P<year>20\d\d)"
    r"[ \t]*年[ \t]*度?[ \t]*(?P<after>[^\n\d]{0,30}?)[ \t]*(?:\n[ \t]*)*"
    r"(?:政府信息公开|政务公开|信息公开)(?P<rest>[^\n]*)"
)
_PERIOD = re.compile(r"(?:统计|期限|时限|期间)[^。\n]{0,20}?(20\d\d)\s*年\s*1\s*月\s*1\s*日")
# The agency named in the opening sentence: 「…的要求，市科委编制了本报告」, 「本报告由某局根据…编制」.
_OPENING = (
    re.compile(r"本(?:年度)?报告由(?P<agency>[\u4e00-\u9fff（）]{2,30}?)(?:根据|依据|按照|编制|汇总)"),
    re.compile(
        r"(?:要求|规定|精神|通知)[，,](?:现由)?(?P<agency>[\u4e00-\u9fff（）]{2,30}?)"
        r"(?:编制|编写|制作)"
    ),
)
_AGENCY = re.compile(r"[\u3400-\u9fff（）()·]{2,40}")
_NOT_AGENCY = (
    "报告",
    "根据",
    "依据",
    "按照",
    "现将",
    "本年",
    "公开",
    "我们",
    "我单位",
    "我局",
    "我委",
    "结合",
    "实际",
    "认真",
)
_AGENCY_TRIM = " \t\u3000:：,，。-—_|·“”\"'《》#*"

_CHINESE_YEAR = re.compile(r"[二][〇零○Ｏ][〇零○Ｏ一二三四五六七八九]{2}(?=\s*年)")
_CHINESE_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "000012345678" + "9")


def find_agency_and_year(head: str) -> tuple[str, int | None]:
    """The agency and report year named before the first section of a report (``二〇二一年`` too)."""
    head = _CHINESE_YEAR.sub(lambda m: m.group(0).translate(_CHINESE_DIGITS), head)
    titles = [(_title_agency(head, m), int(m.group("year"))) for m in _TITLE.finditer(head) if _is_title(m)]
    named = [title for title in titles if title[0]]
    if named:
        return named[-1]
    agency = _opening_agency(head)
    if titles:
        return agency, titles[-1][1]
    period = _PERIOD.search(head)
    return agency, int(period.group(1)) if period else None


def _is_title(match: re.Match[str]) -> bool:
    """The rest of the line is the title's end (``工作年度报告``), not the rest of a sentence."""
    rest = match.group("rest").strip()
    return len(rest) <= 20 and not re.search(r"[。，,；;]", rest)


def _title_agency(head: str, match: re.Match[str]) -> str:
    for raw in (match.group("before"), match.group("after")):
        agency = re.sub(r"(?:关于|的)$", "", raw.strip(_AGENCY_TRIM)).strip(_AGENCY_TRIM)
        if agency:
            return agency if _plausible(agency) else ""
    return _previous_line(head, match.start())


def _plausible(agency: str) -> bool:
    return bool(_AGENCY.fullmatch(agency)) and not any(word in agency for word in _NOT_AGENCY)


def _previous_line(head: str, position: int) -> str:
    for line in reversed(head[:position].split("\n")):
        cleaned = line.strip(_AGENCY_TRIM)
        if cleaned:
            return cleaned if _plausible(cleaned) else ""
    return ""


def _opening_agency(head: str) -> str:
    compact = re.sub(r"\s+", "", head)
    for pattern in _OPENING:
        match = pattern.search(compact)
        if match and _plausible(match.group("agency")):
            return match.group("agency")
    return ""


def find_period_year(text: str) -> int | None:
    match = _PERIOD.search(text)
    return int(match.group(1)) if match else None
