"""Short Chinese names for cells, rows and severities, shared by findings, renderers, the CLI and the bot.

``cells.tsv`` labels are full paths (``三、收到和处理政府信息公开申请情况/三、本年度办理结果/（一）予以公开/
自然人``); an officer reads ``三、（一）予以公开 自然人``. Every channel takes its names from here so that a
finding, a rendered table and a chat message call a cell the same thing.
"""

from __future__ import annotations

import re
from functools import cache

from domain.formats import OFFICIAL_HEADINGS, report_format

SEVERITY_LABELS: dict[str, str] = {"error": "错误", "warning": "警告", "ambiguous": "无法确定"}

# Explanations in brackets (（区分处理的，只计这一情形…）, （单位：万元）) are dropped; the numbering
# brackets （一） and 第（五）项 stay because they are how officers find a row on the printed form.
_EXPLANATION = re.compile(r"(?<![/第])（[^（）]{2,}）")
_ROW_NUMERAL = re.compile(r"^[一二三四五六七八九十]+、")
_GROUPING_PARTS = frozenset({"法人或其他组织", "三、本年度办理结果"})
_SLASH_IN_LABEL = "本年增/减"


def section_numeral(section_id: str) -> str:
    """``s3`` → ``三、``."""
    return OFFICIAL_HEADINGS[section_id].split("、", 1)[0] + "、"


def short_cell_label(full_label: str) -> str:
    """``三、收到…/三、本年度办理结果/（一）予以公开/自然人`` → ``三、（一）予以公开 自然人``."""
    title, _, rest = full_label.partition("/")
    if not rest:
        return _EXPLANATION.sub("", full_label)
    numeral = title.split("、", 1)[0] + "、"
    rest = _EXPLANATION.sub("", rest).replace(_SLASH_IN_LABEL, "\0")
    parts = [_ROW_NUMERAL.sub("", part) for part in rest.split("/") if part not in _GROUPING_PARTS]
    return numeral + " ".join(parts).replace("\0", _SLASH_IN_LABEL)


@cache
def _labels(format_id: str, legacy_other_row: bool) -> dict[str, str]:
    fmt = report_format(format_id, legacy_other_row=legacy_other_row)
    return {spec.key: short_cell_label(spec.label) for spec in fmt.cells}


def cell_label(key: str, *, format_id: str, legacy_other_row: bool = False) -> str:
    """The officer's name of one cell of a format, e.g. ``三、（七）总计 自然人``.

    The single 2019 （六） row is known to the 2021 format too, so that a document refused for mixing
    the two layouts can still name the cell it should not have.
    """
    labels = _labels(format_id, legacy_other_row)
    if key not in labels and format_id == "2021":
        labels = _labels(format_id, not legacy_other_row)
    return labels[key]


def format_cell_labels(format_id: str, *, legacy_other_row: bool = False) -> dict[str, str]:
    """Every cell of a format with its officer's name, in cells.tsv order."""
    return dict(_labels(format_id, legacy_other_row))
