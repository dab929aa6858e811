"""``nianbao check``, ``nianbao export`` and ``nianbao render``: the report core on files.

Exit codes (``CHECK_EXIT_CODES``, shown by ``--help``): check — 0 no error in the report (warnings and
cells we could not read unambiguously, 「无法确定」, are listed but are not the report's errors), 1 the
report has errors, 2 a file could not be read as a report; export and render — 0 every cell read, 1 done
with undecidable cells left blank (listed on stderr), 2 unreadable. Every message is Chinese and no input
ends in a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from domain.agencies import previous_refusal
from domain.document import from_document, render_json
from domain.errors import Ambiguity, NianbaoError
from domain.export import render_cell_lines
from domain.labels import SEVERITY_LABELS, format_cell_labels
from domain.report import Report
from domain.rules import Finding, check_report

if TYPE_CHECKING:
    from domain.importing import ImportResult

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2
RENDER_TARGETS: tuple[str, ...] = ("docx", "html", "md", "json", "csv")
CHECK_EXIT_CODES = """退出码：
  0  报告本身没有错误（可能有警告，或有「无法确定」的单元格：原文可有多种读法，已列出候选值，需人工核对）
  1  报告本身有错误（如表格数字不符合勾稽关系）
  2  文件无法作为年度报告读取（不存在、过大、已损坏、含无法识别的数字字符等）"""
EXPORT_EXIT_CODES = """退出码：
  0  全部单元格已读出
  1  已导出，但有「无法确定」的单元格留空（候选值见标准错误输出）
  2  文件无法作为年度报告读取"""


class UnreadableError(Exception):
    """A file named on the command line could not be read as a report; the message is Chinese."""


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add this module's sub-commands to the ``nianbao`` parser."""
    check = subparsers.add_parser(
        "check",
        help="校验报告，列出错误、警告和无法确定的单元格",
        epilog=CHECK_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="报告文件（.txt、.docx、.html、.json）"
    )
    check.add_argument(
        "--previous", type=Path, metavar="LAST_YEAR_FILE", help="上一年度的报告，用于跨年度核对"
    )
    check.add_argument("--json", action="store_true", help="以 JSON 输出校验结果")
    check.add_argument(
        "--pre-publication", action="store_true", help="按发布前标准校验（空白单元格、空白章节）"
    )
    check.set_defaults(handler=run_check)

    export = subparsers.add_parser(
        "export",
        help="导出报告的全部数据",
        epilog=EXPORT_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("file", type=Path, metavar="FILE")
    export.add_argument(
        "--previous", type=Path, metavar="LAST_YEAR_FILE", help="上一年度的报告，用于确定连在一起的表二数字"
    )
    how = export.add_mutually_exclusive_group(required=True)
    how.add_argument("--cells", action="store_true", help="每行一个单元格：key<TAB>value")
    how.add_argument("--json", action="store_true", help="结构化报告（JSON）")
    export.set_defaults(handler=run_export)

    render = subparsers.add_parser(
        "render",
        help="把报告生成为 docx、html、md、json 或 csv 文件",
        epilog=EXPORT_EXIT_CODES.replace("已导出", "已生成"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    render.add_argument("file", type=Path, metavar="FILE")
    render.add_argument("--to", required=True, choices=RENDER_TARGETS, help="输出格式")
    render.add_argument("-o", "--output", required=True, type=Path, metavar="OUT", help="输出文件")
    render.set_defaults(handler=run_render)


def load(path: Path, *, previous: Report | None = None) -> ImportResult:
    """Read a published report (.txt/.docx/.html) or a report document (.json); ``previous`` is last
    year's report, the context that can decide a table-二 row run together."""
    # Imported here so that `nianbao` starts quickly for the commands that never read a report.
    from domain.importing import ImportResult, read_report

    try:
        if path.suffix.lower() == ".json" and path.is_file():
            return ImportResult(report=from_document(json.loads(path.read_text(encoding="utf-8"))))
        return read_report(path, previous=previous)
    except NianbaoError as error:
        raise UnreadableError(str(error)) from None
    except (OSError, ValueError, RecursionError) as error:
        # ValueError covers bad JSON and json's refusal of integers past 4,300 digits.
        raise UnreadableError(f"{path}：无法读取（{type(error).__name__}：{str(error)[:200]}）") from None
    except Exception as error:
        # Every input is meant to end in one of the errors above; should one escape, the officer still
        # gets a sentence and exit 2, and the file name to send to the maintainers.
        raise UnreadableError(
            f"{path}：读取时发生程序内部错误（{type(error).__name__}），请把这个文件发给系统维护人员"
        ) from None


def import_findings(result: ImportResult) -> list[Finding]:
    """The importer's doubts, as findings: cells it could not read unambiguously are 「无法确定」, with
    their candidates (a limit of our reading, not an error of the report); its remarks are warnings."""
    report = result.report
    labels = format_cell_labels(report.format.id.value, legacy_other_row=report.format.legacy_other_row)
    findings = [_ambiguity_finding(ambiguity, labels) for ambiguity in result.ambiguities]
    findings.extend(Finding(rule_id="import.warning", severity="warning", message=w) for w in result.warnings)
    return findings


def _ambiguity_finding(ambiguity: Ambiguity, labels: dict[str, str]) -> Finding:
    readings = "；".join("|".join(candidate) for candidate in ambiguity.candidates)
    return Finding(
        rule_id="import.ambiguous",
        severity="ambiguous",
        message=f"已留空，请人工核对：{ambiguity.describe()}",
        cells=tuple((key, labels.get(key, key), None) for key in ambiguity.cells),
        actual=readings or None,
    )


def findings_for(result: ImportResult, previous: Report | None, *, pre_publication: bool) -> list[Finding]:
    """Import doubts first, then the rules; a rule finding about a cell left blank as ambiguous is
    dropped, because the 「无法确定」 finding already tells the officer to fill that cell in."""
    ambiguous = {key for ambiguity in result.ambiguities for key in ambiguity.cells}
    rules = check_report(result.report, previous=previous, pre_publication=pre_publication)
    kept = [f for f in rules if not any(key in ambiguous for key, _, _ in f.cells)]
    return import_findings(result) + kept


@dataclass(frozen=True, slots=True)
class Counts:
    """What a check found in one report, and what it left unchecked."""

    errors: int
    warnings: int
    ambiguous: int
    unchecked_blank_cells: int

    @classmethod
    def of(cls, result: ImportResult, findings: Sequence[Finding], *, pre_publication: bool) -> Counts:
        ambiguous = {key for ambiguity in result.ambiguities for key in ambiguity.cells}
        blank = sum(1 for key, value in result.report.cells.items() if value is None and key not in ambiguous)
        return cls(
            errors=sum(f.severity == "error" for f in findings),
            warnings=sum(f.severity == "warning" for f in findings),
            ambiguous=sum(f.severity == "ambiguous" for f in findings),
            unchecked_blank_cells=0 if pre_publication else blank,
        )

    def summary(self) -> str:
        parts = [f"{self.errors} 个错误", f"{self.warnings} 个警告"]
        if self.ambiguous:
            parts.append(f"{self.ambiguous} 处无法确定（不是报告的错误，需人工核对）")
        found = "共 " + "，".join(parts) if self.errors or self.warnings or self.ambiguous else "未发现错误"
        if self.unchecked_blank_cells:
            found += f"；{self.unchecked_blank_cells} 个空白单元格未作完整性检查（发布前请加 --pre-publication 检查）"
        return found


def _describe(report: Report) -> str:
    year = "年度不详" if report.year is None else f"{report.year}年度"
    return f"{report.agency or '机关名称不详'}，{year}，{report.format.title}"


def _text_block(path: Path, report: Report, findings: Sequence[Finding], counts: Counts) -> str:
    lines = [f"{path.name}（{_describe(report)}）"]
    lines += [f"  {SEVERITY_LABELS[f.severity]} {f.rule_id}：{f.message}" for f in findings]
    lines.append(f"  {counts.summary()}")
    return "\n".join(lines) + "\n"


def run_check(args: argparse.Namespace) -> int:
    previous: Report | None = None
    if args.previous is not None:
        try:
            previous = load(args.previous).report
        except UnreadableError as error:
            print(f"上一年度报告无法读取：{error}", file=sys.stderr)
            return EXIT_UNREADABLE
    code = EXIT_OK
    results: list[dict[str, Any]] = []
    tally: dict[str, list[str]] = {"errors": [], "ambiguous": [], "unreadable": []}
    for path in args.files:
        try:
            result = load(path, previous=previous)
        except UnreadableError as error:
            print(error, file=sys.stderr)
            results.append({"file": str(path), "unreadable": str(error)})
            tally["unreadable"].append(path.name)
            code = EXIT_UNREADABLE
            continue
        refusal = previous_refusal(result.report, previous) if previous is not None else None
        if refusal is not None:
            print(f"{path.name}：{refusal}", file=sys.stderr)
            results.append({"file": str(path), "refused": refusal})
            code = EXIT_UNREADABLE if code == EXIT_UNREADABLE else EXIT_FINDINGS
            continue
        findings = findings_for(result, previous, pre_publication=args.pre_publication)
        counts = Counts.of(result, findings, pre_publication=args.pre_publication)
        if counts.errors and code == EXIT_OK:
            code = EXIT_FINDINGS
        for kind, count in (("errors", counts.errors), ("ambiguous", counts.ambiguous)):
            if count:
                tally[kind].append(path.name)
        if args.json:
            results.append(_json_result(path, result, findings, counts))
        else:
            sys.stdout.write(_text_block(path, result.report, findings, counts))
    if args.json:
        sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    elif len(args.files) > 1:
        sys.stdout.write(_folder_summary(len(args.files), tally))
    return code


def _folder_summary(files: int, tally: dict[str, list[str]]) -> str:
    """The closing lines of a check of many files: which have errors, come first."""
    names = {kind: "、".join(found) or "无" for kind, found in tally.items()}
    return (
        f"共检查 {files} 份：{len(tally['errors'])} 份有错误（{names['errors']}）；"
        f"{len(tally['ambiguous'])} 份有无法确定的单元格（{names['ambiguous']}）；"
        f"{len(tally['unreadable'])} 份无法读取（{names['unreadable']}）\n"
    )


def _json_result(
    path: Path, result: ImportResult, findings: Sequence[Finding], counts: Counts
) -> dict[str, Any]:
    report = result.report
    return {
        "file": str(path),
        "agency": report.agency,
        "year": report.year,
        "format": report.format.id.value,
        "variant": report.format.variant,
        "errors": counts.errors,
        "warnings": counts.warnings,
        "ambiguous": counts.ambiguous,
        "unchecked": {"blank_cells": counts.unchecked_blank_cells},
        "findings": [f.to_dict() for f in findings],
        "ambiguities": [
            {"cells": list(a.cells), "source": a.source, "candidates": [list(c) for c in a.candidates]}
            for a in result.ambiguities
        ],
    }


def _report_ambiguities(result: ImportResult) -> int:
    for ambiguity in result.ambiguities:
        print(f"数字无法唯一确定，已导出为空：{ambiguity.describe()}", file=sys.stderr)
    return EXIT_FINDINGS if result.ambiguities else EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    try:
        previous = load(args.previous).report if args.previous is not None else None
        result = load(args.file, previous=previous)
    except UnreadableError as error:
        print(error, file=sys.stderr)
        return EXIT_UNREADABLE
    sys.stdout.write(render_cell_lines(result.report) if args.cells else render_json(result.report))
    return _report_ambiguities(result)


def _renderer(target: str) -> Callable[[Report], str | bytes]:
    if target == "json":
        return render_json
    from domain import rendering

    renderers: dict[str, Callable[[Report], str | bytes]] = {
        "docx": rendering.render_docx,
        "html": rendering.render_html,
        "md": rendering.render_markdown,
        "csv": rendering.render_csv,
    }
    return renderers[target]


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write through a temporary file in the same folder, so a crash never leaves half a file."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        # mkstemp makes the file private; give it the mode any newly created file would have.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def run_render(args: argparse.Namespace) -> int:
    try:
        result = load(args.file)
    except UnreadableError as error:
        print(error, file=sys.stderr)
        return EXIT_UNREADABLE
    output: Path = args.output
    if not output.parent.is_dir():
        print(f"{output}：输出目录不存在", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        write_atomically(output, _renderer(args.to)(result.report))
    except OSError as error:
        print(f"{output}：无法写入（{error.strerror}）", file=sys.stderr)
        return EXIT_UNREADABLE
    print(f"已生成 {output}")
    return _report_ambiguities(result)
