"""Report core throughput: .txt import and check (schema + all rules), against ``json.loads``.

The example reports are replicated to 10,000 documents; every figure is measured in this one run on
one core, and each is printed with its ratio to ``json.loads`` of the same documents' JSON, so the
numbers compare across machines. Targets (issue 2): import ≥ 500 reports/s, check ≥ 2,000 reports/s.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from domain.document import from_document, to_document
from domain.importing import parse_text
from domain.rules import check_report

REPORTS = Path(__file__).resolve().parents[2] / "shared" / "reports"
DOCUMENTS = 10_000
IMPORT_TARGET, CHECK_TARGET = 500, 2_000
T = TypeVar("T")


def _pin_to_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _timed(items: Sequence[T], work: Callable[[T], object]) -> float:
    start = time.perf_counter()
    for item in items:
        work(item)
    return time.perf_counter() - start


def _check(document: dict[str, Any]) -> object:
    return check_report(from_document(document))


def _line(name: str, count: int, seconds: float, baseline: float | None, target: int | None) -> str:
    rate = count / seconds
    ratio = "" if baseline is None else f"  {seconds / baseline:6.1f}× the time of json.loads"
    verdict = "" if target is None else f"  (target ≥ {target:,}/s: {'met' if rate >= target else 'NOT met'})"
    return f"{name:<28} {count:>6,} in {seconds:6.2f} s = {rate:>9,.0f} /s{ratio}{verdict}"


def main(argv: Sequence[str] = ()) -> int:
    folder = Path(argv[0]) if argv else REPORTS
    sources = sorted(folder.glob("*.txt"))
    if not sources:
        print(f"no example reports in {folder}", file=sys.stderr)
        return 2
    _pin_to_one_core()
    texts = [(path.name, path.read_text(encoding="utf-8")) for path in sources]
    replicated = [texts[i % len(texts)] for i in range(DOCUMENTS)]
    reports = [parse_text(text, source=name).report for name, text in texts]
    json_texts = [json.dumps(to_document(report), ensure_ascii=False) for report in reports]
    json_replicated = [json_texts[i % len(json_texts)] for i in range(DOCUMENTS)]
    documents = [json.loads(text) for text in json_replicated]

    baseline = _timed(json_replicated, json.loads)
    importing = _timed(replicated, lambda item: parse_text(item[1], source=item[0]))
    checking = _timed(documents, _check)

    print(f"report core: {len(sources)} example reports replicated to {DOCUMENTS:,} documents, one core")
    print(_line("json.loads of the documents", DOCUMENTS, baseline, None, None))
    print(_line(".txt import (parse_text)", DOCUMENTS, importing, baseline, IMPORT_TARGET))
    print(_line("check (schema + all rules)", DOCUMENTS, checking, baseline, CHECK_TARGET))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
