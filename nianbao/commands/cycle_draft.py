"""What operators read of a cycle from the database: ``nianbao draft`` and ``nianbao audit``.

``draft`` shows the stored draft document, the very one approvers receive (``CycleClient.draft``) and
the publication renders; ``audit`` lists every change to it: cell, old, new, who, channel and when.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from domain.document import from_document, render_json
from domain.errors import NianbaoError
from domain.export import cell_lines
from domain.labels import cell_label
from domain.rendering import render_docx, render_html, render_markdown
from domain.report import Report
from nianbao.commands import cycle_output
from nianbao.settings import SettingsError, load_settings
from storage import drafts
from storage.agencies import get_agency
from storage.audit import audit_trail_with_names
from storage.engine import make_engine, read_scope
from storage.migrate import upgrade
from storage.tables import AuditEntry

EXIT_OK, EXIT_REFUSED = 0, 1
CHANNEL_LABELS = {"cli": "命令行", "bot": "机器人", "import": "导入", "system": "系统"}


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    draft = subparsers.add_parser("draft", help="查看当前草稿（与审核人收到的、发布的是同一份）")
    _cycle_arguments(draft)
    draft.add_argument("--revision", type=int, help="版本（默认：最新）")
    shown = draft.add_mutually_exclusive_group()
    shown.add_argument("--cells", action="store_true", help="每格一行：key<TAB>value")
    shown.add_argument("--json", action="store_true", help="输出报告 JSON 文档")
    shown.add_argument("--to", choices=("docx", "html"), help="生成 DOCX 或 HTML 文件（配合 -o）")
    draft.add_argument("-o", "--output", type=Path, help="输出文件")
    draft.set_defaults(handler=_draft)

    audit = subparsers.add_parser("audit", help="列出草稿的每一处修改：项目、原值、新值、修改人、渠道、时间")
    _cycle_arguments(audit)
    audit.set_defaults(handler=_audit)


def _cycle_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--agency", required=True, help="机关代码")
    parser.add_argument("--year", required=True, type=int, help="报告年度")


def _draft(args: argparse.Namespace) -> int:
    if args.to and args.output is None:
        print("错误：--to 需要用 -o 指定输出文件", file=sys.stderr)
        return EXIT_REFUSED
    try:
        report = stored_report(args.agency, args.year, args.revision)
    except (NianbaoError, SettingsError) as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_REFUSED
    if args.to:
        data = render_docx(report) if args.to == "docx" else render_html(report).encode()
        args.output.write_bytes(data)
        print(f"已生成 {args.output}")
        return EXIT_OK
    if args.cells:
        text = "\n".join(f"{key}\t{value}" for key, value in cell_lines(report))
    elif args.json:
        text = render_json(report)
    else:
        text = render_markdown(report)
    _emit(text, args.output)
    return EXIT_OK


def stored_report(agency: str, year: int, revision: int | None = None) -> Report:
    settings = load_settings()
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with read_scope(engine) as session:
            get_agency(session=session, code=agency)
            if revision is None:
                draft = drafts.require_draft(session=session, agency_code=agency, year=year)
            else:
                draft = drafts.draft_revision(
                    session=session, agency_code=agency, year=year, revision=revision
                )
            return from_document(draft.document)
    finally:
        engine.dispose()


def _audit(args: argparse.Namespace) -> int:
    try:
        settings = load_settings()
        upgrade(settings.database_url)
        engine = make_engine(settings.database_url)
        try:
            with read_scope(engine) as session:
                get_agency(session=session, code=args.agency)
                draft = drafts.current_draft(session=session, agency_code=args.agency, year=args.year)
                rows = audit_trail_with_names(session=session, agency_code=args.agency, year=args.year)
                variant = draft.document.get("meta", {}).get("variant") if draft else None
                format_id = draft.format if draft else None
        finally:
            engine.dispose()
    except (NianbaoError, SettingsError) as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_REFUSED
    if not rows:
        print(f"「{args.agency}」{args.year}年度报告还没有任何修改记录。")
        return EXIT_OK
    lines = ["时间（北京时间）\t版本\t项目\t原值\t新值\t修改人\t渠道"]
    lines += [
        "\t".join(
            (
                cycle_output.local_time(entry.at),
                f"第{entry.revision}版" if entry.revision else "—",
                target_label(entry, format_id, variant == "legacy_other"),
                _shown(entry.old_value),
                _shown(entry.new_value),
                name or "系统",
                CHANNEL_LABELS.get(entry.channel, entry.channel),
            )
        )
        for entry, name in rows
    ]
    print("\n".join(lines))
    return EXIT_OK


def target_label(entry: AuditEntry, format_id: str | None, legacy_other_row: bool) -> str:
    """The cell's Chinese name with its key (``三、（一）新收申请 自然人 [s3.new.natural]``), else the key."""
    if format_id is None:
        return entry.target
    try:
        return f"{cell_label(entry.target, format_id=format_id, legacy_other_row=legacy_other_row)} [{entry.target}]"
    except KeyError:
        return entry.target


def _shown(value: str | None) -> str:
    if value is None:
        return "（空）"
    flat = value.replace("\n", " ")
    return flat if len(flat) <= 40 else flat[:39] + "…"


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        print(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
        print(f"已生成 {output}")
