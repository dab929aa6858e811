"""Where each table row of the official formats starts in flattened text: its keywords and ordinal.

A row is found by any of its keywords (spaces and line breaks between characters tolerated), optionally
preceded by its ordinal (``1.``, ``（一）``, ``一、``). Rows whose keyword alone is too common (``3.其他``) require
the ordinal. The cells of a row are whatever stands between its anchor and the next row's anchor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from domain.importing.text import flexible


@dataclass(frozen=True, slots=True)
class RowAnchor:
    row: str
    keywords: tuple[str, ...]
    ordinal: str = ""
    ordinal_required: bool = False

    @property
    def pattern(self) -> re.Pattern[str]:
        return _compile(self)


# Between an ordinal and the row's keyword the label may run on: ``1.属于国家秘密``, ``4.保护第三方…``.
_GAP = r"[^\d]{0,10}?"


@cache
def _compile(anchor: RowAnchor) -> re.Pattern[str]:
    words = "|".join(flexible(k) for k in anchor.keywords)
    if not anchor.ordinal:
        return re.compile(f"(?:{words})")
    if anchor.ordinal.isdigit():
        prefix = rf"{anchor.ordinal}\s*[.、．,，]\s*{_GAP}"
    else:
        prefix = rf"(?:[（(]\s*)?{anchor.ordinal}\s*[）)、.．]?\s*{_GAP}"
    optional = "" if anchor.ordinal_required else "?"
    return re.compile(f"(?:{prefix}){optional}(?:{words})")


S2_2019: tuple[tuple[str, RowAnchor, tuple[str, ...]], ...] = (
    ("art20_1", RowAnchor("rules", ("规章",)), ("made", "published", "total")),
    ("art20_1", RowAnchor("normative", ("规范性文件",)), ("made", "published", "total")),
    ("art20_5", RowAnchor("licensing", ("行政许可",)), ("previous", "change", "decisions")),
    (
        "art20_5",
        RowAnchor("other_services", ("其他对外管理服务事项", "对外管理服务")),
        ("previous", "change", "decisions"),
    ),
    ("art20_6", RowAnchor("penalty", ("行政处罚",)), ("previous", "change", "decisions")),
    ("art20_6", RowAnchor("coercion", ("行政强制",)), ("previous", "change", "decisions")),
    ("art20_8", RowAnchor("fees", ("行政事业性收费", "事业性收费")), ("previous", "change")),
    ("art20_9", RowAnchor("procurement", ("政府集中采购", "集中采购")), ("projects", "amount")),
)
S2_2021: tuple[tuple[str, RowAnchor, tuple[str, ...]], ...] = (
    ("art20_1", RowAnchor("rules", ("规章",)), ("issued", "repealed", "in_force")),
    ("art20_1", RowAnchor("normative", ("行政规范性文件", "规范性文件")), ("issued", "repealed", "in_force")),
    ("art20_5", RowAnchor("licensing", ("行政许可",)), ("decisions",)),
    ("art20_6", RowAnchor("penalty", ("行政处罚",)), ("decisions",)),
    ("art20_6", RowAnchor("coercion", ("行政强制",)), ("decisions",)),
    ("art20_8", RowAnchor("fees", ("行政事业性收费", "事业性收费")), ("amount",)),
)

_S3_HEAD: tuple[RowAnchor, ...] = (
    RowAnchor("new", ("本年新收", "新收政府信息公开申请"), "一"),
    RowAnchor("carried_in", ("上年结转",), "二"),
    RowAnchor("disclosed", ("予以公开",), "一"),
    RowAnchor("partial", ("部分公开",), "二"),
    RowAnchor("withheld_secret", ("国家秘密", "属于国家"), "1"),
    RowAnchor("withheld_law", ("行政法规禁止公开", "法规禁止", "其他法律"), "2"),
    RowAnchor("withheld_safety", ("三安全一稳定", "三安全", "危及"), "3"),
    RowAnchor("withheld_third_party", ("第三方合法权益", "保护第三方", "第三方"), "4"),
    RowAnchor("withheld_internal", ("三类内部事务", "内部事务"), "5"),
    RowAnchor("withheld_process", ("四类过程性", "过程性"), "6"),
    RowAnchor("withheld_enforcement", ("行政执法案卷", "执法案卷"), "7"),
    RowAnchor("withheld_query", ("行政查询事项", "行政查询"), "8"),
    RowAnchor("unavailable_not_held", ("不掌握", "本机关不"), "1"),
    RowAnchor("unavailable_needs_creation", ("另行制作", "没有现成"), "2"),
    RowAnchor("unavailable_unclear", ("仍不明确", "补正后申请", "补正后"), "3"),
    RowAnchor("unprocessed_petition", ("信访举报投诉", "信访举报"), "1"),
    RowAnchor("unprocessed_repeated", ("重复申请",), "2"),
    RowAnchor("unprocessed_publication", ("公开出版物", "出版物"), "3"),
    RowAnchor("unprocessed_excessive", ("大量反复申请", "大量反复", "无正当理由大量"), "4"),
    RowAnchor("unprocessed_confirmation", ("确认或重新出具", "确认或重新", "要求行政机关确认"), "5"),
)
_S3_OTHER_2019: tuple[RowAnchor, ...] = (RowAnchor("other", ("其他处理",), "六"),)
_S3_OTHER_2021: tuple[RowAnchor, ...] = (
    RowAnchor("other_no_correction", ("逾期不补正", "逾期不补", "无正当理由逾期"), "1"),
    RowAnchor("other_no_fee", ("逾期未按收费", "未按收费", "缴纳费用"), "2"),
    RowAnchor("other_misc", ("其他",), "3", ordinal_required=True),
)
_S3_TAIL: tuple[RowAnchor, ...] = (
    RowAnchor("total", ("总计",), "七"),
    RowAnchor("carried_over", ("结转下年度", "结转下一年度", "下年度继续办理"), "四"),
)


def s3_anchors(*, split_other: bool) -> tuple[RowAnchor, ...]:
    """Rows of table 三 in order; ``split_other`` for the 2021 three-row （六）其他处理."""
    return _S3_HEAD + (_S3_OTHER_2021 if split_other else _S3_OTHER_2019) + _S3_TAIL


# Words that only table 二 of each format uses: they tell the two formats apart.
FORMAT_MARKERS: dict[str, tuple[str, ...]] = {
    "2019": (
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "政府集中采购",
        "采购总金额",
    ),
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额"),
}
SPLIT_OTHER_MARKERS: tuple[str, ...] = ("逾期不补正", "逾期不补", "逾期未按收费", "未按收费通知")
S4_HEADER_WORDS = re.compile(
    r"总\s*计|审\s*结|维\s*持|纠\s*正|结\s*果?|起\s*诉|行\s*政\s*复\s*议|行\s*政\s*诉\s*讼"
)
