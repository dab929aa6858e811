"""``nianbao check/export/render`` run as the installed console script, the way officers run it."""

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from domain.document import from_document, to_document, validator
from domain.errors import Ambiguity
from domain.importing import ImportResult
from domain.report import Report
from nianbao.commands.report import findings_for
from tests.domain.reports import consistent_report

NIANBAO = Path(sys.executable).parent / "nianbao"
REPORTS = Path(__file__).resolve().parents[3] / "shared" / "reports"
HUAIAN = REPORTS / "101_huaian_city_gov_2024_pdf-layout.txt"
PINGTAN = REPORTS / "102_pingtan_2022_concatenated-cells.txt"

needs_reports = pytest.mark.skipif(not REPORTS.is_dir(), reason="shared/reports is not beside this checkout")


def nianbao(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [NIANBAO, *map(str, args)], capture_output=True, text=True, timeout=120, check=False
    )


def _write_document(path: Path, report: Report) -> Path:
    path.write_text(json.dumps(to_document(report), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def broken_report(tmp_path: Path) -> Path:
    report = consistent_report(outcomes={"disclosed": {"natural": 14}, "partial": {"natural": 6}})
    report.set_cell("s3.partial.natural", 12)
    report.set_cell("s3.partial.total", 12)
    return _write_document(tmp_path / "draft.json", report)


def test_check_prints_each_finding_in_chinese_and_exits_1_on_errors(broken_report: Path) -> None:
    result = nianbao("check", broken_report)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "draft.json（某区政务服务管理局，2022年度，2021年格式）"
    assert "  错误 s3.outcome_total：三、（七）总计 自然人列为20，但各项办理结果相加为26，相差6" in lines
    assert lines[-1].startswith("  共 ")
    assert result.stderr == ""


def test_check_json_lists_findings_with_cells(broken_report: Path) -> None:
    result = nianbao("check", "--json", broken_report)
    assert result.returncode == 1
    [entry] = json.loads(result.stdout)
    assert entry["errors"] == len([f for f in entry["findings"] if f["severity"] == "error"]) > 0
    finding = next(f for f in entry["findings"] if f["rule_id"] == "s3.outcome_total")
    assert finding["cells"][0] == {"key": "s3.total.natural", "label": "三、（七）总计 自然人", "value": "20"}
    assert (finding["expected"], finding["actual"]) == ("26", "20")


def test_check_with_last_years_report(tmp_path: Path) -> None:
    last = consistent_report(year=2021, outcomes={"disclosed": {"natural": 5}}, carried_over={"natural": 3})
    this = consistent_report(outcomes={"disclosed": {"natural": 9}}, carried_in={"natural": 2})
    last_path = _write_document(tmp_path / "2021.json", last)
    this_path = _write_document(tmp_path / "2022.json", this)
    assert nianbao("check", this_path).returncode == 0
    result = nianbao("check", this_path, "--previous", last_path)
    assert result.returncode == 1
    assert "错误 cross_year.carried_in：三、上年结转政府信息公开申请数量 自然人为2" in result.stdout


def test_previous_report_of_another_agency_or_year_is_refused(tmp_path: Path) -> None:
    this = _write_document(tmp_path / "2022.json", consistent_report())
    other = consistent_report(year=2021)
    other.agency = "某县人民政府"
    elsewhere = nianbao("check", this, "--previous", _write_document(tmp_path / "other.json", other))
    assert elsewhere.returncode == 1
    assert "某县人民政府" in elsewhere.stderr
    assert "某区政务服务管理局" in elsewhere.stderr
    assert "未发现问题" not in elsewhere.stdout
    too_old = consistent_report(year=2020)
    old = nianbao("check", this, "--previous", _write_document(tmp_path / "2020.json", too_old))
    assert old.returncode == 1
    assert "2020年度" in old.stderr
    assert "2021年度" in old.stderr


def test_unreadable_previous_report_exits_2(tmp_path: Path, broken_report: Path) -> None:
    result = nianbao("check", broken_report, "--previous", tmp_path / "missing.txt")
    assert result.returncode == 2
    assert result.stderr.startswith("上一年度报告无法读取：")
    assert "Traceback" not in result.stderr


def test_pre_publication_check_reports_blank_cells_and_empty_prose(tmp_path: Path) -> None:
    draft = _write_document(tmp_path / "blank.json", Report.blank("2021", agency="某局", year=2022))
    quick = nianbao("check", draft)
    assert quick.returncode == 0
    assert "未发现问题" not in quick.stdout
    assert "个空白单元格未作完整性检查（发布前请加 --pre-publication 检查）" in quick.stdout
    assert json.loads(nianbao("check", "--json", draft).stdout)[0]["unchecked"]["blank_cells"] > 0
    result = nianbao("check", "--pre-publication", draft)
    assert result.returncode == 1
    assert (
        "错误 pre_publication.blank_cells：“三、收到和处理政府信息公开申请情况”中有175个空白单元格"
        in result.stdout
    )
    assert "错误 pre_publication.prose_empty：“一、总体情况”部分没有内容，发布前必须填写" in result.stdout


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda tmp: tmp / "no-such-report.txt", "文件不存在"),
        (lambda tmp: tmp, "目录"),
        (lambda tmp: _bytes(tmp / "scan.txt", bytes(range(256)) * 20), ""),
        (lambda tmp: _bytes(tmp / "notice.txt", "关于召开会议的通知。请各单位准时参加。".encode() * 5), ""),
        (lambda tmp: _bytes(tmp / "draft.json", b'{"meta": {"format": "2021"}'), "无法读取"),
        (lambda tmp: _bytes(tmp / "draft.json", b'{"meta": {"format": "2021"}}'), "报告数据不符合格式要求"),
    ],
    ids=["missing", "directory", "binary", "not-a-report", "broken-json", "invalid-document"],
)
def test_files_that_are_not_reports_exit_2_with_a_chinese_message(
    tmp_path: Path, make: Any, expected: str
) -> None:
    path = make(tmp_path)
    result = nianbao("check", path)
    assert result.returncode == 2
    assert result.stderr.strip()
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert any("\u4e00" <= char <= "\u9fff" for char in result.stderr)


