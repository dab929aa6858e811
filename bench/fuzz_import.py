"""Fuzzing the importer with mutated example reports: inputs/s and the counts crashed, hung, wrong value.

``python -m bench fuzz_import`` (10,000 inputs) or ``python -m bench.fuzz_import [INPUTS] [SEED]``.
Every input is one of the example reports in ``../shared/reports`` with mutations of one kind:

- ``prose``: characters, digits of any script and long numbers inserted into the prose of 一 only. The
  tables are untouched, so every cell must still be its golden value (``golden/NAME.cells``); a cell
  left blank with a warning or an ambiguity saying so is **lost**, any other value **wrong**.
- ``foreign``: digits of other scripts, superscripts and circled numbers inserted into the tables. The
  report must be refused naming the character, or read with every cell its golden value (the character
  fell outside every figure, e.g. into a heading or a label: then a row it broke may be **lost**, with
  a warning); any other value is **wrong**.
- ``table``: those characters, endless digit runs, money past exact precision, separators and deletions
  inside the tables; only a crash or a hang counts.
- ``bytes``: the file cut, chunks duplicated or moved, bytes flipped, read through ``read_bytes`` as an
  upload would be.

A crash is any exception other than the importer's own Chinese refusals (``NianbaoError``); a hang is an
input that takes longer than ``HANG_SECONDS``. The last line is ``RESULT fuzz_import …``.
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from domain.errors import NianbaoError
from domain.importing import ImportResult, parse_text, read_bytes
from domain.importing.sections import find_headings
from domain.importing.text import normalize_text
from domain.values import format_value

REPORTS = Path(__file__).resolve().parents[2] / "shared" / "reports"
# Generous: the machine is shared, and a real hang (backtracking, an endless split) takes far longer.
INPUTS, HANG_SECONDS = 10_000, 5.0
_CJK = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经"
_FOREIGN = "¹²³③⑤٣٧३७໓໗୩౩๓"
_TABLE_NOISE = [
    *_FOREIGN,
    "9" * 90,
    "14957." + "9" * 35 + "万元",
    "减",
    "元",
    "万元",
    ".",
    " ",
    "\t",
    "\n",
    "|",
    "0",
]


@dataclass(frozen=True, slots=True)
class Example:
    name: str
    text: str
    golden: dict[str, str]
    prose: tuple[int, int]
    tables: tuple[int, int]


def _examples(folder: Path) -> list[Example]:
    examples = []
    for path in sorted(folder.glob("*.txt")):
        golden_path = folder / "golden" / f"{path.stem}.cells"
        if not golden_path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        headings = {h.section: h for h in find_headings(normalize_text(text))}
        if not {"s1", "s2", "s5"} <= headings.keys():
            continue
        golden = dict(
            line.partition("\t")[::2] for line in golden_path.read_text(encoding="utf-8").splitlines()
        )
        examples.append(
            Example(
                name=path.name,
                text=text,
                golden={k: "" if v == "?" else v for k, v in golden.items()},
                prose=(headings["s1"].end + 1, headings["s2"].start - 1),
                tables=(headings["s2"].end, headings["s5"].start),
            )
        )
    return examples


def _cells(result: ImportResult) -> dict[str, str]:
    report = result.report
    cells = {
        "meta.agency": report.agency,
        "meta.year": str(report.year),
        "meta.format": report.format.id.value,
    }
    cells.update({spec.key: format_value(report.cells[spec.key]) for spec in report.format.table_cells})
    return cells


def _insert(text: str, span: tuple[int, int], rng: random.Random, noise: Sequence[str], times: int) -> str:
    for _ in range(times):
        position = rng.randint(span[0], max(span[0], span[1]))
        cut = rng.choice((0, 0, 1, 2))
        text = text[:position] + rng.choice(noise) + text[position + cut :]
        span = (span[0], span[1] + 1)
    return text


def _prose_noise(rng: random.Random) -> str:
    pieces = [rng.choice(_CJK) for _ in range(rng.randint(1, 8))]
    pieces.append(
        rng.choice([str(rng.randint(0, 10**6)), rng.choice(_FOREIGN), "7" * rng.randint(1, 6000), "，", "。"])
    )
    return "".join(pieces)


def _bytes_mutation(data: bytes, rng: random.Random) -> bytes:
    kind = rng.randrange(4)
    a, b = sorted(rng.randrange(len(data) + 1) for _ in range(2))
    if kind == 0:
        return data[:b]
    if kind == 1:
        return data[:b] + data[a:b] * rng.randint(1, 20) + data[b:]
    if kind == 2:
        return data[:a] + data[b:] + data[a:b]
    flipped = bytearray(data)
    for _ in range(rng.randint(1, 30)):
        flipped[rng.randrange(len(flipped))] = rng.randrange(256)
    return bytes(flipped)


def _verdict(result: ImportResult, example: Example) -> str:
    """ok: every cell its golden value; lost: some cells left blank and said so (a row whose label the
    mutation broke, a warning or an ambiguity names it); wrong: any other value."""
    cells = _cells(result)
    differing = [key for key, value in example.golden.items() if cells.get(key) != value]
    if not differing:
        return "ok"
    said = bool(result.warnings or result.ambiguities)
    return "lost" if said and all(cells.get(key) == "" for key in differing) else "wrong"


def _run_one(example: Example, rng: random.Random) -> tuple[str, str]:
    """(kind, outcome) with outcome ok / lost / refused / wrong / crashed."""
    kind = rng.choice(("prose", "foreign", "table", "bytes"))
    try:
        if kind == "prose":
            noise = [_prose_noise(rng) for _ in range(8)]
            text = _insert(example.text, example.prose, rng, noise, rng.randint(1, 4))
            return kind, _verdict(parse_text(text, source=example.name), example)
        if kind == "foreign":
            text = example.text
            for _ in range(rng.randint(1, 3)):
                position = rng.randint(*example.tables)
                text = text[:position] + rng.choice(_FOREIGN) + text[position:]
            return kind, _verdict(parse_text(text, source=example.name), example)
        if kind == "table":
            text = _insert(example.text, example.tables, rng, _TABLE_NOISE, rng.randint(1, 5))
            parse_text(text, source=example.name)
            return kind, "ok"
        data = _bytes_mutation(example.text.encode("utf-8"), rng)
        read_bytes(data, source=example.name)
        return kind, "ok"
    except NianbaoError:
        return kind, "refused"
    except Exception as error:  # the benchmark counts what the importer should never raise
        print(
            f"  crash on {example.name} ({kind}): {type(error).__name__}: {str(error)[:120]}", file=sys.stderr
        )
        return kind, "crashed"


def main(argv: Sequence[str] = ()) -> int:
    inputs = int(argv[0]) if argv else INPUTS
    seed = int(argv[1]) if len(argv) > 1 else 2026
    examples = _examples(REPORTS)
    if not examples:
        print(f"no example reports with golden cells in {REPORTS}", file=sys.stderr)
        return 2
    rng = random.Random(seed)
    outcomes: Counter[tuple[str, str]] = Counter()
    hung = 0
    slowest = 0.0
    start = time.perf_counter()
    for _ in range(inputs):
        example = rng.choice(examples)
        began = time.perf_counter()
        kind, outcome = _run_one(example, rng)
        elapsed = time.perf_counter() - began
        slowest = max(slowest, elapsed)
        if elapsed > HANG_SECONDS:
            hung += 1
        outcomes[kind, outcome] += 1
    seconds = time.perf_counter() - start
    total = Counter(outcome for (_, outcome) in outcomes.elements())
    print(f"fuzz_import: {inputs:,} mutated inputs from {len(examples)} example reports, seed {seed}")
    for kind in ("prose", "foreign", "table", "bytes"):
        row = {o: outcomes[kind, o] for o in ("ok", "lost", "refused", "wrong", "crashed")}
        print(f"  {kind:<7} " + "  ".join(f"{o} {n:>6,}" for o, n in row.items()))
    print(f"  {inputs / seconds:,.0f} inputs/s, slowest input {slowest * 1000:.0f} ms")
    print(
        f"RESULT fuzz_import inputs={inputs} inputs_per_s={inputs / seconds:.0f} crashed={total['crashed']} "
        f"hung={hung} wrong_value={total['wrong']} lost={total['lost']} refused={total['refused']} "
        f"slowest_ms={slowest * 1000:.0f}"
    )
    return 0 if total["crashed"] == total["wrong"] == hung == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
