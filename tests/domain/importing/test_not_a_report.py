"""Anything that is not a whole report is refused with a Chinese reason, never a traceback."""

from pathlib import Path

import pytest

from domain.errors import NotAReportError
from domain.importing import read_bytes, read_report

REPORTS = Path(__file__).resolve().parents[4] / "shared" / "reports"
EXAMPLE = REPORTS / "001_5b7f9e9403413c40.txt"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "空"),
        (bytes(range(256)) * 20, "二进制"),
        (
            "会议通知：定于下周一召开全体工作会议，请各单位负责同志准时参加，会议地点在三楼会议室，特此通知。".encode(),
            "不是",
        ),
        (b"%PDF-1.7 binary", "不支持"),
        (b"PK\x03\x04 not really a zip", "docx"),
    ],
)
def test_other_documents_are_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(NotAReportError, match=reason):
        read_bytes(data, source="上传.txt")


@pytest.mark.skipif(not EXAMPLE.exists(), reason="shared/reports is not beside this checkout")
@pytest.mark.parametrize("cut", [0.2, 0.45, 0.6])
def test_a_report_cut_off_is_refused_as_truncated(cut: float) -> None:
    data = EXAMPLE.read_bytes()
    with pytest.raises(NotAReportError, match="不完整"):
        read_bytes(data[: int(len(data) * cut)], source="截断.txt")


@pytest.mark.skipif(not EXAMPLE.exists(), reason="shared/reports is not beside this checkout")
def test_a_partial_draft_is_accepted_when_asked_for() -> None:
    data = EXAMPLE.read_bytes()
    cut = data.index("(七)总计".encode())
    result = read_bytes(data[:cut], source="草稿.txt", partial_ok=True)
    assert result.report.cells["s3.new.total"] == 300
    assert result.report.cells["s3.total.total"] is None


def test_missing_files_and_folders_are_refused(tmp_path: Path) -> None:
    with pytest.raises(NotAReportError, match="不存在"):
        read_report(tmp_path / "none.txt")
    with pytest.raises(NotAReportError, match="目录"):
        read_report(tmp_path)


@pytest.mark.skipif(not EXAMPLE.exists(), reason="shared/reports is not beside this checkout")
def test_a_complete_report_without_table_two_heading_and_sections_five_six_is_not_called_truncated() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    start, end = text.index("二、主动公开政府信息情况"), text.index("三、收到和处理政府信息公开申请情况")
    without_two_and_tail = text[:start] + text[end : text.index("五、存在的主要问题")]
    result = read_bytes(without_two_and_tail.encode(), source="无表二.txt")
    assert result.report.cells["s3.total.total"] == 310