def _bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_one_unreadable_file_does_not_hide_the_others(tmp_path: Path, broken_report: Path) -> None:
    result = nianbao("check", tmp_path / "missing.txt", broken_report)
    assert result.returncode == 2
    assert "draft.json" in result.stdout
    assert "s3.outcome_total" in result.stdout


@needs_reports
def test_check_of_a_clean_published_report_exits_0() -> None:
    result = nianbao("check", HUAIAN)
    assert result.returncode == 0, result.stdout
    assert result.stdout == f"{HUAIAN.name}（淮安市人民政府，2024年度，2021年格式）\n  未发现错误\n"


@needs_reports
def test_check_of_pingtan_flags_the_prose_figure_as_a_warning() -> None:
    result = nianbao("check", PINGTAN)
    assert result.returncode == 0
    assert (
        "  警告 prose.new_applications：一、总体情况写明收到申请75件，"
        "但三、本年新收政府信息公开申请数量 总计为74" in result.stdout
    )


@needs_reports
def test_export_cells_gives_one_line_per_cell_in_contract_order() -> None:
    result = nianbao("export", HUAIAN, "--cells")
    assert result.returncode == 0
    lines = [line.split("\t") for line in result.stdout.splitlines()]
    assert all(len(line) == 2 for line in lines)
    shared_keys = [
        row.split("\t")[1]
        for row in (REPORTS.parent / "format" / "cells.tsv").read_text(encoding="utf-8").splitlines()[1:]
        if row.startswith("2021\t")
    ]
    assert [key for key, _ in lines] == shared_keys
    values = dict(lines)
    assert values["meta.agency"] == "淮安市人民政府"
    assert values["meta.year"] == "2024"
    assert values["s3.new.total"] == "3119"
    assert values["s4.review.total"] == "351"
    assert values["s2.art20_8.fees.amount"] == "96171.6"


@needs_reports
def test_export_json_is_a_valid_document_with_undecidable_cells_blank() -> None:
    result = nianbao("export", PINGTAN, "--json")
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert validator("2021").is_valid(document)
    report = from_document(document)
    assert report.agency == "平潭综合实验区"
    assert report.cells["s3.total.total"] == 75
    assert report.cells["s2.art20_1.normative.in_force"] is None


@needs_reports
def test_undecidable_cells_are_exported_blank_and_checked_as_their_own_severity() -> None:
    # 8855698 for three cells: the prose quotes 88 and 698, but prose figures are not the table's.
    exported = nianbao("export", PINGTAN, "--cells")
    assert exported.returncode == 1
    values = dict(line.split("\t") for line in exported.stdout.splitlines())
    assert values["s2.art20_1.normative.in_force"] == ""
    assert "8855698" in exported.stderr
    checked = nianbao("check", PINGTAN)
    assert checked.returncode == 0
    assert (
        "  无法确定 import.ambiguous：已留空，请人工核对：「8855698」可有多种读法（88|55|698；"
        in checked.stdout
    )
    assert (
        checked.stdout.splitlines()[-1]
        == "  共 0 个错误，3 个警告，1 处无法确定（不是报告的错误，需人工核对）"
    )
    [entry] = json.loads(nianbao("check", "--json", PINGTAN).stdout)
    assert (entry["errors"], entry["ambiguous"]) == (0, 1)
    [ambiguity] = entry["ambiguities"]
    assert ambiguity["cells"] == [f"s2.art20_1.normative.{c}" for c in ("issued", "repealed", "in_force")]
    assert ["88", "55", "698"] in ambiguity["candidates"]


def test_help_documents_the_exit_codes() -> None:
    for command in ("check", "export"):
        result = nianbao(command, "--help")
        assert "退出码" in result.stdout
        assert "  2  文件无法作为年度报告读取" in result.stdout
    assert "  1  报告本身有错误" in nianbao("check", "--help").stdout


def _hostile_text(tmp_path: Path, replace: str) -> Path:
    text = PINGTAN.read_text(encoding="utf-8").replace("行政许可10690", f"行政许可{replace}")
    return _bytes(tmp_path / "hostile.txt", text.encode())


@needs_reports
@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        ("106٩0", "「٩」（U+0669 ARABIC-INDIC DIGIT NINE）"),
        ("10²", "「²」"),
        ("1③", "「③」"),
        ("7" * 5000, "5000 位"),
        ("1" * 15, "位数过多"),
    ],
    ids=["arabic-indic", "superscript", "circled", "past-int-limit", "too-many-digits"],
)
def test_figures_no_report_holds_exit_2_with_a_chinese_reason(
    tmp_path: Path, replace: str, expected: str
) -> None:
    for command in ("check", "export"):
        result = nianbao(
            command, _hostile_text(tmp_path, replace), *(["--cells"] if command == "export" else [])
        )
        assert result.returncode == 2, result.stdout
        assert expected in result.stderr
        assert "Traceback" not in result.stderr


@needs_reports
def test_money_past_exact_precision_exits_2_never_rounded(tmp_path: Path) -> None:
    text = PINGTAN.read_text(encoding="utf-8").replace("9116.36", "14957." + "9" * 35)
    result = nianbao("export", _bytes(tmp_path / "money.txt", text.encode()), "--cells")
    assert result.returncode == 2
    assert "不会四舍五入" in result.stderr
    assert "14958" not in result.stdout


def test_oversized_files_and_zip_bombs_exit_2(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as stream:
        stream.truncate(200 * 2**20)
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (17 * 2**20))
    for path, expected in ((big, "文件过大"), (bomb, "解压后过大")):
        result = nianbao("check", path)
        assert result.returncode == 2
        assert expected in result.stderr
        assert "Traceback" not in result.stderr


def test_a_json_document_with_an_endless_number_exits_2(tmp_path: Path) -> None:
    path = _bytes(tmp_path / "draft.json", b'{"meta": {"format": "2021"}, "x": ' + b"9" * 5000 + b"}")
    result = nianbao("check", path)
    assert result.returncode == 2
    assert "无法读取" in result.stderr
    assert "Traceback" not in result.stderr


def test_render_json_writes_the_document(tmp_path: Path, broken_report: Path) -> None:
    output = tmp_path / "out.json"
    result = nianbao("render", broken_report, "--to", "json", "-o", output)
    assert result.returncode == 0
    assert json.loads(output.read_text(encoding="utf-8")) == json.loads(
        broken_report.read_text(encoding="utf-8")
    )
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_render_into_a_missing_folder_exits_2(tmp_path: Path, broken_report: Path) -> None:
    result = nianbao("render", broken_report, "--to", "json", "-o", tmp_path / "no" / "out.json")
    assert result.returncode == 2
    assert "输出目录不存在" in result.stderr


@needs_reports
@pytest.mark.parametrize("target", ["docx", "html"])
def test_rendered_report_imports_back_to_the_same_cells(tmp_path: Path, target: str) -> None:
    output = tmp_path / f"huaian.{target}"
    rendered = nianbao("render", HUAIAN, "--to", target, "-o", output)
    assert rendered.returncode == 0, rendered.stderr
    assert rendered.stdout == f"已生成 {output}\n"
    assert nianbao("export", output, "--cells").stdout == nianbao("export", HUAIAN, "--cells").stdout


@needs_reports
@pytest.mark.parametrize(("target", "start"), [("md", "# 淮安市人民政府"), ("csv", "")])
def test_render_text_targets(tmp_path: Path, target: str, start: str) -> None:
    output = tmp_path / f"huaian.{target}"
    assert nianbao("render", HUAIAN, "--to", target, "-o", output).returncode == 0
    text = output.read_text(encoding="utf-8")
    assert text.startswith(start)
    assert "3119" in text
    plain = tmp_path / "plain.txt"
    plain.write_text("", encoding="utf-8")
    assert output.stat().st_mode == plain.stat().st_mode


def test_rule_findings_about_a_cell_left_blank_as_ambiguous_are_left_to_the_ambiguity() -> None:
    report = consistent_report()
    report.set_cell("s4.review.upheld", 2)
    report.cells["s4.review.total"] = None
    ambiguity = Ambiguity(
        cells=("s4.review.total", "s4.suit_direct.upheld"), source="21", candidates=(("2", "1"),)
    )
    findings = findings_for(ImportResult(report=report, ambiguities=[ambiguity]), None, pre_publication=False)
    assert [(f.rule_id, f.severity) for f in findings] == [("import.ambiguous", "ambiguous")]
    assert findings[0].cells[0] == ("s4.review.total", "四、行政复议 总计", None)
    assert findings[0].actual == "2|1"


@needs_reports
def test_checking_many_files_ends_with_which_have_errors(tmp_path: Path, broken_report: Path) -> None:
    result = nianbao("check", broken_report, PINGTAN, tmp_path / "missing.txt")
    assert result.returncode == 2
    assert result.stdout.splitlines()[-1] == (
        f"共检查 3 份：1 份有错误（draft.json）；1 份有无法确定的单元格（{PINGTAN.name}）；"
        "1 份无法读取（missing.txt）"
    )
